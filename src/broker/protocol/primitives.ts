/**
 * Kafka wire primitives: big-endian fixed-width integers, zigzag/unsigned varints, classic
 * (int16/int32 length) and compact (unsigned varint length + 1) strings, bytes and arrays.
 *
 * The Reader never trusts the input: every length and every read is bounds-checked and
 * failures throw ProtocolDecodeError, so the server can drop a connection that sends garbage
 * instead of crashing or allocating what a hostile length field asks for.
 */

/** Malformed bytes from the peer: the only sane reaction is closing the connection. */
export class ProtocolDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolDecodeError';
  }
}

const ZERO_UUID_BYTES = Buffer.alloc(16);
const UUID_PATTERN = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const MAX_INT32 = 0x7fffffff;

export const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

export class Reader {
  offset: number;

  constructor(
    readonly buffer: Buffer,
    offset = 0,
  ) {
    this.offset = offset;
  }

  get remaining(): number {
    return this.buffer.length - this.offset;
  }

  /** Reserves `size` bytes and returns where they start; the single bounds check of the class. */
  private take(size: number): number {
    if (size < 0 || size > this.remaining) {
      throw new ProtocolDecodeError(
        `need ${size} bytes at offset ${this.offset}, only ${this.remaining} left`,
      );
    }
    const start = this.offset;
    this.offset += size;
    return start;
  }

  readInt8(): number {
    return this.buffer.readInt8(this.take(1));
  }

  readInt16(): number {
    return this.buffer.readInt16BE(this.take(2));
  }

  readUInt16(): number {
    return this.buffer.readUInt16BE(this.take(2));
  }

  readInt32(): number {
    return this.buffer.readInt32BE(this.take(4));
  }

  readUInt32(): number {
    return this.buffer.readUInt32BE(this.take(4));
  }

  readInt64(): bigint {
    return this.buffer.readBigInt64BE(this.take(8));
  }

  readFloat64(): number {
    return this.buffer.readDoubleBE(this.take(8));
  }

  readBool(): boolean {
    return this.readInt8() !== 0;
  }

  /** Unsigned LEB128 of at most 5 bytes (a uint32), as Kafka's ByteUtils.readUnsignedVarint. */
  readUnsignedVarint(): number {
    let value = 0;
    for (let i = 0; i < 5; i++) {
      const byte = this.buffer.readUInt8(this.take(1));
      // Multiplication rather than shifts: shifts would turn bit 31 into a sign bit.
      value += (byte & 0x7f) * 2 ** (7 * i);
      if ((byte & 0x80) === 0) {
        if (value > 0xffffffff) throw new ProtocolDecodeError('unsigned varint exceeds 32 bits');
        return value;
      }
    }
    throw new ProtocolDecodeError('unsigned varint longer than 5 bytes');
  }

  /** Zigzag-encoded signed int32 (record headers, key/value lengths). */
  readVarint(): number {
    const raw = this.readUnsignedVarint();
    // (raw >>> 1) ^ -(raw & 1), done on the uint32 value without losing bit 31.
    return (raw >>> 1) ^ -(raw & 1);
  }

  /** Unsigned LEB128 of at most 10 bytes (a uint64). */
  readUnsignedVarlong(): bigint {
    let value = 0n;
    for (let i = 0; i < 10; i++) {
      const byte = this.buffer.readUInt8(this.take(1));
      value |= BigInt(byte & 0x7f) << BigInt(7 * i);
      if ((byte & 0x80) === 0) {
        if (value > 0xffffffffffffffffn) throw new ProtocolDecodeError('varlong exceeds 64 bits');
        return value;
      }
    }
    throw new ProtocolDecodeError('unsigned varlong longer than 10 bytes');
  }

  /** Zigzag-encoded signed int64 (record timestamp and offset deltas). */
  readVarlong(): bigint {
    const raw = this.readUnsignedVarlong();
    return BigInt.asIntN(64, (raw >> 1n) ^ -(raw & 1n));
  }

  readRaw(size: number): Buffer {
    const start = this.take(size);
    return this.buffer.subarray(start, start + size);
  }

  /** A Reader over the next `size` bytes (advancing this one past them), for sized sub-structures. */
  slice(size: number): Reader {
    return new Reader(this.readRaw(size));
  }

  private utf8(size: number): string {
    const start = this.take(size);
    return this.buffer.toString('utf8', start, start + size);
  }

  /** Classic length (int16/int32): -1 means null when allowed, any other negative is malformed. */
  private classicLength(length: number, nullable: boolean, what: string): number | null {
    if (length === -1 && nullable) return null;
    if (length < 0) throw new ProtocolDecodeError(`invalid ${what} length ${length}`);
    return length;
  }

