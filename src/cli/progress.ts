import type { ProgressEvent } from '../index.js';
import type { CliIO } from './io.js';

export interface Progress {
  onProgress: (event: ProgressEvent) => void;
  stop: () => void;
}

const LINE_INTERVAL_MS = 5000;

/**
 * A spinner with counts in an interactive terminal; in CI or when stderr is not a TTY,
 * a short line on stderr at most every few seconds. Never anything on stdout.
 */
export async function createProgress(io: CliIO, quiet: boolean): Promise<Progress> {
  if (quiet) return { onProgress: () => {}, stop: () => {} };
  const interactive = io.isTTY && !io.env.CI;
  return interactive ? spinnerProgress() : lineProgress(io);
}

function describe(event: ProgressEvent): string {
  if (event.type === 'history') return 'reading git history';
  if (event.type === 'deepen') return `shallow clone: fetching ${event.commits} more commits`;
  return `patches ${event.done}/${event.total}`;
}

/** ora is loaded only for a terminal: it costs ~80 ms of start-up that CI runs need not pay. */
async function spinnerProgress(): Promise<Progress> {
  const { default: ora } = await import('ora');
  const spinner = ora({ stream: process.stderr });
  return {
    onProgress: (event) => {
      if (!spinner.isSpinning) spinner.start();
      spinner.text = describe(event);
    },
    stop: () => spinner.stop(),
  };
}

function lineProgress(io: CliIO): Progress {
  let last = 0;
  let pending: ProgressEvent | undefined;
  const print = (event: ProgressEvent) => io.stderr(`deltawarm: ${describe(event)}\n`);
  return {
    onProgress: (event) => {
      const now = Date.now();
      if (event.type !== 'patches' || now - last >= LINE_INTERVAL_MS) {
        print(event);
        last = now;
        pending = undefined;
      } else {
        pending = event;
      }
    },
    stop: () => pending && print(pending),
  };
}
