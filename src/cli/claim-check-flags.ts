import {Flags} from '@oclif/core';

/** How an S3-compatible store is reached; spread into a command's `flags`. */
export const s3Flags = {
  's3-endpoint': Flags.string({summary: 'Endpoint of an S3-compatible service (MinIO, Ceph …) instead of AWS. Credentials: the usual AWS env and config.', env: 'KPAT_S3_ENDPOINT', helpGroup: 'CLAIM CHECK'}),
  's3-path-style': Flags.boolean({
    summary: 'Address buckets in the path (host/bucket/key), as most S3-compatible services want. Default: on with --s3-endpoint, off for AWS.',
    allowNo: true,
    helpGroup: 'CLAIM CHECK',
  }),
};

/** Where blobs are kept, and how an S3-compatible store is reached. */
export const blobStoreFlags = {
  'blob-store': Flags.string({
    summary: 'Blob store: s3://bucket/prefix, file:///path or a folder. Default: KPAT_BLOB_STORE, else blobs/ in the local stack\'s data folder.',
    env: 'KPAT_BLOB_STORE',
    helpGroup: 'CLAIM CHECK',
  }),
  ...s3Flags,
};

export interface BlobStoreFlagValues {
  'blob-store'?: string;
  's3-endpoint'?: string;
  's3-path-style'?: boolean;
}

/** The S3 access options the flags give. */
export const s3Access = (flags: BlobStoreFlagValues) => ({endpoint: flags['s3-endpoint'], forcePathStyle: flags['s3-path-style'] ?? flags['s3-endpoint'] !== undefined});
