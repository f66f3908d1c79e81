import {createRequire} from 'node:module';
import kafkajs from 'kafkajs';

const {CompressionCodecs, CompressionTypes} = kafkajs;

/**
 * kafkajs ships only gzip. Records written by other clients (kcat, Java, Go) are
 * often snappy, lz4 or zstd, so kpat registers pure-JS/wasm codecs for them:
 * nothing to compile, nothing downloaded at install time.
 */
const require = createRequire(import.meta.url);

interface Codec {
  compress(encoder: {buffer: Buffer}): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

let registered = false;

export function registerCodecs(): void {
  if (registered) return;
  registered = true;

  const snappy = require('kafkajs-snappy') as () => Codec;
  CompressionCodecs[CompressionTypes.Snappy] = snappy;

  const lz4 = require('lz4js') as {compress(src: Uint8Array): Uint8Array; decompress(src: Uint8Array): Uint8Array};
  CompressionCodecs[CompressionTypes.LZ4] = (): Codec => ({
    compress: async (encoder) => Buffer.from(lz4.compress(encoder.buffer)),
    decompress: async (buffer) => Buffer.from(lz4.decompress(buffer)),
  });

  const zstd = require('@bokuweb/zstd-wasm') as {init(): Promise<void>; compress(b: Uint8Array, level?: number): Uint8Array; decompress(b: Uint8Array): Uint8Array};
  let ready: Promise<void> | null = null;
  const init = () => (ready ??= zstd.init());
  CompressionCodecs[CompressionTypes.ZSTD] = (): Codec => ({
    compress: async (encoder) => {
      await init();
      return Buffer.from(zstd.compress(encoder.buffer, 3));
    },
    decompress: async (buffer) => {
      await init();
      return Buffer.from(zstd.decompress(buffer));
    },
  });
}
