/**
 * How long any network call may take. One set of settings for every store and history source,
 * so that a store that accepts connections and never answers ends the run with a clear error.
 */
export interface NetworkOptions {
  /** Time to open a connection. */
  connectTimeoutMs: number;
  /** Time to the answer's headers, and the longest silence while a body is sent or received. */
  requestTimeoutMs: number;
  /** Attempts per request, the first included (retries back off exponentially with jitter). */
  attempts: number;
  /** The longest one network step may take, every attempt and backoff included. */
  deadlineMs: number;
}

/** A store that never answers fails each step after 3 x 15 s plus backoff: under a minute. */
export const DEFAULT_NETWORK: NetworkOptions = { connectTimeoutMs: 5_000, requestTimeoutMs: 15_000, attempts: 3, deadlineMs: 60_000 };

/** The settings in words, for messages: "3 attempts, 15 s request timeout, 60 s deadline". */
export function describeLimits(network: NetworkOptions): string {
  const s = (msValue: number) => `${Number((msValue / 1000).toFixed(3))} s`;
  return `${network.attempts} attempt${network.attempts === 1 ? '' : 's'}, ${s(network.requestTimeoutMs)} request timeout, ${s(network.deadlineMs)} deadline`;
}

/** Exponential backoff with full jitter (as the AWS SDK's standard retry strategy): 100 ms base, 5 s cap. */
export function backoffMs(retry: number): number {
  return Math.random() * Math.min(5_000, 100 * 2 ** retry);
}

/** Thrown when a step ran out of attempts or time; `reason` is one short phrase (timeout, ECONNRESET, HTTP 500). */
export class NetworkGiveUp extends Error {
  override name = 'NetworkGiveUp';
  constructor(readonly reason: string, readonly attempts: number) {
    super(`${reason} after ${attempts} attempt${attempts === 1 ? '' : 's'}`);
  }
}

/** What one try gets: a signal, and `alive()` to call whenever bytes arrive (it restarts the silence timer). */
export interface Attempt {
  signal: AbortSignal;
  alive(): void;
}

/**
 * Runs `attempt` until it succeeds, with at most `attempts` tries and an overall deadline.
 * Each try's signal aborts after `requestTimeoutMs` of silence (no headers, no body bytes) or
 * at the deadline; the whole answer, body included, is read within the try, so a body cut or
 * stalled midway is retried like a failed request. `describe` says what went wrong and
 * whether another try is worth it.
 */
export async function withRetries<T>(network: NetworkOptions, attempt: (a: Attempt) => Promise<T>, describe: (error: unknown) => { reason: string; retry: boolean }): Promise<T> {
  const deadline = AbortSignal.timeout(network.deadlineMs);
  let last = '';
  let tried = 0;
  while (tried < network.attempts) {
    if (tried > 0 && !(await sleep(backoffMs(tried - 1), deadline))) break;
    tried++;
    const silence = new SilenceTimer(network.requestTimeoutMs);
    try {
      return await attempt({ signal: AbortSignal.any([deadline, silence.signal]), alive: () => silence.restart() });
    } catch (error) {
      const { reason, retry } = describe(error);
      if (!retry) throw error;
      last = reason;
      if (deadline.aborted) break;
    } finally {
      silence.stop();
    }
  }
  const seconds = Number((network.deadlineMs / 1000).toFixed(3));
  throw new NetworkGiveUp(deadline.aborted ? `${last || 'no answer'} (deadline of ${seconds} s reached)` : last, tried);
}

/** A signal that aborts (TimeoutError) after `ms` without a restart. */
class SilenceTimer {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  readonly signal = this.controller.signal;
  constructor(private readonly ms: number) {
    this.restart();
  }
  restart(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.controller.abort(new DOMException(`no answer for ${this.ms} ms`, 'TimeoutError')), this.ms);
  }
  stop(): void {
    clearTimeout(this.timer);
  }
}

/** Waits `ms`; false when the signal aborted first. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
