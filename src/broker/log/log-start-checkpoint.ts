/**
 * The log start offset survives restarts in a one-line file. It is replaced atomically (write a
 * temp file, fsync it, rename over, fsync the folder) so a crash leaves the old or the new value.
 */
import {closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync} from 'node:fs';
import {join} from 'node:path';
import {LOG_START_OFFSET_FILE, TEMP_SUFFIX} from './segment-files.js';

/** The saved offset, or null when there is none (or it is unreadable: then segments decide). */
export function readLogStartOffset(dir: string): number | null {
  const path = join(dir, LOG_START_OFFSET_FILE);
  if (!existsSync(path)) return null;
  const text = readFileSync(path, 'utf8').trim();
  return /^\d+$/.test(text) ? Number(text) : null;
}

export function writeLogStartOffset(dir: string, offset: number): void {
  const path = join(dir, LOG_START_OFFSET_FILE);
  const temp = path + TEMP_SUFFIX;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, `${offset}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  fsyncDirectory(dir);
}

/** Makes file creations, renames and deletions in `dir` durable. */
export function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
