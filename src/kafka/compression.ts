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

type Lz4 = {compress(src: Uint8Array): Uint8Array; decompress(src: Uint8Array): Uint8Array};
type Zstd = {init(): Promise<void>; compress(b: Uint8Array, level?: number): Uint8Array; decompress(b: Uint8Array): Uint8Array};

/**
 * kafkajs asks for a codec each time it meets a compressed batch, so each
 * library is loaded then, not by every command that creates a client.
 */
export function registerCodecs(): void {
  if (registered) return;
  registered = true;

  CompressionCodecs[CompressionTypes.Snappy] = () => (require('kafkajs-snappy') as () => Codec)();

  CompressionCodecs[CompressionTypes.LZ4] = (): Codec => {
    const lz4 = require('lz4js') as Lz4;
    return {
      compress: async (encoder) => Buffer.from(lz4.compress(encoder.buffer)),
      decompress: async (buffer) => Buffer.from(lz4.decompress(buffer)),
    };
  };

  let ready: Promise<Zstd> | null = null;
  const zstd = () =>
    (ready ??= (async () => {
      const lib = require('@bokuweb/zstd-wasm') as Zstd;
      await lib.init();
      return lib;
    })());
  CompressionCodecs[CompressionTypes.ZSTD] = (): Codec => ({
    compress: async (encoder) => Buffer.from((await zstd()).compress(encoder.buffer, 3)),
    decompress: async (buffer) => Buffer.from((await zstd()).decompress(buffer)),
  });
}
