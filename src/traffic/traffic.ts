import type { HistoryStore } from '../history/store.js';
import { type AnalyzeOptions, type TrafficReport, analyzeTraffic } from './analyze.js';
import { readDeploys } from './deploys.js';
import { type LogFileSummary, readLogs } from './read-logs.js';

export interface TrafficOptions extends AnalyzeOptions {
  /** Log files or directories of them: S3 server access, CloudFront standard, combined, JSON lines, or the SQL's CSV; gzip or plain. */
  logs: readonly string[];
  /** Where the deploy index and manifests are read (the tree, CDN or bucket deploys went to). */
  history: HistoryStore;
}

export interface Traffic {
  report: TrafficReport;
  files: LogFileSummary[];
}

/** `deltawarm traffic`: what clients held and needed, from access logs and the deploy index. */
export async function traffic(options: TrafficOptions): Promise<Traffic> {
  const deploys = await readDeploys(options.history);
  const { tally, files } = await readLogs(options.logs);
  const report = analyzeTraffic(tally, deploys, options);
  const unread = files.filter((file) => file.counted === 0).map((file) => file.file);
  if (unread.length) report.notes.push(`no deltawarm request in ${unread.length} log file(s): ${unread.slice(0, 3).join(', ')}${unread.length > 3 ? ', ...' : ''}`);
  return { report, files };
}
