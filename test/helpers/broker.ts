import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {startBroker, type RunningBroker} from '../../src/broker/broker.js';
import type {BrokerConfigInput} from '../../src/broker/config.js';
import type {Connection} from '../../src/kafka/connection.js';

export interface TestBroker {
  broker: RunningBroker;
  dataDir: string;
  bootstrap: string;
  conn: Connection;
  logs: string[];
  stop(): Promise<void>;
}

export function tempDir(prefix = 'kpat-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A real broker on port 0 with a temp data dir, stopped and removed by stop(). */
export async function startTestBroker(overrides: Partial<BrokerConfigInput> = {}): Promise<TestBroker> {
  const dataDir = overrides.dataDir ?? tempDir();
  const logs: string[] = [];
  const broker = await startBroker({port: 0, fsync: 'never', ...overrides, dataDir}, (l) => logs.push(l));
  return {
    broker,
    dataDir,
    bootstrap: broker.bootstrap,
    conn: {brokers: [broker.bootstrap], source: 'flag', clientId: 'kpat-test'},
    logs,
    async stop() {
      await broker.close();
      if (!overrides.dataDir) rmSync(dataDir, {recursive: true, force: true});
    },
  };
}
