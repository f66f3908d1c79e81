import {createKafka, translateKafkaError} from './client.js';
import type {Connection} from './connection.js';
import {noSuchPartition, noSuchTopic} from '../core/errors.js';
import type {DecodedRecord, RecordHeader} from '../broker/protocol/record-batch.js';
import {createInternalCluster, type InternalCluster} from './kafkajs-internals.js';
import {fetchBatches, type FetchedBatch, type FetchedPartition} from './fetch-batches.js';
import type {ConsumedRecord} from './records.js';
import {AbortedTransactions} from './aborted-transactions.js';

export type StartPosition =
  | {kind: 'earliest'}
  | {kind: 'latest'}
  | {kind: 'offset'; offset: number}
  | {kind: 'timestamp'; timestamp: number}
  /** Per-partition next offsets (a resume point); partitions missing from the map start as `otherwise` says. */
  | {kind: 'positions'; positions: ReadonlyMap<number, number>; otherwise: StartPosition};

export interface ReadOptions {
  topic: string;
  /** Default: every partition of the topic. */
  partitions?: number[];
  start: StartPosition;
  /** Stop once every partition reaches the end offset it had when reading began (kcat -e). */
  stopAtEnd?: boolean;
  signal?: AbortSignal;
  maxWaitMs?: number;
  partitionMaxBytes?: number;
  /** Kept current with the next offset to read per partition, so a caller can resume after a failure. */
  positions?: Map<number, number>;
  /** read_committed (the default) stops at the last stable offset and drops aborted transactions' records. */
  isolation?: Isolation;
  /** Filled (read_committed) with each aborted transaction met, as `partition/producerId/firstOffset`. */
  abortedTransactions?: Set<string>;
}

export type Isolation = 'read_committed' | 'read_uncommitted';

const OFFSET_OUT_OF_RANGE = 1;

/**
 * Reads partitions directly, without joining a consumer group and without
 * committing anything: the way a tail or a watcher must read, leaving the
 * user's groups untouched. Transaction markers, and with read_committed the
 * records of aborted transactions, are read past, never yielded.
 */
export async function* readPartitions(conn: Connection, opts: ReadOptions): AsyncGenerator<ConsumedRecord> {
  const next = opts.positions ?? new Map<number, number>();
  const {topic} = opts;
  for await (const chunk of fetchChunks(conn, opts, next)) {
    const {partition} = chunk;
    for (const batch of visibleBatches(chunk, opts, next)) {
      for (const r of batch.records) {
        next.set(partition, r.offset + 1);
        yield consumed(topic, partition, r);
        if (opts.signal?.aborted) return;
      }
    }
  }
}

/**
 * Like readPartitions, a batch's records at a time: no promise per record, for
 * callers that process many. `positions` moves past a batch as it is handed out,
 * so it is exact between batches, not while one is being processed.
 */
export async function* readRecordBatches(conn: Connection, opts: ReadOptions): AsyncGenerator<ConsumedRecord[]> {
  const next = opts.positions ?? new Map<number, number>();
  const {topic} = opts;
  for await (const chunk of fetchChunks(conn, opts, next)) {
    const {partition} = chunk;
    for (const batch of visibleBatches(chunk, opts, next)) {
      next.set(partition, batch.records.at(-1)!.offset + 1);
      yield batch.records.map((r) => consumed(topic, partition, r));
      if (opts.signal?.aborted) return;
    }
  }
}

/** The chunk's batches for readers: markers and (read_committed) aborted transactions' batches are passed over, the position moving past them. */
function* visibleBatches(chunk: FetchedChunk, opts: ReadOptions, next: Map<number, number>): Generator<FetchedBatch> {
  const aborted = new AbortedTransactions(chunk.abortedTransactions);
  for (const a of chunk.abortedTransactions) opts.abortedTransactions?.add(`${chunk.partition}/${a.producerId}/${a.firstOffset}`);
  for (const batch of chunk.batches) {
    if (aborted.skips(batch)) next.set(chunk.partition, batch.records.at(-1)!.offset + 1);
    else yield batch;
  }
}

const consumed = (topic: string, partition: number, r: DecodedRecord): ConsumedRecord => ({
  topic,
  partition,
  offset: r.offset,
  timestamp: r.timestamp,
  key: r.key,
  value: r.value,
  headers: r.headers.length === 0 ? {} : headerObject(r.headers),
});

