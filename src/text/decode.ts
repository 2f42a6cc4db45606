const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const BOM = '\uFEFF';

/**
 * The text of an asset as a browser's `Response.text()` gives it (SPEC §2), or undefined
 * when its bytes are not valid UTF-8 and it is therefore a binary asset.
 */
export function decodeText(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return undefined;
  }
  return text.startsWith(BOM) ? text.slice(1) : text;
}
