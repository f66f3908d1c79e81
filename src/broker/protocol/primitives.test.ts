import {createRequire} from 'node:module';
import {describe, expect, it} from 'vitest';
import {ProtocolDecodeError, Reader, Writer, ZERO_UUID} from './primitives.js';

const require = createRequire(import.meta.url);
// kafkajs's own encoder is an independent reference for the varint byte layouts.
const KafkajsEncoder = require('kafkajs/src/protocol/encoder.js');
const Long = require('kafkajs/src/utils/long.js');

const hex = (buffer: Buffer) => buffer.toString('hex');
const reader = (hexBytes: string) => new Reader(Buffer.from(hexBytes.replace(/\s+/g, ''), 'hex'));

describe('fixed-width round trips', () => {
  it('writes big-endian integers, floats and bools and reads them back', () => {
    const w = new Writer(1); // tiny on purpose: forces growth
    w.writeInt8(-128).writeInt16(-2).writeUInt16(0xfffe).writeInt32(-5).writeUInt32(0xfffffffe);
    w.writeInt64(-9223372036854775808n).writeInt64(42).writeFloat64(1.5).writeBool(true).writeBool(false);
    const bytes = w.toBuffer();
    expect(hex(bytes)).toBe(
      '80' + 'fffe' + 'fffe' + 'fffffffb' + 'fffffffe' + '8000000000000000' + '000000000000002a' +
        '3ff8000000000000' + '01' + '00',
    );
    const r = new Reader(bytes);
    expect(r.readInt8()).toBe(-128);
    expect(r.readInt16()).toBe(-2);
    expect(r.readUInt16()).toBe(0xfffe);
    expect(r.readInt32()).toBe(-5);
    expect(r.readUInt32()).toBe(0xfffffffe);
    expect(r.readInt64()).toBe(-9223372036854775808n);
    expect(r.readInt64()).toBe(42n);
    expect(r.readFloat64()).toBe(1.5);
    expect(r.readBool()).toBe(true);
    expect(r.readBool()).toBe(false);
    expect(r.remaining).toBe(0);
  });

  it('reads any non-zero byte as true', () => {
    expect(reader('02').readBool()).toBe(true);
  });

  it('patches an int32 in place', () => {
    const w = new Writer().writeInt32(0).writeInt16(7);
    w.writeInt32At(0, 2);
    expect(hex(w.toBuffer())).toBe('000000020007');
    expect(() => w.writeInt32At(4, 1)).toThrow(RangeError);
  });
});

