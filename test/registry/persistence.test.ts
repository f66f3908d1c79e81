import {afterEach, describe, expect, it} from 'vitest';
import {startTestBroker, tempDir, type TestBroker} from '../helpers/broker.js';
import {call, startTestRegistry} from '../helpers/registry.js';
import {readTopic} from '../helpers/read-topic.js';
import {describeTopic} from '../../src/kafka/topics.js';

const schema = (n: number) => JSON.stringify({type: 'record', name: 'Event', fields: [{name: 'id', type: 'string'}, ...Array.from({length: n}, (_, i) => ({name: `f${i}`, type: 'int', default: 0}))]});
const open: TestBroker[] = [];
afterEach(async () => {
  for (const b of open.splice(0)) await b.stop().catch(() => {});
});

/** A broker and its registry on a data dir; restarting both reads the registry back from _schemas. */
async function stackOn(dataDir: string) {
  const broker = await startTestBroker({dataDir});
  open.push(broker);
  const registry = await startTestRegistry(broker);
  const api = (method: string, path: string, body?: unknown) => call(registry.url, method, path, body);
  return {broker, registry, api, async stop() {
    await registry.close();
    await broker.stop();
    open.splice(open.indexOf(broker), 1);
  }};
}

describe('registry persistence in the broker\'s _schemas topic', () => {
  it('a registry restarted on the same data serves the same subjects, versions, ids and configs', async () => {
    const dataDir = tempDir();
    const first = await stackOn(dataDir);
    const a = (await first.api('POST', '/subjects/a-value/versions', {schema: schema(0)})).body;
    const b = (await first.api('POST', '/subjects/a-value/versions', {schema: schema(1)})).body;
    await first.api('POST', '/subjects/b-value/versions', {schema: schema(1)});
    await first.api('PUT', '/config/b-value', {compatibility: 'FULL'});
    await first.api('DELETE', '/subjects/a-value/versions/1');
    const before = {
      subjects: (await first.api('GET', '/subjects?deleted=true')).body,
      a: (await first.api('GET', '/subjects/a-value/versions?deleted=true')).body,
      live: (await first.api('GET', '/subjects/a-value/versions')).body,
      latest: (await first.api('GET', '/subjects/b-value/versions/latest')).body,
      config: (await first.api('GET', '/config/b-value')).body,
    };
    await first.stop();

    const second = await stackOn(dataDir);
    expect({
      subjects: (await second.api('GET', '/subjects?deleted=true')).body,
      a: (await second.api('GET', '/subjects/a-value/versions?deleted=true')).body,
      live: (await second.api('GET', '/subjects/a-value/versions')).body,
      latest: (await second.api('GET', '/subjects/b-value/versions/latest')).body,
      config: (await second.api('GET', '/config/b-value')).body,
    }).toEqual(before);
    expect(before).toMatchObject({subjects: ['a-value', 'b-value'], a: [1, 2], live: [2], config: {compatibilityLevel: 'FULL'}});
    expect((await second.api('GET', '/schemas/ids/1')).body).toEqual({schema: schema(0)});
    expect([a, b]).toEqual([{id: 1}, {id: 2}]);
    // Each change is a keyed record in the compacted topic, readable by any client.
    const records = await readTopic(second.broker.conn, '_schemas');
    expect(records.length).toBeGreaterThanOrEqual(5);
    expect(JSON.parse(records[0]!.key!.toString('utf8'))).toEqual({keytype: 'SCHEMA', subject: 'a-value', version: 1, magic: 1});
    expect((await describeTopic(second.broker.conn, '_schemas')).configs).toContainEqual(expect.objectContaining({name: 'cleanup.policy', value: 'compact'}));
    await second.stop();
  });

  it('never hands an id out again after its schemas were permanently deleted, restart or not', async () => {
    const dataDir = tempDir();
    const first = await stackOn(dataDir);
    await first.api('POST', '/subjects/gone-value/versions', {schema: schema(0)});
    const {id} = (await first.api('POST', '/subjects/gone-value/versions', {schema: schema(1)})).body as {id: number};
    await first.api('DELETE', '/subjects/gone-value');
    await first.api('DELETE', '/subjects/gone-value?permanent=true');
    expect((await first.api('GET', `/schemas/ids/${id}`)).status).toBe(404);
    await first.stop();

    // No live version holds ids 1 and 2 any more; a restart still does not hand them out.
    const second = await stackOn(dataDir);
    expect((await second.api('POST', '/subjects/again-value/versions', {schema: schema(0)})).body).toEqual({id: id + 1});
    expect((await second.api('POST', '/subjects/next-value/versions', {schema: schema(2)})).body).toEqual({id: id + 2});
    await second.stop();
  });
});
