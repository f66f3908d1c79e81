/**
 * A Prometheus scrape endpoint: GET /metrics answers with whatever `render` returns (the
 * registry's exposition text). Shared by the stack's broker process and scenario runs; it
 * knows nothing of the metrics themselves.
 */
import http from 'node:http';
import type {AddressInfo} from 'node:net';

export interface MetricsServer {
  port: number;
  /** http://host:port/metrics */
  url: string;
  /** Resolves at the next scrape answered from now on (a run waits for its final one). */
  nextScrape(): Promise<void>;
  close(): Promise<void>;
}

export interface MetricsSource {
  contentType: string;
  render(): Promise<string>;
}

export function startMetricsServer(source: MetricsSource, opts: {host: string; port: number; flag?: string}): Promise<MetricsServer> {
  let waiters: Array<() => void> = [];
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, {allow: 'GET, HEAD'}).end();
      return;
    }
    if (path !== '/metrics') {
      res.writeHead(404, {'content-type': 'text/plain'}).end('kpat serves Prometheus metrics at /metrics\n');
      return;
    }
    source
      .render()
      .then((text) => {
        res.writeHead(200, {'content-type': source.contentType}).end(text);
        const answered = waiters;
        waiters = [];
        for (const w of answered) w();
      })
      .catch((error: unknown) => res.writeHead(500, {'content-type': 'text/plain'}).end(`${(error as Error).message}\n`));
  });
  server.keepAliveTimeout = 5000;
  const flag = opts.flag ?? '--metrics-port';
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`metrics port ${opts.port} on ${opts.host} is already in use — pass ${flag} 0 for any free port, or stop what uses it`) : error),
    );
    server.listen(opts.port, opts.host, () => {
      const {port} = server.address() as AddressInfo;
      const host = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host;
      resolve({
        port,
        url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/metrics`,
        nextScrape: () => new Promise<void>((done) => waiters.push(done)),
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          }),
      });
    });
  });
}