describe('varints', () => {
  const unsignedCases: Array<[number, string]> = [
    [0, '00'],
    [1, '01'],
    [127, '7f'],
    [128, '8001'],
    [300, 'ac02'],
    [16383, 'ff7f'],
    [16384, '808001'],
    [2 ** 31 - 1, 'ffffffff07'],
    [2 ** 31, '8080808008'],
    [2 ** 32 - 1, 'ffffffff0f'],
  ];
  it.each(unsignedCases)('unsigned varint %d ⇄ %s', (value, bytes) => {
    expect(hex(new Writer().writeUnsignedVarint(value).toBuffer())).toBe(bytes);
    const r = reader(bytes);
    expect(r.readUnsignedVarint()).toBe(value);
    expect(r.remaining).toBe(0);
  });

  const signedCases = [0, 1, -1, 63, -64, 64, -65, 300, -300, 2 ** 31 - 1, -(2 ** 31)];
  it.each(signedCases)('zigzag varint %d matches kafkajs and round-trips', (value) => {
    const ours = new Writer().writeVarint(value).toBuffer();
    expect(hex(ours)).toBe(hex(new KafkajsEncoder().writeVarInt(value).buffer));
    expect(new Reader(ours).readVarint()).toBe(value);
  });

  it('zigzag maps small magnitudes to one byte', () => {
    expect(hex(new Writer().writeVarint(-1).writeVarint(1).writeVarint(-64).toBuffer())).toBe('01027f');
  });

  const longCases = [0n, 1n, -1n, 1700000000000n, -1700000000000n, 2n ** 63n - 1n, -(2n ** 63n)];
  it.each(longCases)('zigzag varlong %s matches kafkajs and round-trips', (value) => {
    const ours = new Writer().writeVarlong(value).toBuffer();
    expect(hex(ours)).toBe(hex(new KafkajsEncoder().writeVarLong(Long.fromString(value.toString())).buffer));
    const r = new Reader(ours);
    expect(r.readVarlong()).toBe(value);
    expect(r.remaining).toBe(0);
  });

  it('int64 extremes take 10 bytes as varlongs', () => {
    expect(hex(new Writer().writeVarlong(2n ** 63n - 1n).toBuffer())).toBe('feffffffffffffffff01');
    expect(new Writer().writeVarlong(-(2n ** 63n)).length).toBe(10);
  });

  it('rejects values the encoding cannot carry', () => {
    expect(() => new Writer().writeUnsignedVarint(-1)).toThrow(RangeError);
    expect(() => new Writer().writeUnsignedVarint(2 ** 32)).toThrow(RangeError);
    expect(() => new Writer().writeVarint(2 ** 31)).toThrow(RangeError);
    expect(() => new Writer().writeVarint(1.5)).toThrow(RangeError);
    expect(() => new Writer().writeVarlong(2n ** 63n)).toThrow(RangeError);
  });
});

describe('strings, bytes, arrays, uuids', () => {
  it('classic and compact strings, with nulls', () => {
    const w = new Writer()
      .writeString('héllo')
      .writeNullableString(null)
      .writeCompactString('ab')
      .writeCompactNullableString(null)
      .writeCompactString('');
    expect(hex(w.toBuffer())).toBe('0006' + '68c3a96c6c6f' + 'ffff' + '03' + '6162' + '00' + '01');
    const r = new Reader(w.toBuffer());
    expect(r.readString()).toBe('héllo');
    expect(r.readNullableString()).toBeNull();
    expect(r.readCompactString()).toBe('ab');
    expect(r.readCompactNullableString()).toBeNull();
    expect(r.readCompactString()).toBe('');
    expect(r.remaining).toBe(0);
  });

  it('classic and compact bytes, with nulls', () => {
    const w = new Writer()
      .writeBytes(Buffer.from([1, 2]))
      .writeNullableBytes(null)
      .writeCompactBytes(Buffer.from([3]))
      .writeCompactNullableBytes(null);
    expect(hex(w.toBuffer())).toBe('00000002' + '0102' + 'ffffffff' + '02' + '03' + '00');
    const r = new Reader(w.toBuffer());
    expect([...r.readBytes()]).toEqual([1, 2]);
    expect(r.readNullableBytes()).toBeNull();
    expect([...r.readCompactBytes()]).toEqual([3]);
    expect(r.readCompactNullableBytes()).toBeNull();
  });

  it('arrays, classic and compact', () => {
    const w = new Writer()
      .writeArray([1, 2], (out, n) => out.writeInt32(n))
      .writeArray(['x'], (out, s) => out.writeCompactString(s), true)
      .writeArrayLength(null, false)
      .writeArrayLength(null, true);
    expect(hex(w.toBuffer())).toBe('00000002' + '00000001' + '00000002' + '02' + '0278' + 'ffffffff' + '00');
    const r = new Reader(w.toBuffer());
    expect(r.readArray((x) => x.readInt32())).toEqual([1, 2]);
    expect(r.readArray((x) => x.readCompactString(), true)).toEqual(['x']);
    expect(r.readArrayLength(false, true)).toBeNull();
    expect(r.readArrayLength(true, true)).toBeNull();
  });

  it('uuids', () => {
    const id = '0123abcd-4567-89ef-0123-456789abcdef';
    const bytes = new Writer().writeUuid(id).writeUuid(ZERO_UUID).toBuffer();
    expect(hex(bytes)).toBe('0123abcd456789ef0123456789abcdef' + '00'.repeat(16));
    const r = new Reader(bytes);
    expect(r.readUuid()).toBe(id);
    expect(r.readUuid()).toBe(ZERO_UUID);
    expect(() => new Writer().writeUuid('not-a-uuid')).toThrow(RangeError);
  });

  it('rejects strings longer than an int16 length can say', () => {
    expect(() => new Writer().writeString('x'.repeat(0x8000))).toThrow(RangeError);
  });

  it('skips tagged fields and hands known ones over', () => {
    // two fields: tag 0 with 1 byte, tag 3 with 2 bytes
    const bytes = '02' + '00' + '01' + 'aa' + '03' + '02' + 'bbcc' + '7f';
    const r = reader(bytes);
    const seen: Array<[number, string]> = [];
    r.readTaggedFields((tag, data) => seen.push([tag, hex(data.readRaw(data.remaining))]));
    expect(seen).toEqual([
      [0, 'aa'],
      [3, 'bbcc'],
    ]);
    expect(r.readInt8()).toBe(0x7f);
    const skip = reader(bytes);
    skip.skipTaggedFields();
    expect(skip.remaining).toBe(1);
  });

  it('returns views, not copies, of the input', () => {
    const input = Buffer.from('0000000201020304', 'hex');
    const bytes = new Reader(input).readBytes();
    input[4] = 9;
    expect(bytes[0]).toBe(9);
  });
});

