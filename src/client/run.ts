/** The element that runs an asset, by content type: scripts and style sheets only. */
export type RunAs = 'script' | 'style';

export function runAs(contentType: string): RunAs | undefined {
  return /css/.test(contentType) ? 'style' : /javascript/.test(contentType) ? 'script' : undefined;
}

/**
 * Runs a script or applies a style sheet by inserting it inline into the document head.
 * Throws what the script threw while it ran (an inline script reports it to the window's
 * `error` event, synchronously). ES modules are refused before this by their manifest mark
 * (SPEC §7.1); unmarked module code (a manifest older than the mark) fails here as a SyntaxError.
 */
export function run(as: RunAs, text: string, nonce: string | undefined): void {
  const element = document.createElement(as);
  if (nonce) element.nonce = nonce;
  element.textContent = text;
  let thrown: ErrorEvent | undefined;
  const onError = (event: ErrorEvent) => (thrown = event);
  addEventListener('error', onError);
  document.head.appendChild(element);
  removeEventListener('error', onError);
  if (thrown) throw new Error(`it threw ${thrown.message}`);
}
