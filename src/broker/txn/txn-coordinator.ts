/**
 * The transaction coordinator: per transactional id its producer id, epoch, state
 * (Empty → Ongoing → PrepareCommit/PrepareAbort → CompleteCommit/CompleteAbort), the partitions
 * and groups in the open transaction, the offsets it staged, its timeout.
 *
 * - Every state change is journaled (txn-store.ts) before it is answered; Prepare* is durable
 *   before the first marker is written, so a crash between the two is finished on the next
 *   start (recover()), before the broker listens. A transaction still open at start is aborted.
 * - Fencing: InitProducerId bumps the epoch; an open transaction of the old epoch is aborted with
 *   markers and the caller gets CONCURRENT_TRANSACTIONS (51) to retry. A stale epoch anywhere
 *   gets INVALID_PRODUCER_EPOCH (47), never PRODUCER_FENCED (kafkajs does not know it).
 * - A transaction open longer than its timeout is aborted and its producer fenced.
 * All of this runs on the one event loop; `ending` serialises a transaction's completion.
 */
import type {GroupCoordinator, OffsetCommitItem} from '../groups/coordinator.js';
import type {Journal} from '../journal.js';
import {ErrorCode} from '../protocol/errors.js';
import {writeMarkers, type MarkerDeps} from './markers.js';
import type {ProducerIdAllocator} from './producer-ids.js';
import {fromStored, newTxn, openTxnJournal, toStored, TXN_FILE, txnPartitionKey as key, type StoredTxn, type Txn, type TxnState} from './txn-store.js';

/** The broker's transaction.max.timeout.ms (Kafka's default): a longer timeout is refused. */
export const MAX_TRANSACTION_TIMEOUT_MS = 15 * 60 * 1000;
const MAX_EPOCH = 32767;

export interface TxnDeps extends MarkerDeps {
  groups: GroupCoordinator;
  producerIds: ProducerIdAllocator;
}

export interface ProducerIdAndEpoch {
  errorCode: number;
  producerId: number;
  producerEpoch: number;
}


export class TxnCoordinator {
  private readonly txns = new Map<string, Txn>();
  private compacting = false;
  /** Transactions begun and completed since start, for the metrics endpoint. */
  readonly totals = {begun: 0, committed: 0, aborted: 0};

  private constructor(
    private readonly journal: Journal<StoredTxn>,
    private readonly deps: TxnDeps,
  ) {}

  static open(dataDir: string, durable: boolean, deps: TxnDeps): TxnCoordinator {
    const {journal, txns} = openTxnJournal(dataDir, durable, deps.logger);
    const coordinator = new TxnCoordinator(journal, deps);
    for (const stored of txns) coordinator.txns.set(stored.id, fromStored(stored));
    return coordinator;
  }

  /** Finishes what a stop left half done, before the broker listens: Prepare* completes, Ongoing aborts. */
  async recover(): Promise<void> {
    for (const txn of this.txns.values()) {
      if (txn.state === 'PrepareCommit' || txn.state === 'PrepareAbort') {
        this.deps.logger(`transaction ${txn.id}: completing the ${txn.state === 'PrepareCommit' ? 'commit' : 'abort'} interrupted by the last stop`);
        await this.complete(txn, txn.state === 'PrepareCommit' ? 'commit' : 'abort');
      } else if (txn.state === 'Ongoing') {
        this.deps.logger(`transaction ${txn.id}: aborting the transaction left open by the last stop`);
        await this.fenceAndAbort(txn);
      }
    }
  }

  async initProducerId(transactionalId: string, timeoutMs: number): Promise<ProducerIdAndEpoch> {
    if (timeoutMs <= 0 || timeoutMs > MAX_TRANSACTION_TIMEOUT_MS) {
      this.deps.logger(`InitProducerId for ${transactionalId}: transaction timeout ${timeoutMs} ms is outside 1..${MAX_TRANSACTION_TIMEOUT_MS} ms`);
      return {errorCode: ErrorCode.INVALID_TRANSACTION_TIMEOUT, producerId: -1, producerEpoch: -1};
    }
    const retry = {errorCode: ErrorCode.CONCURRENT_TRANSACTIONS, producerId: -1, producerEpoch: -1};
    let txn = this.txns.get(transactionalId);
    if (txn?.ending) return retry;
    if (txn?.state === 'Ongoing') {
      await this.fenceAndAbort(txn);
      return retry;
    }
    if (!txn) {
      txn = newTxn(transactionalId, this.deps.producerIds.allocate(), 0, timeoutMs);
      this.txns.set(transactionalId, txn);
    } else {
      this.bumpEpoch(txn);
      txn.state = 'Empty';
      txn.timeoutMs = timeoutMs;
    }
    await this.persist(txn);
    return {errorCode: ErrorCode.NONE, producerId: txn.producerId, producerEpoch: txn.epoch};
  }

