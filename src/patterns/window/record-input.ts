import type {ConsumedRecord} from '../../kafka/records.js';
import {fieldOf} from './aggregations.js';
import type {WindowInput} from './processor.js';

/** How a record becomes a window input: its grouping key and its event time. */
export interface RecordReading {
  /** A JSON field (dotted path) to group by instead of the record key. */
  groupBy?: string;
  /** A JSON field holding the event time (epoch ms or an ISO-8601 string) instead of the record timestamp. */
  timeField?: string;
  /** Whether the aggregation reads the value (else it is decoded only for the fields above). */
  readsValue: boolean;
  /** Input partitions: a regrouped key's task is its hash modulo this. */
  partitions: number;
}

/** A window input, or why the record cannot be one. */
export type Reading = {ok: true; input: WindowInput} | {ok: false; reason: string};

/**
 * Turns a record into a window input. Grouping by the record key keeps Kafka's
 * task = input partition. Grouping by a field is what Kafka does through a
 * repartition topic: the key's hash picks the task whose stream time the window
 * follows, so each key's windows follow one stream time.
 */
export function readRecord(record: ConsumedRecord, how: RecordReading): Reading {
  let value: unknown = null;
  if (how.readsValue || how.groupBy !== undefined || how.timeField !== undefined) {
    if (record.value !== null) {
      try {
        value = JSON.parse(record.value.toString());
      } catch {
        if (how.groupBy !== undefined || how.timeField !== undefined) return {ok: false, reason: 'value is not JSON'};
      }
    }
  }
  let key: string;
  let task = record.partition;
  if (how.groupBy !== undefined) {
    const k = fieldOf(value, how.groupBy);
    if (typeof k !== 'string' && typeof k !== 'number' && typeof k !== 'boolean') return {ok: false, reason: `no field ${how.groupBy} to group by`};
    key = String(k);
    task = hash(key) % how.partitions;
  } else {
    if (record.key === null) return {ok: false, reason: 'the record has no key (Kafka Streams skips those too) — group by a field with --by'};
    key = record.key.toString();
  }
  let timestamp = record.timestamp;
  if (how.timeField !== undefined) {
    const t = eventTime(fieldOf(value, how.timeField));
    if (t === null) return {ok: false, reason: `field ${how.timeField} is not a time (epoch ms or ISO-8601)`};
    timestamp = t;
  }
  if (!Number.isFinite(timestamp) || timestamp < 0) return {ok: false, reason: `timestamp ${timestamp} is negative or missing`};
  return {ok: true, input: {key, timestamp, partition: record.partition, offset: record.offset, value, task}};
}

function eventTime(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === 'string' && v.trim() !== '') {
    const n = /^\d+$/.test(v.trim()) ? Number(v) : Date.parse(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** FNV-1a over UTF-16 code units: stable across runs, so a key keeps its task. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