/** Headers as kafkajs shows them: by name, a repeated name's values in an array. */
function headerObject(headers: RecordHeader[]): ConsumedRecord['headers'] {
  const out: ConsumedRecord['headers'] = {};
  for (const {key, value} of headers) {
    const v = value ?? Buffer.alloc(0);
    const had = out[key];
    out[key] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  return out;
}

/** One partition's share of a fetch response: its batches with the records from the reader's position on, below its end. */
export interface FetchedChunk {
  partition: number;
  /** Each with at least one record. */
  batches: FetchedBatch[];
  abortedTransactions: FetchedPartition['abortedTransactions'];
}

export async function* fetchChunks(conn: Connection, opts: ReadOptions, next: Map<number, number>): AsyncGenerator<FetchedChunk> {
  const isolationLevel = opts.isolation === 'read_uncommitted' ? 0 : 1;
  const kafka = createKafka(conn, {fast: true});
  const cluster = createInternalCluster(kafka, isolationLevel);
  try {
    try {
      await cluster.connect();
      await cluster.addTargetTopic(opts.topic);
      await cluster.refreshMetadata();
    } catch (error) {
      throw translateKafkaError(error, conn, {topic: opts.topic, operation: 'READ'});
    }
    const meta = cluster.findTopicPartitionMetadata(opts.topic);
    if (meta.length === 0) throw noSuchTopic(opts.topic);
    const all = meta.map((p) => p.partitionId).sort((a, b) => a - b);
    const wanted = opts.partitions ?? all;
    for (const p of wanted) {
      if (!all.includes(p)) throw noSuchPartition(opts.topic, p, all.length);
    }
    for (const [p, o] of await startOffsets(cluster, opts.topic, wanted, opts.start)) next.set(p, o);
    const ends = opts.stopAtEnd ? await endOffsets(cluster, opts.topic, wanted) : null;
    const done = (p: number) => ends !== null && (next.get(p) ?? 0) >= (ends.get(p) ?? 0);

    const maxBytes = opts.partitionMaxBytes ?? 1024 * 1024;
    const send = (leader: number, offsets: Map<number, number>): FetchAhead => ({
      offsets,
      // Settled either way, so a fetch sent ahead and never used leaves no unhandled rejection.
      answer: cluster
        .findBroker({nodeId: leader})
        .then((broker) =>
          fetchBatches(broker, {
            topic: opts.topic,
            isolationLevel,
            maxWaitMs: opts.maxWaitMs ?? 500,
            maxBytes: 8 * 1024 * 1024,
            partitions: [...offsets].map(([partition, fetchOffset]) => ({partition, fetchOffset, maxBytes})),
          }),
        )
        .then(
          (parts) => ({ok: true as const, parts}),
          (error: unknown) => ({ok: false as const, error}),
        ),
    });
    /** Per leader, the next fetch, sent before the records of the one before were handed out. */
    const ahead = new Map<number, FetchAhead>();

    while (!opts.signal?.aborted) {
      const active = wanted.filter((p) => !done(p));
      if (active.length === 0) return;
      const byLeader = new Map<number, number[]>();
      for (const p of active) {
        const leader = meta.find((m) => m.partitionId === p)?.leader ?? 0;
        byLeader.set(leader, [...(byLeader.get(leader) ?? []), p]);
      }
      for (const [leader, partitions] of byLeader) {
        const from = new Map(partitions.map((p) => [p, next.get(p) ?? 0]));
        let fetch = ahead.get(leader);
        ahead.delete(leader);
        // Used only when it asked for exactly what is wanted now (the caller took everything it was handed).
        if (!fetch || !sameOffsets(fetch.offsets, from)) fetch = send(leader, from);
        const result = await fetch.answer;
        if (!result.ok) throw translateKafkaError(result.error, conn, {topic: opts.topic, operation: 'READ'});
        // The broker reads the next fetch while this one's records are processed.
        const following = new Map<number, number>();
        for (const part of result.parts) {
          if (part.errorCode !== 0) continue;
          const after = Math.max(from.get(part.partition) ?? 0, part.batches.length > 0 ? part.batches.at(-1)!.lastOffset + 1 : 0);
          if (after < (ends?.get(part.partition) ?? Infinity)) following.set(part.partition, after);
        }
        if (following.size > 0 && result.parts.every((p) => p.errorCode === 0)) ahead.set(leader, send(leader, following));
        for (const part of result.parts) {
          if (part.errorCode === OFFSET_OUT_OF_RANGE) {
            // Retention moved the start past us: continue from the new start, like auto.offset.reset=earliest.
            const reset = await startOffsets(cluster, opts.topic, [part.partition], {kind: 'earliest'});
            for (const [p, o] of reset) if ((next.get(p) ?? 0) < o) next.set(p, o);
            continue;
          }
          const end = ends?.get(part.partition) ?? Infinity;
          const batches = inRange(part.batches, next.get(part.partition) ?? 0, end);
          if (batches.length > 0) {
            yield {partition: part.partition, batches, abortedTransactions: part.abortedTransactions};
            if (opts.signal?.aborted) return;
          }
          // Offsets a fetched batch covers without a record (compacted away) are passed over: a gap never stalls a read.
          const covered = Math.min(part.batches.length > 0 ? part.batches.at(-1)!.lastOffset + 1 : 0, end);
          if ((next.get(part.partition) ?? 0) < covered) next.set(part.partition, covered);
        }
      }
    }
  } finally {
    await cluster.disconnect().catch(() => {});
  }
}

interface FetchAhead {
  offsets: Map<number, number>;
  answer: Promise<{ok: true; parts: FetchedPartition[]} | {ok: false; error: unknown}>;
}

function sameOffsets(a: Map<number, number>, b: Map<number, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [p, o] of a) if (b.get(p) !== o) return false;
  return true;
}