describe('malformed input throws ProtocolDecodeError', () => {
  const cases: Array<[string, string, (r: Reader) => unknown]> = [
    ['truncated int32', '000001', (r) => r.readInt32()],
    ['truncated int64', '00000000000001', (r) => r.readInt64()],
    ['empty int8', '', (r) => r.readInt8()],
    ['unsigned varint of 6 bytes', '808080808001', (r) => r.readUnsignedVarint()],
    ['unsigned varint above 32 bits', 'ffffffff1f', (r) => r.readUnsignedVarint()],
    ['unterminated varint', '8080', (r) => r.readVarint()],
    ['varlong of 11 bytes', '8080808080808080808001', (r) => r.readVarlong()],
    ['string longer than the input', '0005616263', (r) => r.readString()],
    ['null non-nullable string', 'ffff', (r) => r.readString()],
    ['string length -2', 'fffe', (r) => r.readNullableString()],
    ['null non-nullable compact string', '00', (r) => r.readCompactString()],
    ['compact string longer than the input', '0561', (r) => r.readCompactNullableString()],
    ['bytes length -2', 'fffffffe', (r) => r.readNullableBytes()],
    ['null non-nullable bytes', 'ffffffff', (r) => r.readBytes()],
    ['bytes longer than the input', '0000000a00', (r) => r.readBytes()],
    ['array length -2', 'fffffffe', (r) => r.readArrayLength(false, true)],
    ['null non-nullable array', 'ffffffff', (r) => r.readArrayLength(false, false)],
    ['array count above the bytes left', '7fffffff00', (r) => r.readArray((x) => x.readInt8())],
    ['compact array count above the bytes left', 'ffffffff0f', (r) => r.readArrayLength(true, false)],
    ['truncated uuid', '00'.repeat(15), (r) => r.readUuid()],
    ['tagged field longer than the input', '01000501', (r) => r.skipTaggedFields()],
    ['negative raw read', '00', (r) => r.readRaw(-1)],
  ];
  it.each(cases)('%s', (_name, bytes, read) => {
    expect(() => read(reader(bytes))).toThrow(ProtocolDecodeError);
  });

  it('leaves no half-read state that reads past the end', () => {
    const r = reader('0001');
    expect(() => r.readInt32()).toThrow(ProtocolDecodeError);
    expect(r.readInt16()).toBe(1);
  });
});