  /** Compact length: unsigned varint N+1, with 0 meaning null. */
  private compactLength(nullable: boolean, what: string): number | null {
    const encoded = this.readUnsignedVarint();
    if (encoded === 0) {
      if (nullable) return null;
      throw new ProtocolDecodeError(`null ${what} where none is allowed`);
    }
    return encoded - 1;
  }

  readString(): string {
    return this.utf8(this.classicLength(this.readInt16(), false, 'string') as number);
  }

  readNullableString(): string | null {
    const length = this.classicLength(this.readInt16(), true, 'string');
    return length === null ? null : this.utf8(length);
  }

  readCompactString(): string {
    return this.utf8(this.compactLength(false, 'string') as number);
  }

  readCompactNullableString(): string | null {
    const length = this.compactLength(true, 'string');
    return length === null ? null : this.utf8(length);
  }

  /** Returned buffers are views into the input (no copy); copy them if the input is reused. */
  readBytes(): Buffer {
    return this.readRaw(this.classicLength(this.readInt32(), false, 'bytes') as number);
  }

  readNullableBytes(): Buffer | null {
    const length = this.classicLength(this.readInt32(), true, 'bytes');
    return length === null ? null : this.readRaw(length);
  }

  readCompactBytes(): Buffer {
    return this.readRaw(this.compactLength(false, 'bytes') as number);
  }

  readCompactNullableBytes(): Buffer | null {
    const length = this.compactLength(true, 'bytes');
    return length === null ? null : this.readRaw(length);
  }

  /**
   * Array element count (null → null). Rejects counts larger than the bytes left: every element
   * takes at least one byte, so this stops a forged count from driving a huge loop.
   */
  readArrayLength(compact: boolean, nullable: boolean): number | null {
    const length = compact
      ? this.compactLength(nullable, 'array')
      : this.classicLength(this.readInt32(), nullable, 'array');
    if (length !== null && length > this.remaining) {
      throw new ProtocolDecodeError(`array length ${length} exceeds the ${this.remaining} bytes left`);
    }
    return length;
  }

  readArray<T>(readItem: (reader: Reader) => T, compact = false): T[] {
    const length = this.readArrayLength(compact, false) as number;
    const items: T[] = [];
    for (let i = 0; i < length; i++) items.push(readItem(this));
    return items;
  }

  readUuid(): string {
    const hex = this.readRaw(16).toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  /** Reads a tagged-field section, handing each field's bytes to `onField` (unknown tags: ignore). */
  readTaggedFields(onField?: (tag: number, data: Reader) => void): void {
    const count = this.readUnsignedVarint();
    for (let i = 0; i < count; i++) {
      const tag = this.readUnsignedVarint();
      const data = this.slice(this.readUnsignedVarint());
      onField?.(tag, data);
    }
  }

  skipTaggedFields(): void {
    this.readTaggedFields();
  }
}

/** A growable output buffer. A write that throws (value out of range) spoils the writer. */
export class Writer {
  private buf: Buffer;
  private pos = 0;

  constructor(initialCapacity = 256) {
    this.buf = Buffer.allocUnsafe(Math.max(16, initialCapacity));
  }

  /** Bytes written so far. */
  get length(): number {
    return this.pos;
  }

  /**
   * Grows the buffer if needed and returns where `size` new bytes go. Call it before reading
   * `this.buf`, which it may replace.
   */
  private reserve(size: number): number {
    if (this.pos + size > this.buf.length) {
      let capacity = this.buf.length * 2;
      while (capacity < this.pos + size) capacity *= 2;
      const grown = Buffer.allocUnsafe(capacity);
      this.buf.copy(grown, 0, 0, this.pos);
      this.buf = grown;
    }
    const start = this.pos;
    this.pos += size;
    return start;
  }

  writeInt8(value: number): this {
    const at = this.reserve(1);
    this.buf.writeInt8(value, at);
    return this;
  }

  writeInt16(value: number): this {
    const at = this.reserve(2);
    this.buf.writeInt16BE(value, at);
    return this;
  }

  writeUInt16(value: number): this {
    const at = this.reserve(2);
    this.buf.writeUInt16BE(value, at);
    return this;
  }

  writeInt32(value: number): this {
    const at = this.reserve(4);
    this.buf.writeInt32BE(value, at);
    return this;
  }

  writeUInt32(value: number): this {
    const at = this.reserve(4);
    this.buf.writeUInt32BE(value, at);
    return this;
  }

  writeInt64(value: bigint | number): this {
    const at = this.reserve(8);
    this.buf.writeBigInt64BE(BigInt(value), at);
    return this;
  }

  writeFloat64(value: number): this {
    const at = this.reserve(8);
    this.buf.writeDoubleBE(value, at);
    return this;
  }

