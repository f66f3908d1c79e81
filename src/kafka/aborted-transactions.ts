/**
 * A read_committed fetch still returns the records of aborted transactions (below the
 * last stable offset), with a list of where each aborted transaction starts; the client
 * drops them, as Kafka's consumers do. kafkajs does that only in its group consumer, so
 * kpat's direct reads do it here: from an aborted transaction's first offset on, that
 * producer's transactional records are dropped until its abort marker.
 */
export interface BatchContext {
  producerId: string;
  inTransaction: boolean;
}

export class AbortedTransactions {
  private readonly pending: Array<{producerId: string; firstOffset: number}>;
  private readonly open = new Set<string>();

  constructor(list: ReadonlyArray<{producerId: string; firstOffset: string}> = []) {
    this.pending = list.map((a) => ({producerId: String(a.producerId), firstOffset: Number(a.firstOffset)})).sort((a, b) => a.firstOffset - b.firstOffset);
  }

  /** Whether a fetched record is not for readers: a transaction marker, or data of an aborted transaction. */
  skips(record: {offset: string; isControlRecord?: boolean; batchContext?: BatchContext}): boolean {
    const offset = Number(record.offset);
    while (this.pending.length > 0 && this.pending[0]!.firstOffset <= offset) this.open.add(this.pending.shift()!.producerId);
    const ctx = record.batchContext;
    if (record.isControlRecord) {
      // The marker ends the producer's transaction: its later records are judged afresh.
      if (ctx) this.open.delete(String(ctx.producerId));
      return true;
    }
    return Boolean(ctx?.inTransaction) && this.open.has(String(ctx!.producerId));
  }
}
