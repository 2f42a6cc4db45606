import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Bytes after gzip at zlib's default level, as CDNs compress text on the fly. */
export const gzipSize = (bytes: Uint8Array): number => gzipSync(bytes).length;

/** Bytes after brotli at quality 5, in the range CDNs use on the fly (quality 11 takes seconds on a 256 KB file). */
export const brotliSize = (bytes: Uint8Array): number => brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }).length;
