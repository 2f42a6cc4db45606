import { UsageError } from '../errors.js';
import { NEW_VISITOR, type Tally, addCount, addVisit, fullKey, patchKey, splitKey } from './tally.js';

/**
 * The tally as CSV, one row per key: what the SQL in docs/traffic.md returns from a CDN's log
 * table, and what `deltawarm traffic` reads back (`kind` is `visit`, `patch` or `full`).
 */
export const CSV_COLUMNS = ['kind', 'release', 'held', 'from_version', 'to_version', 'asset', 'requests', 'bytes', 'failed'] as const;

export function tallyToCsv(tally: Tally): string {
  const rows: string[][] = [[...CSV_COLUMNS]];
  for (const [key, { visits, failed }] of tally.visits) {
    const [release, held] = splitKey(key, 2);
    rows.push(['visit', release!, held!, '', '', '', String(visits), '0', String(failed)]);
  }
  for (const [key, { requests, bytes }] of tally.patches) {
    const [from, to, asset] = splitKey(key, 3);
    rows.push(['patch', '', '', from!, to!, asset!, String(requests), String(bytes), '0']);
  }
  for (const [key, { requests, bytes }] of tally.fulls) {
    const [version, asset] = splitKey(key, 2);
    rows.push(['full', '', '', '', version!, asset!, String(requests), String(bytes), '0']);
  }
  return rows.map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}

const csvField = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** Splits one CSV line (RFC 4180 quoting; no line breaks inside fields). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let at = 0;
  while (at <= line.length) {
    if (line[at] === '"') {
      let value = '';
      let i = at + 1;
      for (;;) {
        const quote = line.indexOf('"', i);
        if (quote < 0) throw new UsageError(`CSV: unterminated quoted field in ${JSON.stringify(line.slice(0, 80))}`);
        value += line.slice(i, quote);
        if (line[quote + 1] === '"') {
          value += '"';
          i = quote + 2;
        } else {
          at = quote + 2;
          break;
        }
      }
      fields.push(value);
    } else {
      const comma = line.indexOf(',', at);
      const end = comma < 0 ? line.length : comma;
      fields.push(line.slice(at, end));
      at = end + 1;
    }
  }
  return fields;
}

const SHA = /^[0-9a-f]{40}$/;

/** Reads the CSV the SQL produced into a tally; the header row names the columns (any order). */
export function csvReader(where: string): (line: string, tally: Tally) => void {
  let columns: Map<string, number> | undefined;
  return (line, tally) => {
    const fields = splitCsvLine(line);
    if (!columns) {
      columns = new Map(fields.map((name, index) => [name.trim().toLowerCase(), index]));
      const missing = CSV_COLUMNS.filter((name) => !columns!.has(name));
      if (missing.length) throw new UsageError(`${where}: the CSV lacks the column(s) ${missing.join(', ')} (use the SQL in docs/traffic.md)`);
      return;
    }
    const get = (name: (typeof CSV_COLUMNS)[number]) => fields[columns!.get(name)!] ?? '';
    const count = (name: 'requests' | 'bytes' | 'failed') => {
      const value = Number(get(name) || 0);
      if (!Number.isSafeInteger(value) || value < 0) throw new UsageError(`${where}: "${name}" is not a count in ${JSON.stringify(line.slice(0, 120))}`);
      return value;
    };
    tally.lines++;
    const kind = get('kind');
    const bad = () => new UsageError(`${where}: not a valid ${kind || 'row'} row: ${JSON.stringify(line.slice(0, 120))}`);
    if (kind === 'visit') {
      const held = get('held');
      if (!SHA.test(get('release')) || (held !== NEW_VISITOR && !SHA.test(held))) throw bad();
      addVisit(tally, get('release'), held, count('requests'), count('failed'));
    } else if (kind === 'patch') {
      if (!SHA.test(get('from_version')) || !SHA.test(get('to_version')) || !get('asset')) throw bad();
      addCount(tally.patches, patchKey(get('from_version'), get('to_version'), get('asset')), count('requests'), count('bytes'));
    } else if (kind === 'full') {
      if (!SHA.test(get('to_version')) || !get('asset')) throw bad();
      addCount(tally.fulls, fullKey(get('to_version'), get('asset')), count('requests'), count('bytes'));
    } else if (line.trim() !== '') throw bad();
  };
}
