import net from 'node:net';
import tls from 'node:tls';
import type {ApiHandler, BrokerContext} from './apis/types.js';
import {NO_RESPONSE} from './apis/types.js';
import {ErrorCode, KafkaProtocolError} from './protocol/errors.js';
import {decodeRequestHeader, encodeResponseHeader, responseHeaderVersion} from './protocol/header.js';
import {Reader, Writer} from './protocol/primitives.js';
import {decodeMessage, encodeMessage} from './protocol/schema.js';
import {checkAuthenticated, rawSaslToken} from './security/gate.js';
import {Session} from './security/session.js';
import {principalOfPeer} from './security/tls-listener.js';

/**
 * Sockets only: size-prefixed framing, header parsing, dispatch by API key, and
 * responses written in request order per connection even while an earlier
 * request (a long-poll Fetch) is parked — clients pipeline.
 */
export interface ServerOptions {
  handlers: Map<number, ApiHandler>;
  ctx: BrokerContext;
  /** Called for an API key the broker does not know or a version outside its range. */
  unsupported: (apiKey: number, apiVersion: number, correlationId: number) => Buffer;
  /** A TLS listener (SSL or SASL_SSL) instead of plaintext. */
  tls?: tls.TlsOptions;
  /** A SASL listener: clients authenticate before anything but ApiVersions and SASL itself. */
  saslRequired?: boolean;
}

interface Pending {
  done: boolean;
  frame: Buffer | null;
  /** Close the connection once this answer is written (a failed authentication). */
  close?: boolean;
}

export class KafkaServer {
  private readonly server: net.Server;
  /** Every connection, TLS ones from before their handshake, so close() can end them all. */
  private readonly sockets = new Set<net.Socket>();
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly opts: ServerOptions) {
    if (opts.tls) {
      const server = tls.createServer(opts.tls, (socket) => this.accept(socket, principalOfPeer(socket)));
      server.on('connection', (raw: net.Socket) => {
        this.sockets.add(raw);
        raw.on('close', () => this.sockets.delete(raw));
      });
      // A plaintext client, an untrusted client certificate, a client that does not trust ours.
      server.on('tlsClientError', (error, socket) => {
        opts.ctx.logger(`TLS handshake with ${socket.remoteAddress}:${socket.remotePort} failed: ${error.message}`);
        socket.destroy();
      });
      this.server = server;
    } else {
      this.server = net.createServer((socket) => this.accept(socket, null));
    }
  }

  listen(port: number, host: string): Promise<{host: string; port: number}> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const addr = this.server.address() as net.AddressInfo;
        resolve({host: addr.address, port: addr.port});
      });
    });
  }

  /** Stops accepting, lets in-flight requests finish, then closes every connection. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (this.inFlight > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  private finished(): void {
    this.inFlight--;
    if (this.inFlight === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private accept(socket: net.Socket, tlsPrincipal: string | null): void {
    this.sockets.add(socket);
    const session = new Session(`${socket.remoteAddress}:${socket.remotePort}`, this.opts.saslRequired ?? false, tlsPrincipal);
    socket.setNoDelay(true);
    const queue: Pending[] = [];
    let buffered: Buffer[] = [];

    const flushQueue = () => {
      while (queue.length > 0 && queue[0]!.done) {
        const head = queue.shift()!;
        if (head.frame && !socket.destroyed) socket.write(head.frame);
        if (head.close) socket.end();
      }
    };

    // Bytes held back until the frame they start is complete: joined once, not per chunk.
    let bufferedLength = 0;
    let needed = 4;

    socket.on('data', (chunk) => {
      buffered.push(chunk);
      bufferedLength += chunk.length;
      if (bufferedLength < needed) return;
      const data = buffered.length === 1 ? buffered[0]! : Buffer.concat(buffered, bufferedLength);
      let pos = 0;
      while (data.length - pos >= 4 && !session.closeAfterReply) {
        const size = data.readInt32BE(pos);
        if (size < 0 || size > this.opts.ctx.config.maxRequestBytes) {
          // Kafka closes the connection on an oversized or negative frame.
          this.opts.ctx.logger(`closing ${socket.remoteAddress}:${socket.remotePort}: request size ${size} exceeds the limit`);
          socket.destroy();
          return;
        }
        if (data.length - pos - 4 < size) break;
        const frame = data.subarray(pos + 4, pos + 4 + size);
        pos += 4 + size;
        const entry: Pending = {done: false, frame: null};
        queue.push(entry);
        this.inFlight++;
        this.dispatch(frame, `/${socket.remoteAddress ?? 'unknown'}`, session)
          .then((response) => {
            entry.frame = response;
            entry.close = session.closeAfterReply;
          })
          .catch((error: unknown) => {
            this.opts.ctx.logger(`closing ${socket.remoteAddress}:${socket.remotePort}: ${(error as Error).message}`);
            socket.destroy();
          })
          .finally(() => {
            entry.done = true;
            this.finished();
            flushQueue();
          });
      }
      const rest = data.subarray(pos);
      // Copy the partial frame so the chunk it came from can be freed.
      buffered = rest.length > 0 ? [Buffer.from(rest)] : [];
      bufferedLength = rest.length;
      needed = rest.length >= 4 ? 4 + rest.readInt32BE(0) : 4;
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }

  /** Returns the framed response, or null when the client expects none. Throws to close the connection. */
  private async dispatch(frame: Buffer, clientHost: string, session: Session): Promise<Buffer | null> {
    if (session.rawSasl) return rawSaslToken(session, frame, this.opts.ctx);
    const reader = new Reader(frame);
    const header = decodeRequestHeader(reader);
    checkAuthenticated(session, header.apiKey, this.opts.ctx);
    const handler = this.opts.handlers.get(header.apiKey);
    if (!handler || header.apiVersion < handler.minVersion || header.apiVersion > handler.maxVersion) {
      return this.opts.unsupported(header.apiKey, header.apiVersion, header.correlationId);
    }
    const request = decodeMessage(handler.request, header.apiVersion, reader);
    let response: unknown;
    const started = performance.now();
    try {
      response = await handler.handle(request as never, {
        apiVersion: header.apiVersion,
        clientId: header.clientId,
        correlationId: header.correlationId,
        clientHost,
        session,
        broker: this.opts.ctx,
      });
    } catch (error) {
      if (error instanceof KafkaProtocolError) throw error;
      this.opts.ctx.logger(`${handler.name} v${header.apiVersion} failed: ${(error as Error).stack ?? error}`);
      throw new KafkaProtocolError(ErrorCode.UNKNOWN_SERVER_ERROR, `${handler.name} failed: ${(error as Error).message}`);
    }
    this.opts.ctx.observer?.requestDone(handler.name, request, response, (performance.now() - started) / 1000);
    if (response === NO_RESPONSE) return null;
    const writer = new Writer();
    writer.writeInt32(0); // size, patched below
    encodeResponseHeader(writer, header.correlationId, responseHeaderVersion(header.apiKey, header.apiVersion));
    encodeMessage(handler.response, header.apiVersion, response, writer);
    const out = writer.toBuffer();
    out.writeInt32BE(out.length - 4, 0);
    return out;
  }
}
