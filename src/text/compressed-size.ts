import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** zlib's default level, as CDNs compress text on the fly; reports name it. */
export const GZIP_LEVEL = 6;
/** In the range CDNs use on the fly (quality 11 takes seconds on a 256 KB file); reports name it. */
export const BROTLI_QUALITY = 5;

/** Bytes after gzip at GZIP_LEVEL. */
export const gzipSize = (bytes: Uint8Array): number => gzipSync(bytes, { level: GZIP_LEVEL }).length;

/** Bytes after brotli at BROTLI_QUALITY. */
export const brotliSize = (bytes: Uint8Array): number => brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } }).length;
