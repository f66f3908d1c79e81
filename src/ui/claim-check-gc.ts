import {plural} from '../core/plural.js';
import type {GcBlob, GcResult, GcVerdict} from '../patterns/claim-check/gc.js';
import {formatBytes, formatDuration, renderTable} from './table.js';

/** Why, in words a person reads in the table. */
const WHY: Record<GcVerdict, string> = {
  referenced: 'referenced by a record',
  'orphan-within-grace': 'no record references it, younger than the grace period',
  'orphan-past-grace': 'no record references it, older than the grace period (a produce that failed after the upload)',
  'records-gone': 'its records were removed by retention',
  'other-topic': 'uploaded for a topic not read',
};

function action(b: GcBlob, dryRun: boolean): string {
  if (b.deleted) return 'deleted';
  const deletes = b.verdict === 'orphan-past-grace' || b.verdict === 'records-gone';
  return deletes && dryRun ? 'would delete' : 'kept';
}

/** The gc result as a table of blobs (what happened to each and why) and a summary line. */
export function gcLines(result: GcResult, now: number): string[] {
  const lines: string[] = [];
  if (result.blobs.length === 0) {
    lines.push(`no blobs in ${result.store}`);
  } else {
    const rows = result.blobs.map((b) => [action(b, result.dryRun), b.sha256.slice(0, 16), formatBytes(b.size), formatDuration(Math.max(0, now - b.storedAt)), b.topic ?? '-', b.references, WHY[b.verdict]]);
    lines.push(renderTable(['ACTION', 'SHA256', 'SIZE', 'AGE', 'TOPIC', 'REFS', 'WHY'], rows));
  }
  const gone = result.blobs.filter((b) => b.deleted || action(b, result.dryRun) === 'would delete');
  const bytes = gone.reduce((sum, b) => sum + b.size, 0);
  const kept = result.blobs.length - gone.length;
  const verb = result.dryRun ? 'would delete' : 'deleted';
  lines.push(`${verb} ${plural(gone.length, 'blob')} (${formatBytes(bytes)}), kept ${kept} · read ${plural(result.topics.length, 'topic')}, references found on ${result.topicsWithReferences.length}${result.dryRun && gone.length > 0 ? ' · dry run: pass --delete to delete' : ''}`);
  if (result.unreadableReferences > 0) lines.push(`${plural(result.unreadableReferences, 'marked record')} whose reference could not be read (their blobs cannot be told apart: nothing was deleted for them)`);
  return lines;
}
