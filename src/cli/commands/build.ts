import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { writeTree } from '../../tree/write-tree.js';
import type { Config } from '../config-file.js';
import { EXIT } from '../exit-code.js';
import type { CliIO } from '../io.js';
import { directoryStore } from '../../history/store.js';
import { type RuntimeFlags, addRunOptions, inCi, addRuntimeOptions, resolveRunOptions, resolveWorker } from '../options.js';
import { emitReport, say } from '../report-output.js';
import { patchFailureOutcome } from '../outcome.js';
import { prewarmWithProgress } from '../run-prewarm.js';
import { withRuntimeFiles } from '../../tree/runtime-files.js';
import { addShardOption, objectsToStore, shardDone, withShard } from '../shard-option.js';
import type { Shard } from '../../shard/shard.js';
import { bytes } from '../../report/format.js';

const DEFAULT_OUT = 'deltawarm-out';

function configuredOut(config: Config): string {
  if (config.out === undefined) return DEFAULT_OUT;
  if (typeof config.out !== 'string' || config.out === '') throw new UsageError(`config ${config.source}: "out" must be a directory path`);
  return config.out;
}

/** `deltawarm build`: the static tree on disk, exactly as it would go to object storage. */
export function buildCommand(io: CliIO, setExitCode: (code: number) => void): Command {
  return addRuntimeOptions(addShardOption(addRunOptions(new Command('build'))))
    .description('write the static tree (full/, patch/, manifest/) to a directory')
    .addOption(new Option('--out <dir>', 'output directory (keys go under DIR/PREFIX)').env('DELTAWARM_OUT'))
    .action(async (flags: { out?: string; shard?: Shard } & RuntimeFlags, command: Command) => {
      const options = withShard(await resolveRunOptions(command, io), flags.shard);
      const worker = await resolveWorker(flags, options.prewarm.dir);
      const outDir = resolve(io.cwd, flags.out ?? configuredOut(options.config));
      // The tree at --out keeps every deploy: it is the deploy history unless --history names another.
      if (!options.prewarm.history) {
        options.prewarm.history = directoryStore(outDir, options.prefix);
        // A CI job's --out is usually a fresh directory: built mode would then lose every earlier deploy.
        options.prewarm.refuseFirstDeploy = inCi(io.env);
      }
      const result = await prewarmWithProgress(options, io);
      const failed = result.report.failures.length > 0;
      const objects = await withRuntimeFiles(objectsToStore(result, options, flags.shard), worker);
      const written = objects.length > 0 ? await writeTree(objects, outDir, options.prefix) : undefined;
      if (failed) result.report.outcome = patchFailureOutcome(result.report.failures.length, 'written');
      else if (written) result.report.outcome = { ok: true, summary: `to ${written.dir}` };
      await emitReport(result.report, options.output, io, written && !failed ? { tree: written } : {});
      if (written?.brokeStaleLock) say(io, options.output, written.brokeStaleLock);
      if (failed) say(io, options.output, `nothing written${flags.shard ? ' but the failed shard result' : ''}: a patch failed verification (see above)`);
      else if (written) say(io, options.output, `wrote ${written.written} files (${bytes(written.bytesWritten)}), ${written.skipped} already there, to ${written.dir}`);
      if (flags.shard && !failed) say(io, options.output, shardDone(flags.shard));
      setExitCode(failed ? EXIT.failure : EXIT.ok);
    });
}
