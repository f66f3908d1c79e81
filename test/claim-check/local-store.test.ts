import {existsSync, readdirSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {LocalBlobStore} from '../../src/patterns/claim-check/local-store.js';
import {BlobStores, openBlobStore} from '../../src/patterns/claim-check/open-store.js';
import {sha256Hex} from '../../src/patterns/claim-check/blob-store.js';
import {tempDir} from '../helpers/broker.js';
import {blobStoreSuite} from './store-suite.js';

blobStoreSuite('local', async () => {
  const dir = tempDir('kpat-blobs-');
  const store = new LocalBlobStore(join(dir, 'blobs'));
  const stores = new BlobStores();
  stores.add(store);
  return {store, stores, close: async () => rmSync(dir, {recursive: true, force: true})};
});

describe('local blob store', () => {
  it('leaves no temp file behind and names blobs by their sha-256 under a two-digit shard', async () => {
    const dir = tempDir('kpat-blobs-');
    try {
      const store = await openBlobStore(`file://${dir}`);
      const bytes = Buffer.from('hello claim check');
      const id = sha256Hex(bytes);
      await store.put(id, bytes, {contentType: 'text/plain', topic: 't'});
      expect(readdirSync(join(dir, id.slice(0, 2))).sort()).toEqual([id, `${id}.meta.json`]);
      expect(store.blobUri(id)).toBe(`file://${dir}/${id.slice(0, 2)}/${id}`);
      expect(existsSync(join(dir, id.slice(0, 2), id))).toBe(true);
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });

  it('refuses a store URI it does not know, naming the forms it takes', async () => {
    await expect(openBlobStore('ftp://host/x')).rejects.toThrow(/file:\/\/\/path, a folder path, or s3:\/\/bucket\/prefix/);
    await expect(openBlobStore('s3:///prefix')).rejects.toThrow(/names no bucket/);
  });
});
