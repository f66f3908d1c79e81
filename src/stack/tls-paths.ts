import {join} from 'node:path';

/** Where `kpat up --tls` keeps its local CA and certificates (created by tls-files.ts). */
export function localTlsPaths(home: string): {dir: string; ca: string; cert: string; key: string; clientCert: string; clientKey: string} {
  const dir = join(home, 'tls');
  return {
    dir,
    ca: join(dir, 'ca.pem'),
    cert: join(dir, 'server.pem'),
    key: join(dir, 'server-key.pem'),
    clientCert: join(dir, 'client.pem'),
    clientKey: join(dir, 'client-key.pem'),
  };
}
