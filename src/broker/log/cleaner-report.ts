/**
 * The cleaner's state of a compacted topic as read-only DescribeConfigs entries. They are
 * answered only when asked for by name (configuration_keys), so tools listing a topic's configs,
 * or copying them into AlterConfigs, never see names Kafka does not know; a real cluster simply
 * returns nothing for them.
 */
import {cleanerStatus} from './cleaner.js';
import type {PartitionLog} from './partition-log.js';

export const CLEANER_ENTRY = {
  dirtyBytes: 'kpat.cleaner.dirty.bytes',
  dirtyRatio: 'kpat.cleaner.dirty.ratio',
  lastCleanedMs: 'kpat.cleaner.last.cleaned.ms',
} as const;

export const CLEANER_ENTRY_NAMES: readonly string[] = Object.values(CLEANER_ENTRY);

/**
 * Summed dirty bytes, the highest dirty ratio (the cleaner decides per partition) and the latest
 * clean (-1: never) over the topic's partitions.
 */
export function cleanerEntries(partitions: readonly PartitionLog[]): Array<{name: string; value: string}> {
  let dirtyBytes = 0;
  let dirtyRatio = 0;
  let lastCleanedMs = -1;
  for (const log of partitions) {
    const status = cleanerStatus(log);
    dirtyBytes += status.dirtyBytes;
    dirtyRatio = Math.max(dirtyRatio, status.dirtyRatio);
    lastCleanedMs = Math.max(lastCleanedMs, status.lastCleanedMs);
  }
  return [
    {name: CLEANER_ENTRY.dirtyBytes, value: String(dirtyBytes)},
    {name: CLEANER_ENTRY.dirtyRatio, value: dirtyRatio.toFixed(4)},
    {name: CLEANER_ENTRY.lastCleanedMs, value: String(lastCleanedMs)},
  ];
}
