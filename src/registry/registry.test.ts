import {describe, expect, it} from 'vitest';
import {SchemaRegistry} from './registry.js';
import {MemorySchemaStore, type StoreEntry} from './schema-store.js';

const schema = (name: string) => JSON.stringify({type: 'record', name, fields: [{name: 'id', type: 'string'}]});

/** What a compacted topic keeps: the last entry per key, tombstones gone too (after delete.retention.ms). */
function compacted(entries: StoreEntry[]): MemorySchemaStore {
  const last = new Map<string, StoreEntry>();
  for (const e of entries) last.set(e.key, e);
  const store = new MemorySchemaStore();
  void store.append([...last.values()].filter((e) => e.value !== null));
  return store;
}

describe('SchemaRegistry ids', () => {
  it('never reuses an id, even once compaction removed every record that held it', async () => {
    const store = new MemorySchemaStore();
    const registry = await SchemaRegistry.open(store);
    await registry.register('a', schema('A'));
    const {id} = await registry.register('b', schema('B'));
    await registry.deleteSubject('b');
    await registry.deleteSubject('b', {permanent: true});

    const reopened = await SchemaRegistry.open(compacted(await store.readAll()));
    expect(await reopened.register('c', schema('C'))).toEqual({id: id + 1});
  });
});
