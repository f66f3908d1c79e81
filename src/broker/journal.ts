import {closeSync, existsSync, fsync, fsyncSync, openSync, readFileSync, renameSync, writeSync} from 'node:fs';
import {join} from 'node:path';
import {GroupCommit} from './log/group-commit.js';

/**
 * An append-only JSON-lines journal in the data dir, the broker's stand-in for Kafka's internal
 * compacted topics (__consumer_offsets, __transaction_state). Opening replays it (a torn last
 * line from a crash is dropped) and rewrites it compacted; appends are fsynced with group commit
 * when the broker is durable; a long journal is rewritten from the owner's live state.
 */
export class Journal<E> {
  private readonly commit: GroupCommit;
  private appendsSinceCompaction = 0;

  private constructor(
    private readonly path: string,
    private fd: number,
    private readonly durable: boolean,
  ) {
    this.commit = new GroupCommit(
      () =>
        new Promise<void>((resolve, reject) => {
          fsync(this.fd, (err) => (err ? reject(err) : resolve()));
        }),
    );
  }

  /**
   * Replays `file` through `parse` (which throws on an entry it cannot read) and rewrites it as
   * `compact(entries)`: the entries that still describe the current state.
   */
  static open<E>(opts: {
    dataDir: string;
    file: string;
    durable: boolean;
    logger: (line: string) => void;
    parse: (raw: unknown) => E;
    compact: (entries: E[]) => E[];
  }): {journal: Journal<E>; entries: E[]} {
    const path = join(opts.dataDir, opts.file);
    const entries: E[] = [];
    if (existsSync(path)) {
      readFileSync(path, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (line.trim() === '') return;
          try {
            entries.push(opts.parse(JSON.parse(line)));
          } catch {
            opts.logger(`${opts.file}: skipping unreadable line ${i + 1} (a write cut short by a crash)`);
          }
        });
    }
    const kept = opts.compact(entries);
    writeSnapshot(path, kept);
    return {journal: new Journal<E>(path, openSync(path, 'a'), opts.durable), entries: kept};
  }

  /** Appends entries; the returned promise resolves once they are durable. */
  append(entries: E[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    writeSync(this.fd, entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
    this.appendsSinceCompaction += entries.length;
    this.commit.markWritten();
    return this.durable ? this.commit.flush() : Promise.resolve();
  }

  /** Rewrites the journal from the live state once it has grown long. */
  async maybeCompact(current: () => E[], threshold = 100_000): Promise<void> {
    if (this.appendsSinceCompaction < threshold) return;
    this.appendsSinceCompaction = 0;
    await this.commit.idle();
    // No await from here on: no append can slip between closing the old file and opening the new one.
    closeSync(this.fd);
    writeSnapshot(this.path, current());
    this.fd = openSync(this.path, 'a');
  }

  async close(): Promise<void> {
    await this.commit.idle();
    fsyncSync(this.fd);
    closeSync(this.fd);
  }
}

function writeSnapshot<E>(path: string, entries: E[]): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, entries.length > 0 ? entries.map((e) => JSON.stringify(e)).join('\n') + '\n' : '');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}
