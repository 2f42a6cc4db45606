/** `scheme://user:password@` (or `scheme://token@`) anywhere in a text. */
const CREDENTIALS_IN_URL = /\b([a-z][a-z0-9+.-]*:\/\/)[^/?#\s@"'<>]+@/gi;

/**
 * A text with the credentials of every URL in it replaced by `***`: what deltawarm prints or
 * writes (errors, reports, logs) never holds a password given in a URL, wherever it came from.
 */
export function redactCredentials(text: string): string {
  return text.replace(CREDENTIALS_IN_URL, '$1***@');
}

/** `http://user:pw@host/`: such a URL must not go to fetch (which refuses it) nor into a message. */
export function holdsCredentials(spec: string): boolean {
  try {
    const url = new URL(spec);
    return url.username !== '' || url.password !== '';
  } catch {
    return false;
  }
}
