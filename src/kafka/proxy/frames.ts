/**
 * Splits a byte stream into Kafka's size-prefixed frames (int32 length, then the bytes),
 * however the socket chunks them.
 */
const MAX_FRAME_BYTES = 100 * 1024 * 1024;

export class FrameSplitter {
  private pending: Buffer = Buffer.alloc(0);

  /** Returns the complete frames (without their length prefix); throws on an impossible length. */
  push(chunk: Buffer): Buffer[] {
    let data = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Buffer[] = [];
    while (data.length >= 4) {
      const size = data.readInt32BE(0);
      if (size < 0 || size > MAX_FRAME_BYTES) throw new Error(`frame of ${size} bytes: not Kafka traffic`);
      if (data.length < 4 + size) break;
      frames.push(data.subarray(4, 4 + size));
      data = data.subarray(4 + size);
    }
    // Copy the partial frame so the chunk it came from can be freed.
    this.pending = Buffer.from(data);
    return frames;
  }
}

/** The frame with its int32 length prefix, ready for the socket. */
export function framed(body: Buffer): Buffer {
  const prefix = Buffer.alloc(4);
  prefix.writeInt32BE(body.length);
  return Buffer.concat([prefix, body]);
}
