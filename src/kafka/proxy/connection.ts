/**
 * One client connection through the proxy and its own connection to the upstream broker.
 * Requests go up as they came (the proxy notes each one's API key and version by correlation
 * id, since responses carry only the id); responses come back in order, after the faults the
 * dice chose for their request, with broker addresses rewritten to the proxy's.
 */
import {connect, type Socket} from 'node:net';
import {sleep} from '../../core/sleep.js';
import {brokerAddresses, carriesBrokerAddresses, rewriteBrokerAddresses, type BrokerAddress} from '../../broker/protocol/broker-addresses.js';
import {responseHeaderVersion} from '../../broker/protocol/header.js';
import {Reader} from '../../broker/protocol/primitives.js';
import {apiName} from './api-names.js';
import {expectsResponse} from './expects-response.js';
import type {FaultKind, ProxyEvent, ProxyStats} from './events.js';
import type {RequestFate} from './fault-plan.js';
import {FrameSplitter, framed} from './frames.js';
import type {PauseGate} from './pause-gate.js';

/** What a connection shares with the proxy that owns it. */
export interface ProxyContext {
  readonly stats: ProxyStats;
  readonly gate: PauseGate;
  emit(event: ProxyEvent): void;
  roll(apiKey: number): RequestFate;
  /** The proxy listener standing in for a broker (started on first use). */
  addressFor(broker: BrokerAddress): Promise<{host: string; port: number}>;
}

interface InFlight {
  apiKey: number;
  apiVersion: number;
  fate: RequestFate;
}

export class ProxiedConnection {
  private readonly upstreamSocket: Socket;
  private readonly inFlight = new Map<number, InFlight>();
  /** Requests and responses each go through a chain, so holds and delays keep them in order. */
  private requests: Promise<void> = Promise.resolve();
  private responses: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    readonly id: number,
    private readonly client: Socket,
    private readonly upstream: {host: string; port: number},
    private readonly ctx: ProxyContext,
    private readonly onClosed: (conn: ProxiedConnection) => void,
  ) {
    ctx.stats.connectionsOpened++;
    ctx.stats.connectionsOpen++;
    ctx.emit({type: 'connection-opened', connection: id, client: `${client.remoteAddress}:${client.remotePort}`, upstream: this.upstreamName});
    this.upstreamSocket = connect(upstream.port, upstream.host);
    this.upstreamSocket.setNoDelay(true);
    client.setNoDelay(true);
    const fromClient = new FrameSplitter();
    const fromUpstream = new FrameSplitter();
    client.on('data', (chunk) => this.each(fromClient, chunk, (frame) => this.onRequest(frame)));
    this.upstreamSocket.on('data', (chunk) => this.each(fromUpstream, chunk, (frame) => this.onResponse(frame)));
    for (const socket of [client, this.upstreamSocket]) {
      socket.on('error', () => this.close());
      socket.on('close', () => this.close());
    }
  }

  private get upstreamName(): string {
    return `${this.upstream.host}:${this.upstream.port}`;
  }

  /** Closes both sides now (a cut): the client sees its broker connection drop. */
  cut(cause: {api: string; correlationId: number} | null): void {
    if (this.closed) return;
    this.ctx.stats.connectionsCut++;
    this.fault('cut', cause?.api ?? null, cause?.correlationId ?? null);
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.destroy();
    this.upstreamSocket.destroy();
    this.ctx.stats.connectionsOpen--;
    this.ctx.emit({type: 'connection-closed', connection: this.id, upstream: this.upstreamName});
    this.onClosed(this);
  }

  private each(splitter: FrameSplitter, chunk: Buffer, handle: (frame: Buffer) => void): void {
    if (this.closed) return;
    let frames: Buffer[];
    try {
      frames = splitter.push(chunk);
    } catch {
      this.close();
      return;
    }
    for (const frame of frames) handle(frame);
  }

  private onRequest(frame: Buffer): void {
    if (frame.length < 8) return this.close();
    const apiKey = frame.readInt16BE(0);
    const apiVersion = frame.readInt16BE(2);
    const correlationId = frame.readInt32BE(4);
    const api = apiName(apiKey);
    const {stats} = this.ctx;
    stats.requests[api] = (stats.requests[api] ?? 0) + 1;
    // Rolled on arrival, in request order, whatever happens to the traffic afterwards.
    const fate = this.ctx.roll(apiKey);
    if (fate.cut) return this.cut({api, correlationId});
    if (answered(frame)) this.inFlight.set(correlationId, {apiKey, apiVersion, fate});
    this.requests = this.requests.then(async () => {
      await this.ctx.gate.pass();
      if (!this.closed) this.upstreamSocket.write(framed(frame));
    });
  }

  private onResponse(frame: Buffer): void {
    if (frame.length < 4) return this.close();
    const correlationId = frame.readInt32BE(0);
    const request = this.inFlight.get(correlationId);
    this.inFlight.delete(correlationId);
    this.responses = this.responses.then(() => this.deliver(frame, correlationId, request)).catch(() => this.close());
  }

  private async deliver(frame: Buffer, correlationId: number, request: InFlight | undefined): Promise<void> {
    await this.ctx.gate.pass();
    if (this.closed) return;
    if (!request) {
      this.client.write(framed(frame));
      return;
    }
    const api = apiName(request.apiKey);
    if (request.fate.dropResponse) {
      // The broker did the work; the client never hears of it and must retry on a new connection.
      this.ctx.stats.responsesDropped++;
      this.fault('drop-response', api, correlationId);
      this.close();
      return;
    }
    if (request.fate.delayMs > 0) {
      this.ctx.stats.responsesDelayed++;
      this.fault('delay', api, correlationId, request.fate.delayMs);
      await sleep(request.fate.delayMs);
      if (this.closed) return;
    }
    const out = carriesBrokerAddresses(request.apiKey) ? await this.rewritten(frame, request) : frame;
    if (!this.closed) this.client.write(framed(out));
  }

  /** The response with every broker address replaced by the proxy listener standing in for it. */
  private async rewritten(frame: Buffer, request: InFlight): Promise<Buffer> {
    const reader = new Reader(frame, 4);
    if (responseHeaderVersion(request.apiKey, request.apiVersion) === 1) reader.skipTaggedFields();
    const header = frame.subarray(0, reader.offset);
    const body = frame.subarray(reader.offset);
    const stand = new Map<string, {host: string; port: number}>();
    for (const broker of brokerAddresses(request.apiKey, request.apiVersion, body)) {
      stand.set(`${broker.host}:${broker.port}`, await this.ctx.addressFor(broker));
    }
    this.ctx.stats.addressesRewritten++;
    const rewritten = rewriteBrokerAddresses(request.apiKey, request.apiVersion, body, (b) => stand.get(`${b.host}:${b.port}`)!);
    return Buffer.concat([header, rewritten]);
  }

  private fault(fault: FaultKind, api: string | null, correlationId: number | null, delayMs?: number): void {
    this.ctx.emit({type: 'fault', fault, connection: this.id, api, correlationId, ...(delayMs === undefined ? {} : {delayMs})});
  }
}

/** A request the proxy cannot parse is still forwarded; the broker is the judge of it. */
function answered(frame: Buffer): boolean {
  try {
    return expectsResponse(frame);
  } catch {
    return true;
  }
}
