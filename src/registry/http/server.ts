/**
 * The registry's HTTP server (node:http): routes requests, reads JSON bodies,
 * and answers in Confluent's content type and error shape.
 */
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import * as E from '../errors.js';
import type {SchemaRegistry} from '../registry.js';
import {ROUTES} from './routes.js';

export const REGISTRY_CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
/** Body types Confluent's registry accepts (a missing one is taken as JSON too). */
const ACCEPTED_BODY_TYPES = ['application/vnd.schemaregistry.v1+json', 'application/vnd.schemaregistry+json', 'application/json', 'application/octet-stream'];
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface RunningRegistryServer {
  host: string;
  port: number;
  url: string;
  close(): Promise<void>;
}

export function startRegistryServer(registry: SchemaRegistry, opts: {host: string; port: number; log?: (line: string) => void}): Promise<RunningRegistryServer> {
  const server = http.createServer((req, res) => {
    handle(registry, req)
      .then(({status, body}) => send(res, status, body))
      .catch((error: unknown) => {
        if (error instanceof E.RegistryError) return send(res, error.status, error.toJSON());
        opts.log?.(`registry: ${req.method} ${req.url} failed: ${(error as Error).stack ?? error}`);
        send(res, 500, {error_code: 50001, message: `Error in the backend data store: ${(error as Error).message}`});
      });
  });
  server.keepAliveTimeout = 5000;
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`registry port ${opts.port} on ${opts.host} is already in use — pass --registry-port 0 for any free port, or stop what uses it`) : error),
    );
    server.listen(opts.port, opts.host, () => {
      const {port} = server.address() as AddressInfo;
      const host = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host;
      resolve({
        host,
        port,
        url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          }),
      });
    });
  });
}

async function handle(registry: SchemaRegistry, req: http.IncomingMessage): Promise<{status: number; body: unknown}> {
  const url = new URL(req.url ?? '/', 'http://registry');
  const path = url.pathname.replace(/\/+$/, '');
  let pathMatched = false;
  for (const route of ROUTES) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (route.method !== req.method) continue;
    let params: string[];
    try {
      params = m.slice(1).map((p) => decodeURIComponent(p));
    } catch {
      throw E.badRequest(`malformed path ${url.pathname}`);
    }
    const body = await route.handle(registry, {params, query: url.searchParams, body: () => readJson(req)});
    return {status: 200, body};
  }
  throw pathMatched ? E.methodNotAllowed() : E.routeNotFound();
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== '' && !ACCEPTED_BODY_TYPES.includes(type)) {
    throw new E.RegistryError(415, 415, `HTTP 415 Unsupported Media Type: send ${REGISTRY_CONTENT_TYPE} or application/json`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw E.badRequest(`request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw E.badRequest(`request body is not JSON: ${(error as Error).message}`);
  }
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {'Content-Type': REGISTRY_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(text)});
  res.end(text);
}
