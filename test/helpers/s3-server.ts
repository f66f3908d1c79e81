import {createRequire} from 'node:module';
import {rmSync} from 'node:fs';
import type {AddressInfo} from 'node:net';
import {tempDir} from './broker.js';

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

// s3rver ships no types and is CommonJS.
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;

export interface TestS3 {
  endpoint: string;
  bucket: string;
  /** Environment an S3 client needs to reach it (s3rver accepts these fixed credentials). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** A local S3-compatible server (s3rver) on a free port with one empty bucket, its files in a temp dir. */
export async function startTestS3(bucket = 'claims'): Promise<TestS3> {
  const directory = tempDir('kpat-s3-');
  const server = new S3rver({address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{name: bucket}]});
  const address = await server.run();
  const env = {AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1'};
  Object.assign(process.env, env);
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket,
    env,
    async stop() {
      await server.close();
      rmSync(directory, {recursive: true, force: true});
    },
  };
}
