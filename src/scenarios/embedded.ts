import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {startBroker} from '../broker/broker.js';
import type {Connection} from '../kafka/connection.js';
import {startRegistryBeside, type HostedRegistry} from '../stack/registry-host.js';

/**
 * A broker for one scenario run when none is configured anywhere: in-process,
 * on a free port, with a throw-away data dir. `registry()` starts a schema
 * registry beside it on first call, as `kpat up` hosts one beside its broker
 * (its store the broker's _schemas topic), and answers its URL.
 */
export async function withEmbeddedBroker<T>(fn: (conn: Connection, bootstrap: string, registry: () => Promise<string>) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kpat-scenario-'));
  const broker = await startBroker({port: 0, dataDir, fsync: 'never'});
  let hosted: Promise<HostedRegistry> | undefined;
  const registry = async () => (await (hosted ??= startRegistryBeside(broker, {host: '127.0.0.1', port: 0}))).url;
  try {
    return await fn({brokers: [broker.bootstrap], source: 'local-stack', clientId: 'kpat'}, broker.bootstrap, registry);
  } finally {
    // The registry goes first: it is a client of the broker.
    await (await hosted?.catch(() => undefined))?.close();
    await broker.close();
    rmSync(dataDir, {recursive: true, force: true});
  }
}
