import { Command, Option } from 'commander';
import { UsageError } from '../../errors.js';
import { type TargetPlan, renderDryRun, renderPublish, renderWarm } from '../../report/publish-table.js';
import type { ObjectEvent } from '../../storage/publish.js';
import { type StorageTarget, objectsFor } from '../../storage/target.js';
import { warm } from '../../warm/warm.js';
import { EXIT } from '../exit-code.js';
import type { CliIO } from '../io.js';
import { type RunOptions, addRunOptions, addRuntimeOptions, resolveRunOptions, resolveWorker, type RuntimeFlags, siteOrigin, whole } from '../options.js';
import { prewarmWithProgress } from '../run-prewarm.js';
import { withRuntimeFiles } from '../../tree/runtime-files.js';
import { addShardOption, objectsToStore, shardDone, withShard } from '../shard-option.js';
import { type TargetFlags, addTargetOptions, resolveTargets } from '../target-options.js';
import type { Shard } from '../../shard/shard.js';
import type { StoredObject } from '../../tree/stored-object.js';
import { emitReport, say } from '../report-output.js';
import { patchFailureOutcome, publishOutcome } from '../outcome.js';

const DEFAULT_UPLOAD_CONCURRENCY = 16;

interface PushFlags extends TargetFlags, RuntimeFlags {
  shard?: Shard;
  dryRun?: boolean;
  warm?: boolean;
  warmConcurrency: number;
  uploadConcurrency?: number;
  origin?: string;
}

/**
 * `deltawarm push`: build the release in memory and publish it to every target (config
 * `targets`, or one target from --bucket and friends), then optionally warm the CDNs.
 * Credentials come only from the AWS SDK chain, a profile or an env prefix.
 */
export function pushCommand(io: CliIO, setExitCode: (code: number) => void): Command {
  return addRuntimeOptions(addTargetOptions(addShardOption(addRunOptions(new Command('push')))))
    .description('build the release and publish it to S3-compatible storage (targets from config or --bucket)')
    .option('--dry-run', 'build and show what each target would receive; no credentials, no upload')
    .option('--warm', 'after publishing, request every object of the release through every CDN')
    .addOption(new Option('--warm-concurrency <n>', 'warm-up requests in flight per CDN').argParser(whole('--warm-concurrency', 1)).default(8))
    .addOption(new Option('--origin <url>', "the site's origin (e.g. https://www.example.com): warn when a target bucket's CORS rules would refuse it (config: origin)").argParser(siteOrigin))
    .addOption(new Option('--upload-concurrency <n>', `uploads in flight per target (default: ${DEFAULT_UPLOAD_CONCURRENCY})`).argParser(whole('--upload-concurrency', 1)).env('DELTAWARM_UPLOAD_CONCURRENCY'))
    .action(async (flags: PushFlags, command: Command) => {
      const options = withShard(await resolveRunOptions(command, io), flags.shard);
      const targets = resolveTargets(flags, options);
      const uploadConcurrency = flags.uploadConcurrency ?? configConcurrency(options);
      const worker = await resolveWorker(flags, options.prewarm.dir);
      const cdns = options.prewarm.cdns;
      if (flags.warm && cdns.length === 0) throw new UsageError('--warm needs CDN base URLs: pass --cdn URL or add "cdns" to the config');

      const result = await withTargetHistory(options, targets, io, Boolean(flags.dryRun));
      const objects = await withRuntimeFiles(objectsToStore(result, options, flags.shard), worker);
      if (result.report.failures.length > 0) {
        if (flags.shard && !flags.dryRun) await publishFailedShard(objects, targets, io, options);
        if (!flags.dryRun) result.report.outcome = patchFailureOutcome(result.report.failures.length, 'published');
        await emitReport(result.report, options.output, io);
        say(io, options.output, `nothing published${flags.shard ? ' but the failed shard result' : ''}: a patch failed verification (see above)`);
        return setExitCode(EXIT.failure);
      }
      if (flags.dryRun) {
        const plans = targets.map((target) => planFor(target, objects));
        await emitReport(result.report, options.output, io, { dryRun: plans });
        if (!options.output.json) io.stdout(renderDryRun(plans));
        return setExitCode(EXIT.ok);
      }

      // Loaded here, not at the top: the AWS SDK would add ~200 ms to every plan and build.
      const { publish } = await import('../../storage/publish.js');
      const origin = flags.origin ?? configOrigin(options);
      const published = await publish(objects, targets, { env: io.env, network: options.network, concurrency: uploadConcurrency, onObject: uploadProgress(io, options, objects.length * targets.length), ...(origin ? { origin } : {}) });
      const warmed = flags.warm && published.ok ? await warm(objects.map((o) => o.key), cdns, { concurrency: flags.warmConcurrency }) : undefined;
      result.report.outcome = publishOutcome(published);
      await emitReport(result.report, options.output, io, { publish: published, ...(warmed ? { warm: warmed } : {}) });
      if (!options.output.json) io.stdout(renderPublish(published) + (warmed ? renderWarm(warmed) : ''));
      if (flags.shard && published.ok) say(io, options.output, shardDone(flags.shard));
      setExitCode(published.ok ? EXIT.ok : EXIT.failure);
    });
}

