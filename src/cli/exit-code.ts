import { CommanderError } from 'commander';
import { DeltawarmError } from '../errors.js';

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** The one place errors become exit codes: 0 ok, 1 the run found a failure, 2 usage/config/environment. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (error instanceof DeltawarmError) return error.kind === 'failure' ? EXIT.failure : EXIT.usage;
  return EXIT.failure;
}

/** One line for the user; an unexpected error is a bug and says so. */
export function errorLine(error: unknown): string | undefined {
  if (error instanceof CommanderError) return undefined;
  if (error instanceof DeltawarmError) return `deltawarm: ${error.message}`;
  const message = error instanceof Error ? error.message : String(error);
  return `deltawarm: internal error: ${message.split('\n')[0]} (a bug: please report it with DELTAWARM_DEBUG=1 output)`;
}
