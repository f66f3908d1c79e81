/**
 * The schema registry hosted beside the broker, in the broker's process (one
 * process per stack): its store is the broker's `_schemas` topic, reached over
 * the broker's own listener like any client's.
 */
import {SchemaRegistry} from '../registry/registry.js';
import {startRegistryServer} from '../registry/http/server.js';
import {SchemasTopicStore} from './schemas-topic-store.js';
import type {WireSecurity} from './broker-wire.js';

export interface HostedRegistry {
  url: string;
  port: number;
  /** Stops serving, then lets go of the broker. */
  close(): Promise<void>;
}

export async function startRegistryBeside(
  broker: {host: string; port: number},
  opts: {host: string; port: number; log?: (line: string) => void; security?: WireSecurity},
): Promise<HostedRegistry> {
  const store = await SchemasTopicStore.connect(broker.host, broker.port, undefined, opts.security);
  let registry: SchemaRegistry;
  try {
    registry = await SchemaRegistry.open(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  const server = await startRegistryServer(registry, opts).catch(async (error: unknown) => {
    await registry.close();
    throw error;
  });
  return {
    url: server.url,
    port: server.port,
    async close() {
      await server.close();
      await registry.close();
    },
  };
}
