/** The embedded Confluent-compatible schema registry: state, REST API, compatibility rules. */
export {SchemaRegistry} from './registry.js';
export {startRegistryServer, REGISTRY_CONTENT_TYPE, type RunningRegistryServer} from './http/server.js';
export type {SchemaStore, StoreEntry} from './schema-store.js';
export {MemorySchemaStore} from './schema-store.js';