/**
 * The pipeline, reading the deploy history from the first `parts: all` target unless --history
 * names another source. A dry run has no credentials, so it reads only --history.
 */
async function withTargetHistory(options: RunOptions, targets: StorageTarget[], io: CliIO, dryRun: boolean) {
  const target = targets.find((candidate) => candidate.parts === 'all');
  if (options.prewarm.history || dryRun || !target) return prewarmWithProgress(options, io);
  // Loaded here, not at the top: the AWS SDK would add ~200 ms to every plan and build.
  const { openS3HistoryStore } = await import('../../storage/history-s3.js');
  const store = await openS3HistoryStore(target, io.env, options.network);
  try {
    return await prewarmWithProgress({ ...options, prewarm: { ...options.prewarm, history: store } }, io);
  } finally {
    store.close();
  }
}

/** A failed shard's result, so that `finish` names the failure; a store that cannot take it leaves the shard missing, which stops `finish` too. */
async function publishFailedShard(objects: StoredObject[], targets: StorageTarget[], io: CliIO, options: RunOptions): Promise<void> {
  const { publish } = await import('../../storage/publish.js');
  await publish(objects, targets, { env: io.env, network: options.network }).catch(() => undefined);
}

function configOrigin(options: RunOptions): string | undefined {
  const value = options.config.origin;
  if (value === undefined) return undefined;
  try {
    if (typeof value !== 'string') throw new Error();
    return siteOrigin(value);
  } catch {
    throw new UsageError(`config ${options.config.source}: "origin" must be the site's origin as a URL, e.g. "https://www.example.com"`);
  }
}

function configConcurrency(options: RunOptions): number {
  const value = options.config.uploadConcurrency;
  if (value === undefined) return DEFAULT_UPLOAD_CONCURRENCY;
  if (!Number.isInteger(value) || (value as number) < 1) throw new UsageError(`config ${options.config.source}: "uploadConcurrency" must be a whole number of at least 1`);
  return value as number;
}

function planFor(target: StorageTarget, objects: Parameters<typeof objectsFor>[1]): TargetPlan {
  const taken = objectsFor(target, objects);
  return { target: target.name, objects: taken.length, bytes: taken.reduce((sum, o) => sum + o.body.byteLength, 0), manifest: taken.some((o) => o.key.startsWith('manifest/')) };
}

/** A line on stderr at most every 5 s while uploading (never with --quiet or --json). */
function uploadProgress(io: CliIO, options: RunOptions, total: number): ((event: ObjectEvent) => void) | undefined {
  if (options.output.quiet || options.output.json) return undefined;
  let done = 0;
  let last = Date.now();
  return () => {
    done++;
    if (Date.now() - last < 5_000) return;
    last = Date.now();
    io.stderr(`deltawarm: uploading ${done}/${total}\n`);
  };
}