  writeBool(value: boolean): this {
    return this.writeInt8(value ? 1 : 0);
  }

  /** Overwrites an int32 already written (e.g. a length known only after the body). */
  writeInt32At(offset: number, value: number): this {
    if (offset < 0 || offset + 4 > this.pos) throw new RangeError(`offset ${offset} not written yet`);
    this.buf.writeInt32BE(value, offset);
    return this;
  }

  writeUnsignedVarint(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new RangeError(`unsigned varint out of range: ${value}`);
    }
    let rest = value;
    while (rest >= 0x80) {
      const at = this.reserve(1);
      this.buf[at] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    const last = this.reserve(1);
    this.buf[last] = rest;
    return this;
  }

  writeVarint(value: number): this {
    if (!Number.isInteger(value) || value < -0x80000000 || value > MAX_INT32) {
      throw new RangeError(`varint out of int32 range: ${value}`);
    }
    return this.writeUnsignedVarint(((value << 1) ^ (value >> 31)) >>> 0);
  }

  writeUnsignedVarlong(value: bigint): this {
    if (value < 0n || value > 0xffffffffffffffffn) {
      throw new RangeError(`unsigned varlong out of range: ${value}`);
    }
    let rest = value;
    while (rest >= 0x80n) {
      const at = this.reserve(1);
      this.buf[at] = Number(rest & 0x7fn) | 0x80;
      rest >>= 7n;
    }
    const last = this.reserve(1);
    this.buf[last] = Number(rest);
    return this;
  }

  writeVarlong(value: bigint | number): this {
    const signed = BigInt.asIntN(64, BigInt(value));
    if (signed !== BigInt(value)) throw new RangeError(`varlong out of int64 range: ${value}`);
    return this.writeUnsignedVarlong(BigInt.asUintN(64, (signed << 1n) ^ (signed >> 63n)));
  }

  writeRaw(bytes: Uint8Array): this {
    const start = this.reserve(bytes.length);
    this.buf.set(bytes, start);
    return this;
  }

  private writeUtf8(value: string, lengthPrefix: (byteLength: number) => void, maxBytes: number): this {
    const byteLength = Buffer.byteLength(value, 'utf8');
    if (byteLength > maxBytes) throw new RangeError(`string of ${byteLength} bytes is too long`);
    lengthPrefix(byteLength);
    const at = this.reserve(byteLength);
    this.buf.write(value, at, byteLength, 'utf8');
    return this;
  }

  writeString(value: string): this {
    return this.writeUtf8(value, (n) => this.writeInt16(n), 0x7fff);
  }

  writeNullableString(value: string | null): this {
    return value === null ? this.writeInt16(-1) : this.writeString(value);
  }

  writeCompactString(value: string): this {
    return this.writeUtf8(value, (n) => this.writeUnsignedVarint(n + 1), 0x7fff);
  }

  writeCompactNullableString(value: string | null): this {
    return value === null ? this.writeUnsignedVarint(0) : this.writeCompactString(value);
  }

  writeBytes(value: Uint8Array): this {
    return this.writeInt32(value.length).writeRaw(value);
  }

  writeNullableBytes(value: Uint8Array | null): this {
    return value === null ? this.writeInt32(-1) : this.writeBytes(value);
  }

  writeCompactBytes(value: Uint8Array): this {
    return this.writeUnsignedVarint(value.length + 1).writeRaw(value);
  }

  writeCompactNullableBytes(value: Uint8Array | null): this {
    return value === null ? this.writeUnsignedVarint(0) : this.writeCompactBytes(value);
  }

  /** Array element count (null → -1, or 0 when compact). */
  writeArrayLength(length: number | null, compact: boolean): this {
    if (compact) return this.writeUnsignedVarint(length === null ? 0 : length + 1);
    return this.writeInt32(length === null ? -1 : length);
  }

  writeArray<T>(items: readonly T[], writeItem: (writer: this, item: T) => void, compact = false): this {
    this.writeArrayLength(items.length, compact);
    for (const item of items) writeItem(this, item);
    return this;
  }

  /** Accepts the 8-4-4-4-12 form or 32 bare hex digits. */
  writeUuid(value: string): this {
    if (!UUID_PATTERN.test(value)) throw new RangeError(`not a UUID: ${value}`);
    return this.writeRaw(value === ZERO_UUID ? ZERO_UUID_BYTES : Buffer.from(value.replace(/-/g, ''), 'hex'));
  }

  /** An empty tagged-field section (flexible versions always carry one per struct). */
  writeEmptyTaggedFields(): this {
    return this.writeUnsignedVarint(0);
  }

  /** The bytes written so far, as a view (no copy): take it once writing is finished. */
  toBuffer(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}