  /** Per requested partition, its error code; partitions join the transaction all or none. */
  async addPartitions(transactionalId: string, producerId: number, epoch: number, wanted: Array<[string, number]>): Promise<number[]> {
    const txn = await this.settled(transactionalId);
    const error = this.checkProducer(txn, producerId, epoch);
    if (error !== null || !txn) return wanted.map(() => error ?? ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    const unknown = wanted.map(([t, p]) => !this.deps.topics.partition(t, p));
    if (unknown.some(Boolean)) return unknown.map((u) => (u ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.OPERATION_NOT_ATTEMPTED));
    const added = wanted.filter(([t, p]) => !txn.partitions.has(key(t, p)));
    if (added.length > 0 || txn.state !== 'Ongoing') {
      this.begin(txn);
      for (const [t, p] of added) txn.partitions.set(key(t, p), [t, p]);
      await this.persist(txn);
    }
    return wanted.map(() => ErrorCode.NONE);
  }

  async addOffsets(transactionalId: string, producerId: number, epoch: number, groupId: string): Promise<number> {
    const txn = await this.settled(transactionalId);
    const error = this.checkProducer(txn, producerId, epoch);
    if (error !== null || !txn) return error ?? ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (groupId === '') return ErrorCode.INVALID_GROUP_ID;
    this.begin(txn);
    txn.groups.add(groupId);
    await this.persist(txn);
    return ErrorCode.NONE;
  }

  /** Stages offsets; they reach the group (and OffsetFetch) only when the transaction commits. */
  async stageOffsets(transactionalId: string, groupId: string, producerId: number, epoch: number, items: OffsetCommitItem[]): Promise<number[]> {
    const txn = await this.settled(transactionalId);
    let error = this.checkProducer(txn, producerId, epoch);
    if (error === null && txn && (txn.state !== 'Ongoing' || !txn.groups.has(groupId))) error = ErrorCode.INVALID_TXN_STATE;
    if (error !== null || !txn) return items.map(() => error ?? ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    let staged = txn.offsets.get(groupId);
    if (!staged) txn.offsets.set(groupId, (staged = new Map()));
    const codes = items.map((item) => {
      if (!this.deps.topics.partition(item.topic, item.partition)) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      staged.set(key(item.topic, item.partition), item);
      return ErrorCode.NONE;
    });
    await this.persist(txn);
    return codes;
  }

  async endTxn(transactionalId: string, producerId: number, epoch: number, commit: boolean): Promise<number> {
    const txn = this.txns.get(transactionalId);
    const error = this.checkProducer(txn, producerId, epoch);
    if (error !== null || !txn) return error ?? ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    const wantedEnd: TxnState = commit ? 'CompleteCommit' : 'CompleteAbort';
    const preparing: TxnState = commit ? 'PrepareCommit' : 'PrepareAbort';
    if (txn.ending) {
      if (txn.state !== preparing) return ErrorCode.INVALID_TXN_STATE;
      await txn.ending;
      return ErrorCode.NONE;
    }
    // A retry after completion gets the same answer; an empty transaction has nothing to end.
    if (txn.state === wantedEnd || txn.state === 'Empty') return ErrorCode.NONE;
    if (txn.state !== 'Ongoing') {
      this.deps.logger(`EndTxn(${commit ? 'commit' : 'abort'}) for ${transactionalId} refused: the transaction is ${txn.state}`);
      return ErrorCode.INVALID_TXN_STATE;
    }
    await this.complete(txn, commit ? 'commit' : 'abort');
    return ErrorCode.NONE;
  }

  /**
   * Whether a transactional batch of `producerId`/`epoch` may go to this partition: only into
   * an open transaction of the current epoch that added the partition. Null when it may.
   */
  produceError(transactionalId: string | null, producerId: number, epoch: number, topic: string, partition: number): {code: number; reason: string} | null {
    const txn = transactionalId === null ? undefined : this.txns.get(transactionalId);
    if (!txn || txn.producerId !== producerId) {
      return {code: ErrorCode.INVALID_PRODUCER_ID_MAPPING, reason: `producer ${producerId} is not the producer of transactional id ${JSON.stringify(transactionalId)}`};
    }
    if (epoch !== txn.epoch) return {code: ErrorCode.INVALID_PRODUCER_EPOCH, reason: `producer ${producerId} sent epoch ${epoch}, its current epoch is ${txn.epoch} (it was fenced)`};
    if (txn.state !== 'Ongoing' || txn.ending || !txn.partitions.has(key(topic, partition))) {
      return {code: ErrorCode.INVALID_TXN_STATE, reason: `${topic}-${partition} was not added to the open transaction of ${txn.id} (AddPartitionsToTxn first)`};
    }
    return null;
  }

  /** Aborts every transaction open longer than its timeout, fencing its producer. */
  async abortExpired(now: number): Promise<void> {
    for (const txn of [...this.txns.values()]) {
      if (txn.state !== 'Ongoing' || txn.ending || now - txn.startedMs <= txn.timeoutMs) continue;
      this.deps.logger(`transaction ${txn.id}: aborted after its timeout of ${txn.timeoutMs} ms; producer ${txn.producerId} is fenced`);
      await this.fenceAndAbort(txn);
    }
  }

  /** A state view for tests and diagnostics. */
  describe(transactionalId: string): {state: TxnState; producerId: number; epoch: number; partitions: Array<[string, number]>} | null {
    const txn = this.txns.get(transactionalId);
    return txn ? {state: txn.state, producerId: txn.producerId, epoch: txn.epoch, partitions: [...txn.partitions.values()]} : null;
  }

  async close(): Promise<void> {
    await Promise.all([...this.txns.values()].map((t) => t.ending?.catch(() => {})));
    await this.journal.close();
  }

  /**
   * The transaction once any completion in progress (a timeout's abort, say) is done: kafkajs
   * does not retry CONCURRENT_TRANSACTIONS on these requests, so they wait instead (then
   * usually find the epoch bumped and answer 47).
   */
  private async settled(transactionalId: string): Promise<Txn | undefined> {
    for (let txn = this.txns.get(transactionalId); txn?.ending; txn = this.txns.get(transactionalId)) await txn.ending.catch(() => {});
    return this.txns.get(transactionalId);
  }

  private checkProducer(txn: Txn | undefined, producerId: number, epoch: number): number | null {
    if (!txn || txn.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (epoch !== txn.epoch) return ErrorCode.INVALID_PRODUCER_EPOCH;
    return null;
  }

  private begin(txn: Txn): void {
    if (txn.state === 'Ongoing') return;
    this.totals.begun++;
    txn.state = 'Ongoing';
    txn.startedMs = Date.now();
    txn.partitions.clear();
    txn.groups.clear();
    txn.offsets.clear();
  }

  private bumpEpoch(txn: Txn): void {
    if (txn.epoch >= MAX_EPOCH - 1) {
      txn.producerId = this.deps.producerIds.allocate();
      txn.epoch = 0;
    } else {
      txn.epoch += 1;
    }
  }

  private async fenceAndAbort(txn: Txn): Promise<void> {
    this.bumpEpoch(txn);
    await this.complete(txn, 'abort');
  }

  /** Prepare (durable) → markers (flushed) → staged offsets → Complete (durable). */
  private async complete(txn: Txn, result: 'commit' | 'abort'): Promise<void> {
    const run = async () => {
      txn.state = result === 'commit' ? 'PrepareCommit' : 'PrepareAbort';
      await this.persist(txn);
      await writeMarkers(this.deps, [...txn.partitions.values()], txn.producerId, txn.epoch, result);
      if (result === 'commit') {
        const exists = (t: string, p: number) => this.deps.topics.partition(t, p) !== undefined;
        for (const [groupId, staged] of txn.offsets) await this.deps.groups.commitStaged(groupId, [...staged.values()], exists);
      }
      txn.state = result === 'commit' ? 'CompleteCommit' : 'CompleteAbort';
      this.totals[result === 'commit' ? 'committed' : 'aborted']++;
      txn.partitions.clear();
      txn.groups.clear();
      txn.offsets.clear();
      await this.persist(txn);
    };
    const ending = run();
    txn.ending = ending;
    try {
      await ending;
    } finally {
      txn.ending = undefined;
    }
  }

  private async persist(txn: Txn): Promise<void> {
    await this.journal.append([toStored(txn)]);
    if (this.compacting) return;
    this.compacting = true;
    await this.journal
      .maybeCompact(() => [...this.txns.values()].map(toStored), 10_000)
      .catch((e: unknown) => this.deps.logger(`compacting ${TXN_FILE} failed: ${(e as Error).message}`))
      .finally(() => (this.compacting = false));
  }
}
