import {plural} from '../../core/plural.js';
import type {InvariantResult} from '../report.js';
import type {NamedViolation} from './events.js';
import type {ReadResult} from './versioned-consumer.js';
import type {FullOrder} from './workload.js';
import {expectedRead} from './workload.js';
import type {AvroRecordJson, EvolutionAttempt} from './schema.js';

/** One registration attempt of the run, with what the file expected of it. */
export interface AttemptFacts {
  version: string;
  level: string;
  attempt: EvolutionAttempt;
  outcome: 'accepted' | 'refused';
  violations: NamedViolation[];
}

/** A record read back from the topic: where it is, the schema id in its bytes, and the order it carries. */
export interface TopicRecord {
  at: string;
  key: string;
  schemaId: number | null;
}

export interface EvolutionFacts {
  attempts: AttemptFacts[];
  /** Schema version → its id, for the versions the registry took. */
  ids: Map<string, number>;
  schemas: Record<string, AvroRecordJson>;
  /** This run's records as read back from the topic. */
  records: TopicRecord[];
  /** Each order the producers wrote, by key: the writer version and the full order. */
  produced: Map<string, {writer: string; order: FullOrder}>;
  /** Reader version → the writers whose records it must read. */
  readers: Record<string, string[]>;
  /** Reader version → what its consumer made of each record (absent: that version never ran). */
  reads: Map<string, ReadonlyMap<string, ReadResult>>;
}

const sample = (items: string[]) => items.slice(0, 3).join('; ') + (items.length > 3 ? ` … (+${items.length - 3})` : '');
const sameKinds = (a: string[], b: string[]) => a.length === b.length && [...a].sort().every((k, i) => k === [...b].sort()[i]);

function registryAsExpected(f: EvolutionFacts): InvariantResult {
  const wrong: string[] = [];
  for (const a of f.attempts) {
    const kinds = [...new Set(a.violations.map((v) => v.kind))];
    if (a.outcome !== a.attempt.expect) wrong.push(`${a.version} under ${a.level}: ${a.outcome}, expected ${a.attempt.expect}`);
    else if (a.outcome === 'refused' && !sameKinds(kinds, a.attempt.violations)) wrong.push(`${a.version} under ${a.level}: refused for ${kinds.join(', ') || 'no named violation'}, expected ${a.attempt.violations.join(', ')}`);
  }
  const refused = f.attempts.filter((a) => a.outcome === 'refused').map((a) => `${a.version} under ${a.level} (${[...new Set(a.violations.map((v) => v.kind))].join(', ')})`);
  return {
    name: 'registry-outcomes-as-expected',
    ok: wrong.length === 0,
    detail: wrong.length === 0 ? `${plural(f.attempts.length, 'registration')} as expected; refused: ${refused.join(', ') || 'none'}` : sample(wrong),
  };
}

function writtenOnlyWithRegistered(f: EvolutionFacts): InvariantResult {
  const byId = new Map([...f.ids].map(([v, id]) => [id, v]));
  const wrong = f.records.filter((r) => {
    const writer = r.schemaId === null ? undefined : byId.get(r.schemaId);
    return writer === undefined || writer !== f.produced.get(r.key)?.writer;
  });
  const unknown = f.records.filter((r) => !f.produced.has(r.key)).length;
  const refused = [...new Set(f.attempts.filter((a) => a.outcome === 'refused' && !f.ids.has(a.version)).map((a) => a.version))];
  return {
    name: 'written-only-with-registered-versions',
    ok: wrong.length === 0 && unknown === 0 && f.records.length === f.produced.size,
    detail:
      wrong.length === 0 && f.records.length === f.produced.size
        ? `all ${f.records.length} records carry the id of the version that wrote them${refused.length > 0 ? `; none written with ${refused.join(', ')}` : ''}`
        : `${f.records.length} records on the topic for ${f.produced.size} produced; ${wrong.length} with another schema id (${sample(wrong.map((r) => `${r.at} id ${r.schemaId}`))})`,
  };
}

/** Each reader × record pair: must it read it, and what did it make of it. */
function pairs(f: EvolutionFacts) {
  const out: Array<{reader: string; writer: string; record: TopicRecord; should: boolean; got: ReadResult | undefined}> = [];
  for (const [reader, results] of f.reads) {
    const writers = new Set(f.readers[reader] ?? []);
    for (const record of f.records) {
      const writer = f.produced.get(record.key)?.writer;
      if (writer === undefined) continue;
      out.push({reader, writer, record, should: writers.has(writer), got: results.get(record.at)});
    }
  }
  return out;
}

function everyRecordRead(f: EvolutionFacts): InvariantResult {
  const due = pairs(f).filter((p) => p.should);
  const missed = due.filter((p) => !p.got?.ok).map((p) => `${p.reader} ✗ ${p.writer} record ${p.record.at}${p.got && !p.got.ok ? `: ${p.got.reason}` : ' (never delivered)'}`);
  return {
    name: 'every-record-read-by-its-readers',
    ok: missed.length === 0 && f.reads.size > 0,
    detail: missed.length === 0 ? `${due.length} reads over ${f.reads.size} consumer versions (${[...f.reads.keys()].join(', ')}), none missed` : `${missed.length} of ${due.length} reads missed — ${sample(missed)}`,
  };
}

function valuesMatch(f: EvolutionFacts): InvariantResult {
  const wrong: string[] = [];
  let checked = 0;
  let defaults = 0;
  for (const p of pairs(f)) {
    const got = p.got;
    if (!p.should || !got?.ok) continue;
    checked++;
    const {order} = f.produced.get(p.record.key)!;
    const want = expectedRead(order, f.schemas[p.writer]!, f.schemas[p.reader]!);
    defaults += want.defaulted.length > 0 ? 1 : 0;
    const fields = [...new Set([...Object.keys(want.value), ...Object.keys(got.value)])];
    const bad = fields.find((k) => JSON.stringify(want.value[k]) !== JSON.stringify(got.value[k]));
    if (bad !== undefined) wrong.push(`${p.reader} reading ${p.writer} record ${p.record.at}: ${bad} = ${JSON.stringify(got.value[bad])}, expected ${JSON.stringify(want.value[bad])}`);
  }
  return {
    name: 'decoded-values-match',
    ok: wrong.length === 0 && checked > 0,
    detail: wrong.length === 0 ? `${checked} decoded values equal the orders produced, field by field after resolution (${defaults} with defaults filled in)` : `${wrong.length} of ${checked} decoded values differ — ${sample(wrong)}`,
  };
}

function unreadableWhereExpected(f: EvolutionFacts): InvariantResult {
  const barred = pairs(f).filter((p) => !p.should);
  const read = barred.filter((p) => p.got?.ok).map((p) => `${p.reader} read ${p.writer} record ${p.record.at}`);
  const missing = barred.filter((p) => p.got === undefined).map((p) => `${p.reader} never got ${p.writer} record ${p.record.at}`);
  const kinds = [...new Set(barred.map((p) => `${p.reader} ✗ ${p.writer}`))];
  const wrong = [...read, ...missing];
  return {
    name: 'unreadable-where-expected',
    ok: wrong.length === 0,
    detail:
      barred.length === 0
        ? 'no consumer version was expected to fail on any record'
        : wrong.length === 0
          ? `${barred.length} records unreadable exactly where expected (${kinds.join(', ')}): the transitive break, seen by a consumer`
          : `${wrong.length} of ${barred.length} — ${sample(wrong)}`,
  };
}

export const EVOLUTION_INVARIANTS = [registryAsExpected, writtenOnlyWithRegistered, everyRecordRead, valuesMatch, unreadableWhereExpected];
