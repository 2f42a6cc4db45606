import { CommanderError } from 'commander';
import { DeltawarmError } from '../errors.js';

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** The one place errors become exit codes: 0 ok, 1 the run found a failure, 2 usage/config/environment. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (error instanceof DeltawarmError) return error.kind === 'failure' ? EXIT.failure : EXIT.usage;
  return EXIT.failure;
}

/** An error as a `--json` consumer reads it on stdout; `internal` is a bug. */
export interface ErrorObject {
  error: { kind: DeltawarmError['kind'] | 'internal'; message: string; exitCode: number };
}

/** Undefined for commander's own exits (help, version), which are not errors. */
export function errorObject(error: unknown): ErrorObject | undefined {
  const exitCode = exitCodeFor(error);
  if (error instanceof CommanderError) return exitCode === EXIT.ok ? undefined : { error: { kind: 'usage', message: error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' '), exitCode } };
  if (error instanceof DeltawarmError) return { error: { kind: error.kind, message: error.message, exitCode } };
  return { error: { kind: 'internal', message: firstLine(error), exitCode } };
}

/** One line for the user; an unexpected error is a bug and says so. Commander prints its own. */
export function errorLine(error: unknown): string | undefined {
  if (error instanceof CommanderError) return undefined;
  if (error instanceof DeltawarmError) return `deltawarm: ${error.message}`;
  return `deltawarm: internal error: ${firstLine(error)} (a bug: please report it with DELTAWARM_DEBUG=1 output)`;
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
