import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {UndoStore, type UndoEntry} from './undo-store.js';

const entry = (id: string, clusterId = 'c1'): UndoEntry => ({id, at: '2024-05-01T10:00:00.000Z', clusterId, brokers: ['b:9092'], target: 'earliest', offsets: [{topic: 't', partition: 0, offset: 3}], groupWasNew: false});

describe('UndoStore', () => {
  it('keeps the last 10 replays of a group and hands back the newest one made on the same cluster', () => {
    const store = new UndoStore(mkdtempSync(join(tmpdir(), 'kpat-undo-')));
    for (let i = 0; i < 12; i++) store.save('pay/ments', entry(`e${i}`, i === 11 ? 'c2' : 'c1'));
    expect(store.entries('pay/ments').map((e) => e.id)).toEqual(['e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8', 'e9', 'e10', 'e11']);
    expect(store.latest('pay/ments', 'c1')?.id).toBe('e10');
    expect(store.latest('pay/ments', 'c3')).toBeNull();
    store.remove('pay/ments', 'e10');
    expect(store.latest('pay/ments', 'c1')?.id).toBe('e9');
    expect(store.fileOf('pay/ments')).toMatch(/pay%2Fments\.json$/);
    expect(store.entries('other')).toEqual([]);
  });

  it('names the file to fix when it is not an undo file', () => {
    const store = new UndoStore(mkdtempSync(join(tmpdir(), 'kpat-undo-')));
    store.save('g', entry('e1'));
    writeFileSync(store.fileOf('g'), '{"group":');
    expect(() => store.entries('g')).toThrow(/g\.json is not valid JSON — fix or remove it/);
    writeFileSync(store.fileOf('g'), '{"group":"g","entries":[{"id":1}]}');
    expect(() => store.entries('g')).toThrow(/g\.json is not a kpat undo file/);
  });
});
