/**
 * The cleaner's progress for one partition, in `cleaner-checkpoint` of its folder: the first
 * offset not yet cleaned (everything below it has been compacted at least once) and when the
 * last clean finished. Written to a temp file then renamed, so a crash keeps the old one.
 */
import {existsSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {TEMP_SUFFIX} from './segment-files.js';

export const CLEANER_CHECKPOINT_FILE = 'cleaner-checkpoint';

export interface CleanerCheckpoint {
  firstDirtyOffset: number;
  /** Epoch ms of the last finished clean, -1 if never cleaned. */
  lastCleanedMs: number;
  /** When the earliest tombstone kept by the last clean may go (-1 none): a clean is due then. */
  tombstoneExpiryMs?: number;
}

export const NEVER_CLEANED: Readonly<CleanerCheckpoint> = Object.freeze({firstDirtyOffset: 0, lastCleanedMs: -1});

export function readCleanerCheckpoint(dir: string): CleanerCheckpoint {
  const path = join(dir, CLEANER_CHECKPOINT_FILE);
  if (!existsSync(path)) return {...NEVER_CLEANED};
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<CleanerCheckpoint>;
    const firstDirtyOffset = Number(parsed.firstDirtyOffset);
    const lastCleanedMs = Number(parsed.lastCleanedMs);
    const tombstoneExpiryMs = Number(parsed.tombstoneExpiryMs ?? -1);
    if (Number.isSafeInteger(firstDirtyOffset) && Number.isFinite(lastCleanedMs) && Number.isFinite(tombstoneExpiryMs)) {
      return {firstDirtyOffset, lastCleanedMs, tombstoneExpiryMs};
    }
  } catch {
    // A damaged checkpoint only costs a full clean next time.
  }
  return {...NEVER_CLEANED};
}

export function writeCleanerCheckpoint(dir: string, checkpoint: CleanerCheckpoint): void {
  const path = join(dir, CLEANER_CHECKPOINT_FILE);
  writeFileSync(path + TEMP_SUFFIX, JSON.stringify(checkpoint));
  renameSync(path + TEMP_SUFFIX, path);
}
