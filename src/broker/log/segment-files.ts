/**
 * File names of a partition folder. Segments are named by their base offset, zero padded to 20
 * digits (as Kafka does) so that names sort like offsets:
 *   00000000000000000000.log     record batches, exactly as stored
 *   00000000000000000000.index   sparse index of that segment (written when the segment is sealed)
 *   log-start-offset             checkpoint of the log start offset
 */
import {readdirSync} from 'node:fs';
import {join} from 'node:path';

export const LOG_SUFFIX = '.log';
export const INDEX_SUFFIX = '.index';
export const TEMP_SUFFIX = '.tmp';
export const LOG_START_OFFSET_FILE = 'log-start-offset';

const SEGMENT_NAME = /^(\d{20})\.log$/;

export function segmentFileName(baseOffset: number, suffix: string): string {
  return String(baseOffset).padStart(20, '0') + suffix;
}

export function segmentPaths(dir: string, baseOffset: number): {log: string; index: string} {
  return {log: join(dir, segmentFileName(baseOffset, LOG_SUFFIX)), index: join(dir, segmentFileName(baseOffset, INDEX_SUFFIX))};
}

export interface PartitionDirListing {
  /** Base offsets of the segment files, ascending. */
  segmentBaseOffsets: number[];
  /** Leftovers to delete: temp files of interrupted writes, index files without a segment. */
  strayFiles: string[];
}

export function listPartitionDir(dir: string): PartitionDirListing {
  const names = readdirSync(dir);
  const segmentBaseOffsets: number[] = [];
  for (const name of names) {
    const match = SEGMENT_NAME.exec(name);
    if (match) segmentBaseOffsets.push(Number(match[1]));
  }
  segmentBaseOffsets.sort((a, b) => a - b);
  const logs = new Set(segmentBaseOffsets.map((base) => segmentFileName(base, '')));
  const strayFiles = names.filter(
    (name) => name.endsWith(TEMP_SUFFIX) || (name.endsWith(INDEX_SUFFIX) && !logs.has(name.slice(0, -INDEX_SUFFIX.length))),
  );
  return {segmentBaseOffsets, strayFiles: strayFiles.map((name) => join(dir, name))};
}
