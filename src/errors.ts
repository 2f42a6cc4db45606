/**
 * The few kinds of failure deltawarm reports. The CLI maps each kind to an exit code in
 * one place (src/cli/exit-code.ts); the core only throws them.
 */
export abstract class DeltawarmError extends Error {
  abstract readonly kind: 'usage' | 'environment' | 'failure';
}

/** Bad flags, config or input: the user must change how deltawarm is called (exit 2). */
export class UsageError extends DeltawarmError {
  override name = 'UsageError';
  readonly kind = 'usage';
}

/** The machine, repository or store is not as needed: not a git repo, unreachable store (exit 2). */
export class EnvironmentError extends DeltawarmError {
  override name = 'EnvironmentError';
  readonly kind = 'environment';
}

/** The run found a failure: a patch that did not verify, an immutable key with other bytes (exit 1). */
export class RunFailure extends DeltawarmError {
  override name = 'RunFailure';
  readonly kind = 'failure';
}
