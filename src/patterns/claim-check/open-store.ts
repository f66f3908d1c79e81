import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {ConfigError} from '../../core/errors.js';
import {stackPaths} from '../../stack/paths.js';
import {readStackStateFile} from '../../stack/state.js';
import type {BlobStore} from './blob-store.js';
import {LocalBlobStore} from './local-store.js';

export interface S3Access {
  /** Endpoint of an S3-compatible service (MinIO, a local server …). */
  endpoint?: string;
  forcePathStyle?: boolean;
  region?: string;
}

/**
 * The local store's default: `blobs/` in the data folder of the `kpat up`
 * stack (so `kpat down --purge` removes them with the topics that reference
 * them), or in the default data folder when no stack ever recorded one.
 */
export function defaultBlobDir(): string {
  const paths = stackPaths();
  const state = readStackStateFile(paths.stateFile);
  return join(state?.dataDir ?? paths.defaultDataDir, 'blobs');
}

export const USAGE = 'a blob store is file:///path, a folder path, or s3://bucket/prefix';

/**
 * The store a URI names (`file:///dir`, a plain folder path, `s3://bucket/prefix`);
 * the default local one without a URI. The AWS SDK is loaded only for an S3 store.
 */
export async function openBlobStore(uri: string | undefined, s3: S3Access = {}): Promise<BlobStore> {
  if (uri === undefined || uri === '') return new LocalBlobStore(defaultBlobDir());
  if (uri.startsWith('s3://')) {
    const rest = uri.slice('s3://'.length);
    const slash = rest.indexOf('/');
    const bucket = slash < 0 ? rest : rest.slice(0, slash);
    if (bucket === '') throw new ConfigError(`blob store ${uri} names no bucket — ${USAGE}`);
    const {S3BlobStore} = await import('./s3-store.js');
    return new S3BlobStore({bucket, prefix: slash < 0 ? '' : rest.slice(slash + 1), ...s3});
  }
  if (uri.startsWith('file://')) {
    try {
      return new LocalBlobStore(fileURLToPath(uri));
    } catch (error) {
      throw new ConfigError(`blob store ${uri}: ${(error as Error).message} — ${USAGE}`);
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) throw new ConfigError(`blob store ${uri}: unknown scheme — ${USAGE}`);
  return new LocalBlobStore(resolve(uri));
}

/** The store a blob URI belongs to: its folder above the two-digit shard, or its bucket and prefix. */
export function storeUriOf(blobUri: string): string {
  if (blobUri.startsWith('s3://')) return blobUri.slice(0, blobUri.lastIndexOf('/', blobUri.lastIndexOf('/') - 1) + 1);
  if (blobUri.startsWith('file://')) return `${dirname(dirname(fileURLToPath(blobUri)))}`;
  throw new Error(`not a blob URI: ${blobUri}`);
}

/**
 * The stores references point at, opened once each: a consumer resolves a
 * reference in the store that wrote it, whichever that is (the S3 access
 * options apply to every S3 store).
 */
export class BlobStores {
  private readonly open = new Map<string, Promise<BlobStore>>();

  constructor(private readonly s3: S3Access = {}) {}

  /** Registers a store already open, so references into it use it. */
  add(store: BlobStore): void {
    this.open.set(storeUriOf(store.blobUri('0'.repeat(64))), Promise.resolve(store));
  }

  forBlob(blobUri: string): Promise<BlobStore> {
    const root = storeUriOf(blobUri);
    let store = this.open.get(root);
    if (!store) this.open.set(root, (store = openBlobStore(root, this.s3)));
    return store;
  }

  async close(): Promise<void> {
    await Promise.all([...this.open.values()].map(async (s) => (await s).close()));
    this.open.clear();
  }
}
