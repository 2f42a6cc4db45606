/** The element that runs an asset, by content type: scripts and style sheets only. */
export type RunAs = 'script' | 'style';

export function runAs(contentType: string): RunAs | undefined {
  return /css/.test(contentType) ? 'style' : /javascript/.test(contentType) ? 'script' : undefined;
}

/** Runs a script or applies a style sheet by inserting it inline into the document head. */
export function run(as: RunAs, text: string, nonce: string | undefined): void {
  const element = document.createElement(as);
  if (nonce) element.nonce = nonce;
  element.textContent = text;
  document.head.appendChild(element);
}
