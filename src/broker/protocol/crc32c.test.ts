import {createRequire} from 'node:module';
import {randomBytes} from 'node:crypto';
import {describe, expect, it} from 'vitest';
import {crc32c} from './crc32c.js';

const require = createRequire(import.meta.url);
// kafkajs ships an independent CRC-32C; agreeing with it on random data guards the fast path.
const kafkajsCrc32c = require('kafkajs/src/protocol/recordBatch/crc32C/index.js') as (buf: Buffer) => number;

describe('crc32c', () => {
  it('matches the standard check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('matches the RFC 3720 (iSCSI) test vectors', () => {
    expect(crc32c(Buffer.alloc(32, 0x00))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
    expect(crc32c(Buffer.from(Array.from({length: 32}, (_, i) => i)))).toBe(0x46dd794e);
    expect(crc32c(Buffer.from(Array.from({length: 32}, (_, i) => 31 - i)))).toBe(0x113fdb5c);
  });

  it('is 0 for no bytes', () => {
    expect(crc32c(Buffer.alloc(0))).toBe(0);
  });

  it('checksums a sub-range and continues across pieces', () => {
    const data = randomBytes(1000);
    expect(crc32c(data, 10, 990)).toBe(crc32c(data.subarray(10, 990)));
    const first = crc32c(data, 0, 333);
    expect(crc32c(data, 333, data.length, first)).toBe(crc32c(data));
  });

  it('agrees with kafkajs on every length around the 8-byte stride and on large buffers', () => {
    for (let length = 0; length < 70; length++) {
      const data = randomBytes(length);
      expect(crc32c(data)).toBe(kafkajsCrc32c(data));
    }
    const big = randomBytes(1 << 20);
    expect(crc32c(big)).toBe(kafkajsCrc32c(big));
  });
});
