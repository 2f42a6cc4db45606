import { DEFAULT_NETWORK } from '../../network/deadlines.js';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { UsageError } from '../../errors.js';
import { existingDirectoryStore, httpStore, type HistoryStore } from '../../history/store.js';
import { renderTrafficHtml, renderTrafficMarkdown, renderTrafficTerminal } from '../../traffic/render.js';
import { traffic } from '../../traffic/traffic.js';
import { EXIT } from '../exit-code.js';
import type { CliIO } from '../io.js';
import { parseCdn, whole } from '../options.js';
import { type TargetFlags, addTargetOptions, resolveTargets } from '../target-options.js';
import { writeUserFile } from '../write-user-file.js';

interface TrafficFlags extends TargetFlags {
  history?: string;
  prefix?: string;
  target: number;
  window?: number;
  maxVersions: number;
  json?: boolean;
  report?: string;
  markdown?: string;
  html?: string;
}

/** `--target 99`, `99%` or `0.99`: a share of returning visits. */
function parseShare(value: string): number {
  const number = Number(value.trim().replace(/\s*%$/, ''));
  const share = number > 1 || value.includes('%') ? number / 100 : number;
  if (!(share > 0 && share <= 1)) throw new InvalidArgumentError('the target is a share of visits, e.g. 99, 99% or 0.99.');
  return share;
}

/**
 * `deltawarm traffic LOG...`: reads CDN access logs (or the CSV of the SQL in docs/traffic.md)
 * and the deploy index, and reports what returning clients held, how they were answered, and
 * the --versions that covers the target share of them.
 */
export function trafficCommand(io: CliIO, setExitCode: (code: number) => void): Command {
  return addTargetOptions(new Command('traffic'))
    .description('report from CDN access logs how far behind returning clients were and the --versions that covers them')
    .argument('<logs...>', 'log files or directories: S3 server access, CloudFront standard, nginx/Apache combined, JSON lines (Cloudflare, Fastly), or the CSV of docs/traffic.md; gzip or plain')
    .addOption(new Option('--history <dir|url>', 'where the deploys were published: a tree directory or an HTTP base (CDN); or use --bucket').env('DELTAWARM_HISTORY'))
    .addOption(new Option('--prefix <prefix>', 'with --bucket: key prefix of the tree').env('DELTAWARM_PREFIX'))
    .addOption(new Option('--target <share>', 'share of returning visits behind that the recommended --versions must cover').argParser(parseShare).default(0.99, '99%'))
    .addOption(new Option('--window <n>', 'the --versions the deploys were built with (default: inferred from their manifests)').argParser(whole('--window', 0)))
    .addOption(new Option('--max-versions <n>', 'rows of the window table').argParser(whole('--max-versions', 1)).default(20))
    .option('--json', 'print only the report JSON on stdout')
    .option('--report <file>', 'write the report JSON to a file')
    .option('--markdown <file>', 'write the report as Markdown (e.g. $GITHUB_STEP_SUMMARY)')
    .option('--html <file>', 'write the report as a self-contained HTML page with charts')
    .action(async (logs: string[], flags: TrafficFlags) => {
      const history = await openHistory(flags, io);
      try {
        const { report, files } = await traffic({ logs: logs.map((log) => resolve(io.cwd, log)), history, target: flags.target, maxVersions: flags.maxVersions, ...(flags.window !== undefined && { window: flags.window }) });
        const json = JSON.stringify({ ...report, logs: files }, null, 2) + '\n';
        if (flags.report) await writeUserFile(io.cwd, flags.report, '--report', json);
        if (flags.markdown) await writeUserFile(io.cwd, flags.markdown, '--markdown', renderTrafficMarkdown(report));
        if (flags.html) await writeUserFile(io.cwd, flags.html, '--html', renderTrafficHtml(report));
        io.stdout(flags.json ? json : renderTrafficTerminal(report));
        setExitCode(EXIT.ok);
      } finally {
        (history as Partial<{ close(): void }>).close?.();
      }
    });
}

async function openHistory(flags: TrafficFlags, io: CliIO): Promise<HistoryStore> {
  if (flags.history && flags.bucket) throw new UsageError('pass either --history or --bucket, not both');
  if (flags.bucket) {
    const [target] = resolveTargets(flags, { prefix: flags.prefix ?? '', config: { source: 'flags' } });
    // Loaded here: the AWS SDK is only needed to read a bucket.
    const { openS3HistoryStore } = await import('../../storage/history-s3.js');
    return openS3HistoryStore(target!, io.env, DEFAULT_NETWORK);
  }
  if (!flags.history) throw new UsageError('pass --history DIR|URL (the tree or CDN the deploys were published to) or --bucket NAME');
  if (!/^https?:\/\//i.test(flags.history)) return existingDirectoryStore(resolve(io.cwd, flags.history));
  try {
    return httpStore(parseCdn(flags.history));
  } catch (error) {
    throw new UsageError(`--history: ${(error as Error).message}`);
  }
}
