import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import type {BlobStore} from '../../patterns/claim-check/blob-store.js';
import {defaultBlobDir, openBlobStore, type S3Access} from '../../patterns/claim-check/open-store.js';

/**
 * The run's own store: runs/<run id>/ inside the one the file names, so the
 * run's gc and its byte counts see this run's blobs only.
 */
export function openRunStore(base: string | undefined, runId: string, s3: S3Access): Promise<BlobStore> {
  if (base?.startsWith('s3://')) return openBlobStore(`${base.replace(/\/+$/, '')}/runs/${runId}/`, s3);
  const dir = base === undefined || base === '' ? defaultBlobDir() : base.startsWith('file://') ? fileURLToPath(base) : base;
  return openBlobStore(join(dir, 'runs', runId), s3);
}
