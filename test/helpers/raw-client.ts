import net from 'node:net';
import {Reader, Writer} from '../../src/broker/protocol/primitives.js';
import {decodeMessage, encodeMessage, type Decoded, type Encodable, type MessageSchema} from '../../src/broker/protocol/schema.js';
import {requestHeaderVersion, responseHeaderVersion} from '../../src/broker/protocol/header.js';

/** A bare-socket Kafka client for tests that need exact bytes: malformed input, timing, raw responses. */
export class RawClient {
  private buffer = Buffer.alloc(0);
  private waiters: Array<{resolve: (frame: Buffer) => void; reject: (e: Error) => void}> = [];
  private frames: Buffer[] = [];
  private correlation = 1;
  closed = false;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      while (this.buffer.length >= 4) {
        const size = this.buffer.readInt32BE(0);
        if (this.buffer.length < 4 + size) break;
        const frame = this.buffer.subarray(4, 4 + size);
        this.buffer = this.buffer.subarray(4 + size);
        const waiter = this.waiters.shift();
        if (waiter) waiter.resolve(frame);
        else this.frames.push(frame);
      }
    });
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w.reject(new Error('connection closed'));
    });
    socket.on('error', () => {});
  }

  static connect(bootstrap: string): Promise<RawClient> {
    const [host, port] = bootstrap.split(':');
    return new Promise((resolve, reject) => {
      const socket = net.connect({host: host!, port: Number(port)}, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends raw bytes as they are (no framing). */
  writeRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Frames a request with a header; returns its correlation id. */
  send(apiKey: number, apiVersion: number, body: Buffer): number {
    const correlationId = this.correlation++;
    const w = new Writer();
    w.writeInt32(0).writeInt16(apiKey).writeInt16(apiVersion).writeInt32(correlationId).writeNullableString('raw-test');
    if (requestHeaderVersion(apiKey, apiVersion) === 2) w.writeUnsignedVarint(0);
    w.writeRaw(body);
    const frame = w.toBuffer();
    frame.writeInt32BE(frame.length - 4, 0);
    this.socket.write(frame);
    return correlationId;
  }

  nextFrame(): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const ready = this.frames.shift();
      if (ready) resolve(ready);
      else if (this.closed) reject(new Error('connection closed'));
      else this.waiters.push({resolve, reject});
    });
  }

  /** Encodes, sends, and decodes the answer with the response schema. */
  async request<Req extends MessageSchema, Res extends MessageSchema>(
    reqSchema: Req,
    resSchema: Res,
    version: number,
    body: Encodable<Req>,
  ): Promise<{correlationId: number; response: Decoded<Res>}> {
    const sent = this.send(reqSchema.apiKey, version, encodeMessage(reqSchema, version, body as never).toBuffer());
    const frame = await this.nextFrame();
    const reader = new Reader(frame);
    const correlationId = reader.readInt32();
    if (responseHeaderVersion(reqSchema.apiKey, version) === 1) reader.skipTaggedFields();
    if (correlationId !== sent) throw new Error(`correlation id ${correlationId} != ${sent}`);
    return {correlationId, response: decodeMessage(resSchema, version, reader)};
  }

  close(): void {
    this.socket.destroy();
  }
}
