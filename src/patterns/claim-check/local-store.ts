import {randomBytes} from 'node:crypto';
import {mkdir, open, readdir, readFile, rename, rm, stat, utimes} from 'node:fs/promises';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {isSha256, type BlobInfo, type BlobMeta, type BlobStore} from './blob-store.js';

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Blobs as files: `<dir>/<first two hex digits>/<sha256>`, with a small
 * `<sha256>.meta.json` beside each (content type, topic). A blob is written to
 * a temp file and renamed into place, so a crash never leaves half a blob
 * under its name.
 */
export class LocalBlobStore implements BlobStore {
  readonly uri: string;

  constructor(readonly dir: string) {
    this.uri = pathToFileURL(dir).href;
  }

  private path(sha256: string): string {
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  blobUri(sha256: string): string {
    return pathToFileURL(this.path(sha256)).href;
  }

  async stat(sha256: string): Promise<BlobInfo | null> {
    try {
      const s = await stat(this.path(sha256));
      return {sha256, size: s.size, storedAt: Math.floor(s.mtimeMs), topic: await this.topicOf(sha256)};
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  private async topicOf(sha256: string): Promise<string | undefined> {
    try {
      return (JSON.parse(await readFile(`${this.path(sha256)}.meta.json`, 'utf8')) as {topic?: string}).topic;
    } catch {
      return undefined;
    }
  }

  async put(sha256: string, bytes: Buffer, meta: BlobMeta): Promise<void> {
    const path = this.path(sha256);
    await mkdir(join(this.dir, sha256.slice(0, 2)), {recursive: true});
    // The meta goes first: a blob under its name always has its meta beside it.
    await writeAtomically(`${path}.meta.json`, Buffer.from(JSON.stringify(meta)));
    await writeAtomically(path, bytes);
  }

  async touch(sha256: string): Promise<void> {
    const now = new Date();
    await utimes(this.path(sha256), now, now);
  }

  async get(sha256: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(sha256));
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(sha256: string): Promise<void> {
    await rm(this.path(sha256), {force: true});
    await rm(`${this.path(sha256)}.meta.json`, {force: true});
  }

  async *list(): AsyncIterable<BlobInfo> {
    let shards: string[];
    try {
      shards = (await readdir(this.dir)).sort();
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for (const shard of shards) {
      let names: string[];
      try {
        names = (await readdir(join(this.dir, shard))).sort();
      } catch {
        continue; // not a shard folder
      }
      for (const name of names) {
        if (!isSha256(name)) continue;
        const info = await this.stat(name);
        if (info) yield info;
      }
    }
  }

  async close(): Promise<void> {}
}

async function writeAtomically(path: string, bytes: Buffer): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    // Synced before the rename: after a power loss the name holds the whole blob or nothing.
    const file = await open(tmp, 'w');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, {force: true});
    throw error;
  }
}
