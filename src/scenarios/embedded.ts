import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {startBroker} from '../broker/broker.js';
import type {Connection} from '../kafka/connection.js';

/**
 * A broker for one scenario run when none is configured anywhere: in-process,
 * on a free port, with a throw-away data dir.
 */
export async function withEmbeddedBroker<T>(fn: (conn: Connection, bootstrap: string) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kpat-scenario-'));
  const broker = await startBroker({port: 0, dataDir, fsync: 'never'});
  try {
    return await fn({brokers: [broker.bootstrap], source: 'local-stack', clientId: 'kpat'}, broker.bootstrap);
  } finally {
    await broker.close();
    rmSync(dataDir, {recursive: true, force: true});
  }
}
