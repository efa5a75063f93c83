/**
 * Chunk compression. zstd where this Node has it (22.15+, 24), deflate otherwise: measured
 * in docs/adr/0002-chunk-compression.md. Word bytes are stored as four byte planes ("shuffle"),
 * which roughly halves the size of call/return streams for the same codec.
 */
import zlib from 'node:zlib';
import { Codec, type CodecCode } from '../format/layout.js';

type Compress = (input: Uint8Array) => Uint8Array;

const zstdCompress = (zlib as { zstdCompressSync?: (b: Uint8Array, o?: object) => Buffer }).zstdCompressSync;
const zstdDecompress = (zlib as { zstdDecompressSync?: (b: Uint8Array, o?: object) => Buffer }).zstdDecompressSync;

/** The live drain's codec: zstd where Node has it, else deflate (brotli kept up only ~42 M events/s on real chunks). */
export const bestCodec: CodecCode = zstdCompress ? Codec.ZSTD : Codec.DEFLATE;

export function compressor(codec: CodecCode): Compress {
  switch (codec) {
    case Codec.ZSTD: {
      const params = { [(zlib.constants as Record<string, number>).ZSTD_c_compressionLevel!]: 3 };
      return (b) => zstdCompress!(b, { params });
    }
    case Codec.BROTLI: {
      const params = { [zlib.constants.BROTLI_PARAM_QUALITY]: 4, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: 0 };
      return (b) => zlib.brotliCompressSync(b, { params });
    }
    case Codec.DEFLATE:
      return (b) => zlib.deflateRawSync(b, { level: 1 });
    default:
      return (b) => b;
  }
}

export function canDecompress(codec: number): boolean {
  return codec !== Codec.ZSTD || zstdDecompress !== undefined;
}

/** Decompresses with a hard output bound, so a damaged frame cannot exhaust memory. */
export function decompress(codec: number, input: Uint8Array, expectedBytes: number): Uint8Array {
  const maxOutputLength = expectedBytes + 1;
  let out: Uint8Array;
  switch (codec) {
    case Codec.NONE:
      out = input;
      break;
    case Codec.ZSTD:
      if (!zstdDecompress) throw new Error('this recording uses zstd, which needs Node.js 22.15 or newer to read');
      out = zstdDecompress(input, { maxOutputLength });
      break;
    case Codec.BROTLI:
      out = zlib.brotliDecompressSync(input, { maxOutputLength });
      break;
    case Codec.DEFLATE:
      out = zlib.inflateRawSync(input, { maxOutputLength });
      break;
    default:
      throw new Error(`unknown codec ${codec}`);
  }
  if (out.length !== expectedBytes) throw new Error(`chunk holds ${out.length} bytes, header says ${expectedBytes}`);
  return out;
}

/** Splits 32-bit words into four byte planes (in place into `out`). */
export function shuffleWords(src: Uint8Array, out: Uint8Array): void {
  const n = src.length >>> 2;
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    out[i] = src[j]!;
    out[n + i] = src[j + 1]!;
    out[2 * n + i] = src[j + 2]!;
    out[3 * n + i] = src[j + 3]!;
  }
}

export function unshuffleWords(src: Uint8Array, out: Uint8Array): void {
  const n = src.length >>> 2;
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    out[j] = src[i]!;
    out[j + 1] = src[n + i]!;
    out[j + 2] = src[2 * n + i]!;
    out[j + 3] = src[3 * n + i]!;
  }
}
