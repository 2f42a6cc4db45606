import type { CoverageReport } from '../report/coverage.js';
import { renderHtml } from '../report/html.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderTerminal } from '../report/terminal.js';
import type { CliIO } from './io.js';
import type { OutputOptions } from './options.js';
import { writeUserFile } from './write-user-file.js';

/**
 * Emits the report in every form asked for: the terminal table on stdout (or, with --json,
 * only the JSON), plus --report, --markdown and --html files. `extra` adds command-specific fields.
 */
export async function emitReport(report: CoverageReport, output: OutputOptions, io: CliIO, extra: Record<string, unknown> = {}): Promise<void> {
  const json = JSON.stringify({ ...report, ...extra }, null, 2) + '\n';
  // Files first: if one cannot be written, stdout holds only the error object, not two documents.
  if (output.report) await writeUserFile(io.cwd, output.report, '--report', json);
  if (output.markdown) await writeUserFile(io.cwd, output.markdown, '--markdown', renderMarkdown(report, { verbose: output.verbose }));
  if (output.html) await writeUserFile(io.cwd, output.html, '--html', renderHtml(report));
  if (output.json) io.stdout(json);
  else io.stdout(renderTerminal(report, { verbose: output.verbose }));
}

/** A line for people: on stdout normally, on stderr with --json so stdout stays pure JSON. */
export function say(io: CliIO, output: OutputOptions, line: string): void {
  if (output.quiet) return;
  (output.json ? io.stderr : io.stdout)(`${line}\n`);
}
