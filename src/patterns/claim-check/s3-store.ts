import {CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client} from '@aws-sdk/client-s3';
import {OperationError} from '../../core/errors.js';
import {isSha256, type BlobInfo, type BlobMeta, type BlobStore} from './blob-store.js';

/** Object metadata: when an upload skipped because the blob was there last renewed it (ms since the epoch). */
const TOUCHED = 'touched-at';

export interface S3StoreOptions {
  bucket: string;
  /** Key prefix, e.g. `claims/` (a trailing slash is added when missing). */
  prefix: string;
  /** Another S3-compatible service (MinIO, Ceph, a local test server) instead of AWS. */
  endpoint?: string;
  /** Bucket in the path (`host/bucket/key`) rather than in the host name: what most S3-compatible servers want. */
  forcePathStyle?: boolean;
  /** Default: AWS_REGION, else us-east-1. */
  region?: string;
}

const isNotFound = (error: unknown) => {
  const e = error as {name?: string; $metadata?: {httpStatusCode?: number}};
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
};

/**
 * Blobs as S3 objects `<prefix><first two hex digits>/<sha256>`, the topic in
 * the object's metadata. Credentials come from the usual AWS sources (env,
 * ~/.aws/config and credentials, instance roles). A PUT is atomic in S3: a
 * reader sees the whole object or none.
 */
export class S3BlobStore implements BlobStore {
  readonly uri: string;
  private readonly prefix: string;
  private readonly client: S3Client;

  constructor(private readonly opts: S3StoreOptions) {
    this.prefix = opts.prefix === '' || opts.prefix.endsWith('/') ? opts.prefix : `${opts.prefix}/`;
    this.uri = `s3://${opts.bucket}/${this.prefix}`;
    // The SDK warns on Node 20 that its releases after January 2027 will need Node 22: nothing a
    // kpat user acts on, and it would land in every S3 command's stderr. Left alone when set.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    this.client = new S3Client({
      endpoint: opts.endpoint,
      forcePathStyle: opts.forcePathStyle,
      region: opts.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
      // Checksums only where S3 requires them: many S3-compatible servers refuse the newer checksum headers.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  /** One request; a failure other than "not found" names the store and what to check. */
  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (isNotFound(error)) throw error;
      const e = error as Error & {Code?: string};
      const code = e.name && e.name !== 'Error' ? `${e.name}: ` : '';
      throw new OperationError(
        `blob store ${this.uri} failed (${code}${e.message || String(error)}) — check the bucket, --s3-endpoint (and --s3-path-style) and the AWS credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or ~/.aws)`,
      );
    }
  }

  private key(sha256: string): string {
    return `${this.prefix}${sha256.slice(0, 2)}/${sha256}`;
  }

  blobUri(sha256: string): string {
    return `s3://${this.opts.bucket}/${this.key(sha256)}`;
  }

  async stat(sha256: string): Promise<BlobInfo | null> {
    try {
      const head = await this.call(() => this.client.send(new HeadObjectCommand({Bucket: this.opts.bucket, Key: this.key(sha256)})));
      const storedAt = Math.max(head.LastModified?.getTime() ?? 0, Number(head.Metadata?.[TOUCHED] ?? 0));
      return {sha256, size: head.ContentLength ?? 0, storedAt, topic: head.Metadata?.topic};
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async put(sha256: string, bytes: Buffer, meta: BlobMeta): Promise<void> {
    await this.call(() => this.client.send(new PutObjectCommand({Bucket: this.opts.bucket, Key: this.key(sha256), Body: bytes, ContentType: meta.contentType, Metadata: {topic: meta.topic}})));
  }

  async touch(sha256: string, meta: BlobMeta): Promise<void> {
    // S3 has no utimes: the object is copied onto itself with new metadata (S3 allows a self-copy only
    // when the metadata is replaced), the time kept in it, since not every S3-compatible store renews LastModified then.
    const key = this.key(sha256);
    const Metadata = {topic: meta.topic, [TOUCHED]: String(Date.now())};
    await this.call(() => this.client.send(new CopyObjectCommand({Bucket: this.opts.bucket, Key: key, CopySource: `${this.opts.bucket}/${key}`, MetadataDirective: 'REPLACE', ContentType: meta.contentType, Metadata})));
  }

  async get(sha256: string): Promise<Buffer | null> {
    try {
      const object = await this.call(() => this.client.send(new GetObjectCommand({Bucket: this.opts.bucket, Key: this.key(sha256)})));
      return Buffer.from(await object.Body!.transformToByteArray());
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async delete(sha256: string): Promise<void> {
    await this.call(() => this.client.send(new DeleteObjectCommand({Bucket: this.opts.bucket, Key: this.key(sha256)})));
  }

  async *list(): AsyncIterable<BlobInfo> {
    let token: string | undefined;
    do {
      const page = await this.call(() => this.client.send(new ListObjectsV2Command({Bucket: this.opts.bucket, Prefix: this.prefix, ContinuationToken: token})));
      for (const o of page.Contents ?? []) {
        const name = o.Key?.slice(o.Key.lastIndexOf('/') + 1) ?? '';
        if (isSha256(name)) yield {sha256: name, size: o.Size ?? 0, storedAt: o.LastModified?.getTime() ?? 0};
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
