import type { Command } from 'commander';
import { type Prewarm, prewarm } from '../index.js';
import type { CliIO } from './io.js';
import { type RunOptions, resolveRunOptions } from './options.js';
import { createProgress } from './progress.js';

/** Resolves a command's options and runs the pipeline with progress on stderr. */
export async function runPrewarm(command: Command, io: CliIO): Promise<{ options: RunOptions; result: Prewarm }> {
  const options = await resolveRunOptions(command, io);
  return { options, result: await prewarmWithProgress(options, io) };
}

/** The pipeline with progress on stderr, for commands that check more options first. */
export async function prewarmWithProgress(options: RunOptions, io: CliIO): Promise<Prewarm> {
  const progress = await createProgress(io, options.output.quiet);
  try {
    return await prewarm({ ...options.prewarm, onProgress: progress.onProgress });
  } finally {
    progress.stop();
  }
}
