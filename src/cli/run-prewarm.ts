import type { Command } from 'commander';
import { type Prewarm, prewarm } from '../index.js';
import type { CliIO } from './io.js';
import { type RunOptions, resolveRunOptions } from './options.js';
import { createProgress } from './progress.js';

/** Resolves a command's options and runs the pipeline with progress on stderr. */
export async function runPrewarm(command: Command, io: CliIO): Promise<{ options: RunOptions; result: Prewarm }> {
  const options = await resolveRunOptions(command, io);
  const progress = await createProgress(io, options.output.quiet);
  try {
    const result = await prewarm({ ...options.prewarm, onProgress: progress.onProgress });
    return { options, result };
  } finally {
    progress.stop();
  }
}
