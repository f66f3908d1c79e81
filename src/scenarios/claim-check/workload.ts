import {chance, prng} from '../../core/random.js';
import type {ClaimCheckScenario} from './schema.js';

export type SizeClass = 'small' | 'large' | 'huge';

export interface Document {
  index: number;
  id: string;
  size: SizeClass;
  /** The payload's bytes, the same for a seed and index whatever the run. */
  payload: Buffer;
  contentType: string;
  /** Index of the document whose bytes it repeats, if it is a duplicate. */
  duplicateOf?: number;
}

const KIB = 1024;

/** Pseudo-random bytes from a seed (fast enough for several MiB). */
function bytesFrom(seed: number, length: number): Buffer {
  const rand = prng(seed);
  const out = Buffer.alloc(length);
  let i = 0;
  for (; i + 4 <= length; i += 4) out.writeUInt32LE(Math.floor(rand() * 0x100000000), i);
  for (; i < length; i++) out[i] = Math.floor(rand() * 256);
  return out;
}

function sizeClass(s: ClaimCheckScenario, i: number): SizeClass {
  // The first two are always one huge and one large document: every run shows both.
  if (i === 0) return 'huge';
  if (i === 1) return 'large';
  const r = chance(s.workload.seed, 'size', i);
  if (r < s.workload.hugeShare) return 'huge';
  if (r < s.workload.hugeShare + s.workload.largeShare) return 'large';
  return 'small';
}

function original(s: ClaimCheckScenario, runId: string, i: number): Document {
  const size = sizeClass(s, i);
  const id = `doc-${runId}-${i}`;
  const r = chance(s.workload.seed, 'bytes', i);
  const limit = s.maxMessageBytes;
  if (size === 'small') {
    // Small documents are JSON text: what plain consumers read unchanged.
    const body = bytesFrom(s.workload.seed * 31 + i, Math.floor(KIB / 2 + r * 31 * KIB)).toString('base64');
    return {index: i, id, size, payload: Buffer.from(JSON.stringify({docIndex: i, seed: s.workload.seed, body})), contentType: 'application/json'};
  }
  const length = size === 'large' ? Math.floor(limit * (1.05 + r * 0.9)) : Math.floor(limit * (3 + r * 3));
  return {index: i, id, size, payload: bytesFrom(s.workload.seed * 31 + i, length), contentType: 'application/octet-stream'};
}

/**
 * The run's documents: `documents` originals, then `duplicates` more that repeat
 * the bytes of a stored original under their own id.
 */
export function documents(s: ClaimCheckScenario, runId: string): Document[] {
  const docs = Array.from({length: s.workload.documents}, (_, i) => original(s, runId, i));
  const stored = docs.filter((d) => d.size !== 'small');
  for (let k = 0; k < s.workload.duplicates && stored.length > 0; k++) {
    const of = stored[Math.floor(chance(s.workload.seed, 'dup', k) * stored.length)]!;
    const index = docs.length;
    docs.push({...of, index, id: `doc-${runId}-${index}`, duplicateOf: of.index});
  }
  return docs;
}

/** Payloads uploaded and then abandoned (the produce never happens): never part of the run's records. */
export function orphanPayloads(s: ClaimCheckScenario): Buffer[] {
  return Array.from({length: s.faults.orphans}, (_, k) => bytesFrom(s.workload.seed * 97 + k, Math.floor(s.maxMessageBytes * 1.5)));
}

/** Which stored documents lose their blob and which get it corrupted: distinct, from the seed, never a duplicated payload. */
export function faultTargets(s: ClaimCheckScenario, docs: Document[]): {deleted: Document[]; corrupted: Document[]} {
  const shared = new Set(docs.filter((d) => d.duplicateOf !== undefined).map((d) => d.duplicateOf));
  const candidates = docs
    .filter((d) => d.size !== 'small' && d.duplicateOf === undefined && !shared.has(d.index))
    .sort((a, b) => chance(s.workload.seed, 'fault', a.index) - chance(s.workload.seed, 'fault', b.index));
  return {deleted: candidates.slice(0, s.faults.deleted), corrupted: candidates.slice(s.faults.deleted, s.faults.deleted + s.faults.corrupted)};
}
