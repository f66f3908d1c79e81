import {afterAll, beforeAll} from 'vitest';
import {BlobStores} from '../../src/patterns/claim-check/open-store.js';
import {S3BlobStore} from '../../src/patterns/claim-check/s3-store.js';
import {startTestS3, type TestS3} from '../helpers/s3-server.js';
import {blobStoreSuite} from './store-suite.js';

let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(async () => s3?.stop());

// The same suite as the local store's, against an S3-compatible server on a free port.
blobStoreSuite('s3', async () => {
  const access = {endpoint: s3.endpoint, forcePathStyle: true};
  const store = new S3BlobStore({bucket: s3.bucket, prefix: 'claims/', ...access});
  const stores = new BlobStores(access);
  stores.add(store);
  return {store, stores, close: () => store.close()};
});
