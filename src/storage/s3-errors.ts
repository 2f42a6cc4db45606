/**
 * Reading errors from the S3 SDK. Stores differ in messages (Ceph RGW says "UnknownError"),
 * so decisions use the HTTP status and the error name or network code only.
 */
interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

export function httpStatusOf(error: unknown): number | undefined {
  return (error as SdkErrorShape | null)?.$metadata?.httpStatusCode;
}

export const isNotFound = (error: unknown) => httpStatusOf(error) === 404;
export const isPreconditionFailed = (error: unknown) => httpStatusOf(error) === 412;

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE']);

/** The network-level code of an error that never got an HTTP answer (ECONNREFUSED, TimeoutError...). */
export function networkCodeOf(error: unknown): string | undefined {
  if (httpStatusOf(error) !== undefined) return undefined;
  const shape = error as SdkErrorShape | null;
  if (shape?.code && NETWORK_CODES.has(shape.code)) return shape.code;
  if (shape?.name === 'TimeoutError') return shape.code ?? 'TimeoutError';
  if (shape?.name === 'AbortError') return 'deadline reached';
  const cause = (error as { cause?: unknown } | null)?.cause;
  return cause ? networkCodeOf(cause) : undefined;
}

/** A short reason for a report: name and status, or network code; never headers or credentials. */
export function describeS3Error(error: unknown): string {
  const network = networkCodeOf(error);
  if (network) return network;
  const shape = (error ?? {}) as SdkErrorShape;
  const status = httpStatusOf(error);
  const name = shape.name && shape.name !== 'Error' && shape.name !== 'UnknownError' ? shape.name : undefined;
  if (status !== undefined) return name ? `${name} (HTTP ${status})` : `HTTP ${status}`;
  return firstLine(shape.message ?? String(error));
}

const firstLine = (text: string) => text.trim().split('\n')[0] ?? '';

/** "3 attempts": how many tries the SDK made before giving up (the configured number when it does not say). */
export function attemptsOf(error: unknown, network: { attempts: number }): string {
  const attempts = (error as SdkErrorShape | null)?.$metadata?.attempts ?? network.attempts;
  return `${attempts} attempt${attempts === 1 ? '' : 's'}`;
}
