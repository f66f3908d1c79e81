/**
 * The durable form of the transaction coordinator's state: one JSON line per state change of a
 * transactional id in `transactions.jsonl` (the role __transaction_state plays in Kafka). The
 * last line of an id is its state; compaction keeps only that line.
 */
import {z} from 'zod';
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
