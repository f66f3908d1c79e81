/**
 * Hands out producer ids that are never reused, even across restarts and crashes. Ids come in
 * blocks (as Kafka's ProducerIdManager does): before the first id of a block is handed out, the
 * block's end is written to `producer-ids` in the data dir (temp file, fsync, rename, fsync the
 * folder). A restart continues after the saved end, so at most one block is skipped per start
 * and a fresh id costs one fsync per BLOCK_SIZE producers.
 */
import {closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync} from 'node:fs';
import {join} from 'node:path';
import {fsyncDirectory} from '../log/log-start-checkpoint.js';

export const PRODUCER_IDS_FILE = 'producer-ids';
const BLOCK_SIZE = 1000;

export class ProducerIdAllocator {
  private constructor(
    private readonly dataDir: string,
    private next: number,
    private reservedUntil: number,
  ) {}

  /** Reads the saved block end; a missing file means no id was ever handed out here. */
  static open(dataDir: string): ProducerIdAllocator {
    const path = join(dataDir, PRODUCER_IDS_FILE);
    let start = 0;
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8').trim();
      if (!/^\d+$/.test(text)) {
        throw new Error(`${path} should hold the next free producer id, found ${JSON.stringify(text)} — restore it or remove the data dir`);
      }
      start = Number(text);
    }
    return new ProducerIdAllocator(dataDir, start, start);
  }

  /** A producer id nobody got before; throws only if the block cannot be made durable. */
  allocate(): number {
    if (this.next >= this.reservedUntil) this.reserve(this.next + BLOCK_SIZE);
    return this.next++;
  }

  private reserve(end: number): void {
    const path = join(this.dataDir, PRODUCER_IDS_FILE);
    const temp = `${path}.tmp`;
    const fd = openSync(temp, 'w');
    try {
      writeSync(fd, `${end}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
    fsyncDirectory(this.dataDir);
    this.reservedUntil = end;
  }
}
