/**
 * The durable form of the transaction coordinator's state: one JSON line per state change of a
 * transactional id in `transactions.jsonl` (the role __transaction_state plays in Kafka). The
 * last line of an id is its state; compaction keeps only that line.
 */
import {z} from 'zod';
import type {OffsetCommitItem} from '../groups/coordinator.js';
import {Journal} from '../journal.js';

export const TXN_FILE = 'transactions.jsonl';

export const TxnStates = ['Empty', 'Ongoing', 'PrepareCommit', 'PrepareAbort', 'CompleteCommit', 'CompleteAbort'] as const;
export type TxnState = (typeof TxnStates)[number];

const StoredTxnSchema = z.object({
  k: z.literal('txn'),
  id: z.string(),
  pid: z.number(),
  epoch: z.number(),
  timeoutMs: z.number(),
  state: z.enum(TxnStates),
  /** [topic, partition] pairs in the transaction. */
  partitions: z.array(z.tuple([z.string(), z.number()])),
  groups: z.array(z.string()),
  /** Offsets staged by TxnOffsetCommit, applied to their groups on commit. */
  offsets: z.array(z.object({g: z.string(), t: z.string(), p: z.number(), o: z.number(), e: z.number(), m: z.string().nullable()})),
  startedMs: z.number(),
  ts: z.number(),
});

export type StoredTxn = z.infer<typeof StoredTxnSchema>;

export function openTxnJournal(dataDir: string, durable: boolean, logger: (line: string) => void): {journal: Journal<StoredTxn>; txns: StoredTxn[]} {
  const {journal, entries} = Journal.open<StoredTxn>({
    dataDir,
    file: TXN_FILE,
    durable,
    logger,
    parse: (raw) => StoredTxnSchema.parse(raw),
    compact: (entries) => [...new Map(entries.map((e) => [e.id, e])).values()],
  });
  return {journal, txns: entries};
}

/** A transactional id's live state. */
export interface Txn {
  id: string;
  producerId: number;
  epoch: number;
  timeoutMs: number;
  state: TxnState;
  partitions: Map<string, [string, number]>;
  groups: Set<string>;
  /** group → staged offsets, keyed by topic and partition. */
  offsets: Map<string, Map<string, OffsetCommitItem>>;
  startedMs: number;
  /** Set while the transaction is being completed (markers, offsets). */
  ending?: Promise<void>;
}

export const txnPartitionKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export function newTxn(id: string, producerId: number, epoch: number, timeoutMs: number): Txn {
  return {id, producerId, epoch, timeoutMs, state: 'Empty', partitions: new Map(), groups: new Set(), offsets: new Map(), startedMs: 0};
}

export function toStored(txn: Txn): StoredTxn {
  const offsets: StoredTxn['offsets'] = [];
  for (const [g, staged] of txn.offsets) for (const o of staged.values()) offsets.push({g, t: o.topic, p: o.partition, o: o.offset, e: o.leaderEpoch, m: o.metadata});
  return {
    k: 'txn',
    id: txn.id,
    pid: txn.producerId,
    epoch: txn.epoch,
    timeoutMs: txn.timeoutMs,
    state: txn.state,
    partitions: [...txn.partitions.values()],
    groups: [...txn.groups],
    offsets,
    startedMs: txn.startedMs,
    ts: Date.now(),
  };
}

export function fromStored(s: StoredTxn): Txn {
  const txn = newTxn(s.id, s.pid, s.epoch, s.timeoutMs);
  txn.state = s.state;
  txn.startedMs = s.startedMs;
  for (const [t, p] of s.partitions) txn.partitions.set(txnPartitionKey(t, p), [t, p]);
  for (const g of s.groups) txn.groups.add(g);
  for (const o of s.offsets) {
    let staged = txn.offsets.get(o.g);
    if (!staged) txn.offsets.set(o.g, (staged = new Map()));
    staged.set(txnPartitionKey(o.t, o.p), {topic: o.t, partition: o.p, offset: o.o, leaderEpoch: o.e, metadata: o.m});
  }
  return txn;
}
