import {createKafka, translateKafkaError} from './client.js';
import type {Connection} from './connection.js';
import {noSuchPartition, noSuchTopic} from '../core/errors.js';
import {createInternalCluster, type InternalCluster, type InternalFetchMessage, type InternalFetchPartition} from './kafkajs-internals.js';
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
  for await (const chunk of fetchChunks(conn, opts, next)) {
    const aborted = new AbortedTransactions(chunk.abortedTransactions);
    for (const a of chunk.abortedTransactions ?? []) opts.abortedTransactions?.add(`${chunk.partition}/${a.producerId}/${a.firstOffset}`);
    for (const m of chunk.messages) {
      // The position moves past markers and aborted records too.
      next.set(chunk.partition, Number(m.offset) + 1);
      if (aborted.skips(m)) continue;
      yield {
        topic: opts.topic,
        partition: chunk.partition,
        offset: Number(m.offset),
        timestamp: Number(m.timestamp),
        key: m.key,
        value: m.value,
        headers: m.headers,
      };
      if (opts.signal?.aborted) return;
    }
  }
}

/** One partition's share of a fetch response: the messages from the reader's position on, below its end. */
export interface FetchedChunk {
  partition: number;
  messages: InternalFetchMessage[];
  abortedTransactions?: InternalFetchPartition['abortedTransactions'];
}

/**
 * The fetch loop under every direct read. `next` holds the offset to read next per
 * partition; the caller moves it as it consumes each chunk, and the loop fetches from
 * there (a chunk the caller does not move past is fetched again).
 */
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

    while (!opts.signal?.aborted) {
      const active = wanted.filter((p) => !done(p));
      if (active.length === 0) return;
      const byLeader = new Map<number, number[]>();
      for (const p of active) {
        const leader = meta.find((m) => m.partitionId === p)?.leader ?? 0;
        byLeader.set(leader, [...(byLeader.get(leader) ?? []), p]);
      }
      for (const [leader, partitions] of byLeader) {
        let response;
        try {
          const broker = await cluster.findBroker({nodeId: leader});
          response = await broker.fetch({
            maxWaitTime: opts.maxWaitMs ?? 500,
            minBytes: 1,
            maxBytes: 8 * 1024 * 1024,
            isolationLevel,
            topics: [
              {
                topic: opts.topic,
                partitions: partitions.map((p) => ({partition: p, fetchOffset: String(next.get(p) ?? 0), maxBytes: opts.partitionMaxBytes ?? 1024 * 1024})),
              },
            ],
          });
        } catch (error) {
          const e = error as {type?: string; name?: string};
          if (e.type === 'OFFSET_OUT_OF_RANGE') {
            // Retention moved the start past us: continue from the new start, like auto.offset.reset=earliest.
            const reset = await startOffsets(cluster, opts.topic, partitions, {kind: 'earliest'});
            for (const [p, o] of reset) if ((next.get(p) ?? 0) < o) next.set(p, o);
            continue;
          }
          throw translateKafkaError(error, conn, {topic: opts.topic, operation: 'READ'});
        }
        for (const topicResponse of response.responses) {
          for (const part of topicResponse.partitions) {
            if (part.errorCode === OFFSET_OUT_OF_RANGE) continue;
            const from = next.get(part.partition) ?? 0;
            const end = ends?.get(part.partition) ?? Infinity;
            const messages = part.messages.filter((m) => Number(m.offset) >= from && Number(m.offset) < end);
            if (messages.length > 0) {
              yield {partition: part.partition, messages, abortedTransactions: part.abortedTransactions};
              if (opts.signal?.aborted) return;
            }
            // Offsets a fetched batch covers without a record (compacted away) are passed over: a gap never stalls a read.
            const covered = Math.min(coveredEnd(part.messages), end);
            if ((next.get(part.partition) ?? 0) < covered) next.set(part.partition, covered);
          }
        }
      }
    }
  } finally {
    await cluster.disconnect().catch(() => {});
  }
}

/** The offset after the last batch a fetch returned, from its header when kafkajs decoded one. */
function coveredEnd(messages: InternalFetchMessage[]): number {
  let end = 0;
  for (const m of messages) {
    const ctx = m.batchContext;
    const last = ctx?.firstOffset !== undefined && ctx.lastOffsetDelta !== undefined ? Number(ctx.firstOffset) + ctx.lastOffsetDelta : Number(m.offset);
    end = Math.max(end, last + 1);
  }
  return end;
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
