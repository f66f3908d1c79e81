import {readFileSync} from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import type {StackTls} from './state.js';

/**
 * Asks a broker for its API versions over a fresh connection: the same first
 * request every Kafka client sends, so an answer means clients will get one too.
 */
export function probeApiVersions(host: string, port: number, timeoutMs = 2000, secure?: StackTls): Promise<boolean> {
  return new Promise((resolve) => {
    const clientId = Buffer.from('kpat-probe');
    const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
    body.writeInt16BE(18, 0); // ApiVersions
    body.writeInt16BE(0, 2); // v0
    body.writeInt32BE(0x6b706174, 4); // correlation id
    body.writeInt16BE(clientId.length, 8);
    clientId.copy(body, 10);
    const size = Buffer.alloc(4);
    size.writeInt32BE(body.length);

    let settled = false;
    let received = Buffer.alloc(0);
    // A liveness check, not a trust decision: the certificate is not verified here.
    const socket = secure
      ? tls.connect({host, port, rejectUnauthorized: false, ...(secure.clientCert && secure.clientKey ? {cert: readFileSync(secure.clientCert), key: readFileSync(secure.clientKey)} : {})})
      : net.connect({host, port});
    const finish = (ok: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on(secure ? 'secureConnect' : 'connect', () => socket.write(Buffer.concat([size, body])));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 10) return;
      const length = received.readInt32BE(0);
      if (received.length < 4 + length) return;
      finish(received.readInt32BE(4) === 0x6b706174 && received.readInt16BE(8) === 0);
    });
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(false));
  });
}
