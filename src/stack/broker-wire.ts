/**
 * A minimal Kafka client over one TCP connection, built on the broker's own
 * protocol codecs: what the registry hosted beside the broker needs to use the
 * broker as any client would (create a topic, produce, fetch), without loading
 * a client library into the broker's process. Requests go one at a time.
 */
import net from 'node:net';
import tls from 'node:tls';
import {requestHeaderVersion, responseHeaderVersion} from '../broker/protocol/header.js';
import {SaslAuthenticateRequestSchema, SaslAuthenticateResponseSchema} from '../broker/protocol/messages/sasl-authenticate.js';
import {SaslHandshakeRequestSchema, SaslHandshakeResponseSchema} from '../broker/protocol/messages/sasl-handshake.js';
import {Reader, Writer} from '../broker/protocol/primitives.js';
import {decodeMessage, encodeMessage, type Decoded, type Encodable, type MessageSchema} from '../broker/protocol/schema.js';
import {saslClientTokens, type SaslCredentials} from './sasl-client.js';

/** How to reach a secured listener: TLS options (node:tls) and SASL credentials. */
export interface WireSecurity {
  tls?: tls.ConnectionOptions;
  sasl?: SaslCredentials;
}

export class BrokerWire {
  private buffer = Buffer.alloc(0);
  private pending: {resolve: (frame: Buffer) => void; reject: (e: Error) => void} | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private correlation = 0;
  private failure: Error | null = null;

  private constructor(
    private readonly socket: net.Socket,
    private readonly clientId: string,
  ) {
    socket.on('data', (chunk) => this.onData(chunk));
    const fail = (error: Error) => {
      this.failure ??= error;
      this.pending?.reject(this.failure);
      this.pending = null;
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('the broker closed the connection')));
  }

  static async connect(host: string, port: number, clientId: string, security: WireSecurity = {}): Promise<BrokerWire> {
    const wire = await new Promise<BrokerWire>((resolve, reject) => {
      const onConnect = () => {
        socket.off('error', reject);
        resolve(new BrokerWire(socket, clientId));
      };
      const socket: net.Socket = security.tls
        ? tls.connect({host, port, servername: net.isIP(host) ? undefined : host, ...security.tls}, onConnect)
        : net.connect({host, port}, onConnect);
      socket.once('error', reject);
    });
    if (security.sasl) {
      try {
        await wire.authenticate(security.sasl);
      } catch (error) {
        wire.close();
        throw error;
      }
    }
    return wire;
  }

  /** SaslHandshake v1, then one SaslAuthenticate per token of the mechanism. */
  private async authenticate(creds: SaslCredentials): Promise<void> {
    const handshake = await this.request(SaslHandshakeRequestSchema, SaslHandshakeResponseSchema, 1, {mechanism: creds.mechanism});
    if (handshake.errorCode !== 0) {
      throw new Error(`the broker does not offer SASL ${creds.mechanism} (it offers ${handshake.mechanisms.join(', ') || 'none'})`);
    }
    const tokens = saslClientTokens(creds);
    let answer: Buffer = Buffer.alloc(0);
    for (let next = tokens.next(); !next.done; next = tokens.next(answer)) {
      const res = await this.request(SaslAuthenticateRequestSchema, SaslAuthenticateResponseSchema, 1, {authBytes: next.value});
      if (res.errorCode !== 0) throw new Error(`SASL authentication as ${creds.username} failed: ${res.errorMessage ?? `Kafka error ${res.errorCode}`}`);
      answer = res.authBytes;
    }
  }

  /** Sends one request and decodes its response (requests are serialized). */
  request<Req extends MessageSchema, Res extends MessageSchema>(req: Req, res: Res, version: number, body: Encodable<Req>): Promise<Decoded<Res>> {
    const run = this.queue.then(() => this.roundTrip(req, res, version, body));
    this.queue = run.catch(() => {});
    return run;
  }

  close(): void {
    this.socket.destroy();
  }

  private async roundTrip<Req extends MessageSchema, Res extends MessageSchema>(req: Req, res: Res, version: number, body: Encodable<Req>): Promise<Decoded<Res>> {
    if (this.failure) throw this.failure;
    const correlationId = ++this.correlation;
    const w = new Writer();
    w.writeInt32(0).writeInt16(req.apiKey).writeInt16(version).writeInt32(correlationId).writeNullableString(this.clientId);
    if (requestHeaderVersion(req.apiKey, version) === 2) w.writeUnsignedVarint(0);
    encodeMessage(req, version, body as never, w);
    const frame = w.toBuffer();
    frame.writeInt32BE(frame.length - 4, 0);
    const answer = new Promise<Buffer>((resolve, reject) => (this.pending = {resolve, reject}));
    this.socket.write(frame);
    const reader = new Reader(await answer);
    const got = reader.readInt32();
    if (got !== correlationId) throw new Error(`the broker answered request ${got}, expected ${correlationId}`);
    if (responseHeaderVersion(req.apiKey, version) === 1) reader.skipTaggedFields();
    return decodeMessage(res, version, reader);
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    while (this.buffer.length >= 4) {
      const size = this.buffer.readInt32BE(0);
      if (this.buffer.length < 4 + size) return;
      const frame = Buffer.from(this.buffer.subarray(4, 4 + size));
      this.buffer = this.buffer.subarray(4 + size);
      const waiter = this.pending;
      this.pending = null;
      waiter?.resolve(frame);
    }
  }
}
