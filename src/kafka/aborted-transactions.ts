/**
 * A read_committed fetch still returns the records of aborted transactions (below the
 * last stable offset), with a list of where each aborted transaction starts; the client
 * drops them, as Kafka's consumers do. kafkajs does that only in its group consumer, so
 * kpat's direct reads do it here: from an aborted transaction's first offset on, that
 * producer's transactional records are dropped until its abort marker.
 */
export interface BatchIdentity {
  baseOffset: number;
  producerId: number;
  isTransactional: boolean;
  isControl: boolean;
}

export class AbortedTransactions {
  private readonly pending: Array<{producerId: number; firstOffset: number}>;
  private readonly open = new Set<number>();

  constructor(list: ReadonlyArray<{producerId: number; firstOffset: number}> = []) {
    this.pending = [...list].sort((a, b) => a.firstOffset - b.firstOffset);
  }

  /**
   * Whether a fetched batch is not for readers: a transaction marker, or data of an
   * aborted transaction. Batches are judged in offset order, every one of them (the
   * markers close transactions); a batch belongs to one producer and one transaction.
   */
  skips(batch: BatchIdentity): boolean {
    while (this.pending.length > 0 && this.pending[0]!.firstOffset <= batch.baseOffset) this.open.add(this.pending.shift()!.producerId);
    if (batch.isControl) {
      // The marker ends the producer's transaction: its later batches are judged afresh.
      this.open.delete(batch.producerId);
      return true;
    }
    return batch.isTransactional && this.open.has(batch.producerId);
  }
}