/** The batches' records at offsets in [from, end): a fetch starts at the batch holding `from`, and may reach past the end the read stops at. */
function inRange(batches: FetchedBatch[], from: number, end: number): FetchedBatch[] {
  const out: FetchedBatch[] = [];
  for (const b of batches) {
    if (b.lastOffset < from || b.baseOffset >= end || b.records.length === 0) continue;
    const whole = b.records[0]!.offset >= from && b.records.at(-1)!.offset < end;
    const records = whole ? b.records : b.records.filter((r) => r.offset >= from && r.offset < end);
    if (records.length > 0) out.push(whole ? b : {...b, records});
  }
  return out;
}

async function listOffsets(cluster: InternalCluster, topic: string, partitions: number[], q: {fromBeginning?: boolean; fromTimestamp?: number}) {
  const res = await cluster.fetchTopicsOffset([{topic, partitions: partitions.map((partition) => ({partition})), ...q}]);
  return new Map((res[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
}

function endOffsets(cluster: InternalCluster, topic: string, partitions: number[]) {
  return listOffsets(cluster, topic, partitions, {fromBeginning: false});
}

async function startOffsets(cluster: InternalCluster, topic: string, partitions: number[], start: StartPosition): Promise<Map<number, number>> {
  switch (start.kind) {
    case 'earliest':
      return listOffsets(cluster, topic, partitions, {fromBeginning: true});
    case 'latest':
      return endOffsets(cluster, topic, partitions);
    case 'timestamp': {
      // No record at or after the time: start at the end (Kafka answers -1).
      const [found, last] = await Promise.all([listOffsets(cluster, topic, partitions, {fromTimestamp: start.timestamp}), endOffsets(cluster, topic, partitions)]);
      return new Map(partitions.map((p) => [p, (found.get(p) ?? -1) < 0 ? (last.get(p) ?? 0) : found.get(p)!]));
    }
    case 'offset':
      // A negative offset counts back from the end, like kcat -o -N.
      return clampedOffsets(cluster, topic, partitions, (_p, hi) => (start.offset < 0 ? hi + start.offset : start.offset));
    case 'positions': {
      const known = partitions.filter((p) => start.positions.has(p));
      const rest = partitions.filter((p) => !start.positions.has(p));
      // Clamped: retention may have moved the start, or the topic been recreated, while we were away.
      const [resumed, others] = await Promise.all([
        clampedOffsets(cluster, topic, known, (p) => start.positions.get(p)!),
        rest.length > 0 ? startOffsets(cluster, topic, rest, start.otherwise) : new Map<number, number>(),
      ]);
      return new Map([...resumed, ...others]);
    }
  }
}

/** Where `want` says, kept within each partition's log start and end. */
async function clampedOffsets(cluster: InternalCluster, topic: string, partitions: number[], want: (partition: number, end: number) => number) {
  if (partitions.length === 0) return new Map<number, number>();
  const [first, last] = await Promise.all([listOffsets(cluster, topic, partitions, {fromBeginning: true}), endOffsets(cluster, topic, partitions)]);
  return new Map(
    partitions.map((p) => {
      const lo = first.get(p) ?? 0;
      const hi = last.get(p) ?? 0;
      return [p, Math.min(Math.max(want(p, hi), lo), hi)];
    }),
  );
}
