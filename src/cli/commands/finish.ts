import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { RunFailure, UsageError } from '../../errors.js';
import { openRepository, resolveRelease } from '../../git/repository.js';
import { directoryStore } from '../../history/store.js';
import { readPreviousRelease } from '../../history/previous-release.js';
import { renderPublish } from '../../report/publish-table.js';
import { type FinishSettings, type ShardedRelease, assembleShards } from '../../shard/assemble.js';
import { shardResultKey } from '../../shard/result.js';
import { assertStored, listedObjects, missingFiles } from '../../shard/stored-objects.js';
import { shardSettings } from '../../shard/shard-tree.js';
import type { StorageTarget } from '../../storage/target.js';
import { type WorkerSource, withRuntimeFiles } from '../../tree/runtime-files.js';
import { writeTree } from '../../tree/write-tree.js';
import type { Release } from '../../types.js';
import { EXIT } from '../exit-code.js';
import type { CliIO } from '../io.js';
import { type RunOptions, type RuntimeFlags, addRunOptions, addRuntimeOptions, resolveRunOptions, resolveWorker, whole } from '../options.js';
import { type TargetFlags, addTargetOptions, resolveTargets } from '../target-options.js';
import { writeUserFile } from '../write-user-file.js';

interface FinishFlags extends TargetFlags, RuntimeFlags {
  shards?: number;
  out?: string;
}

/**
 * `deltawarm finish`: after every `build --shard K/N` or `push --shard K/N` of a release,
 * checks that each shard stored a result, succeeded, and ran for this release with these
 * settings; then writes the manifests, made from the shard results exactly as one build
 * makes them, in SPEC order. Any shard missing or failed: exit 1 and no manifest.
 */
export function finishCommand(io: CliIO, setExitCode: (code: number) => void): Command {
  return addRuntimeOptions(addTargetOptions(addRunOptions(new Command('finish'))))
    .description("after every shard of a release: check the shards' results and write the manifests (to --out DIR, or to the push targets)")
    .addOption(new Option('--shards <n>', 'the N of the shards\' --shard K/N').argParser(whole('--shards', 1)))
    .addOption(new Option('--out <dir>', 'the directory the shards built into (build --shard); without it, the push targets').env('DELTAWARM_OUT'))
    .action(async (flags: FinishFlags, command: Command) => {
      if (flags.shards === undefined) throw new UsageError("pass --shards N, the N of the shards' --shard K/N");
      const options = await resolveRunOptions(command, io);
      const worker = await resolveWorker(flags, options.prewarm.dir);
      const release = await resolveRelease(await openRepository(options.prewarm.repo), options.prewarm.release);
      const expected: FinishSettings = { settings: shardSettings(options.prewarm), cdns: options.prewarm.cdns, patchFormat: options.prewarm.patchFormat };
      const finish = { release, count: flags.shards, expected, worker };
      const ok = flags.out ? await finishDirectory(resolve(io.cwd, flags.out), finish, options, io) : await finishTargets(resolveTargets(flags, options), finish, options, io);
      setExitCode(ok ? EXIT.ok : EXIT.failure);
    });
}

interface Finish {
  release: Release;
  count: number;
  expected: FinishSettings;
  /** The runtime files go with the manifests, as in one build. */
  worker: WorkerSource | undefined;
}

async function finishDirectory(dir: string, finish: Finish, options: RunOptions, io: CliIO): Promise<boolean> {
  const store = directoryStore(dir, options.prefix);
  const stored = await Promise.all(shardKeys(finish).map((key) => store.get(key)));
  const sharded = assembleShards(finish.release, stored, dir, finish.expected, await readPreviousRelease(store));
  assertStored(await missingFiles(dir, options.prefix, listedObjects(sharded.manifest)), dir);
  const objects = await withRuntimeFiles(sharded.objects, finish.worker);
  const written = await writeTree(objects, dir, options.prefix);
  await emit(io, options, sharded, { tree: written }, `wrote ${objects.map((o) => o.key).join(', ')} to ${written.dir}`);
  return true;
}

/** Every target that takes the whole tree must hold the same results of every shard; then the manifests go to all of them. */
async function finishTargets(targets: StorageTarget[], finish: Finish, options: RunOptions, io: CliIO): Promise<boolean> {
  const complete = targets.filter((target) => target.parts === 'all');
  if (complete.length === 0) throw new UsageError('no target takes the whole tree (parts "all"): finish has nowhere to write the manifests');
  const { readShardResults } = await import('../../storage/shard-results.js');
  const { publish } = await import('../../storage/publish.js');
  const { openS3HistoryStore } = await import('../../storage/history-s3.js');
  const history = await openS3HistoryStore(complete[0]!, io.env, options.network);
  const previous = await readPreviousRelease(history).finally(() => history.close());
  const assembled: ShardedRelease[] = [];
  for (const target of complete) assembled.push(assembleShards(finish.release, await readShardResults(target, finish.release, finish.count, io.env, options.network), `target "${target.name}"`, finish.expected, previous));
  const [sharded, ...others] = assembled as [ShardedRelease, ...ShardedRelease[]];
  const other = others.findIndex((candidate) => JSON.stringify(candidate.manifest) !== JSON.stringify(sharded.manifest));
  if (other >= 0) throw new RunFailure(`targets "${complete[0]?.name}" and "${complete[other + 1]?.name}" hold different shard results for release ${finish.release} (re-run every shard)`);
  const { missingObjects } = await import('../../storage/object-check.js');
  for (const target of complete) assertStored(await missingObjects(target, listedObjects(sharded.manifest), io.env, options.network), `target "${target.name}"`);
  const published = await publish(await withRuntimeFiles(sharded.objects, finish.worker), complete, { env: io.env, network: options.network });
  await emit(io, options, sharded, { publish: published }, renderPublish(published).trimEnd());
  return published.ok;
}

const shardKeys = (finish: Finish) => Array.from({ length: finish.count }, (_, i) => shardResultKey(finish.release, { index: i + 1, count: finish.count }));

/** What finish did, as a line for people or (--json, --report) JSON; the coverage reports are the shards'. */
async function emit(io: CliIO, options: RunOptions, sharded: ShardedRelease, extra: Record<string, unknown>, line: string): Promise<void> {
  const published = (extra.publish as { ok?: boolean } | undefined)?.ok ?? true;
  const summary = { release: sharded.manifest.release, shards: sharded.results.length, assets: Object.keys(sharded.manifest.assets).length, ok: published };
  const json = JSON.stringify({ ...summary, ...extra }, null, 2) + '\n';
  if (options.output.report) await writeUserFile(io.cwd, options.output.report, '--report', json);
  io.stdout(options.output.json ? json : `finished release ${summary.release} from ${summary.shards} shards (${summary.assets} assets)\n${line}\n`);
}
