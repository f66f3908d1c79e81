import {z} from 'zod';
import type {Connection} from '../../kafka/connection.js';
import {readPartitions} from '../../kafka/partition-reader.js';
import type {Publisher} from '../../kafka/publisher.js';
import {DONE, RecordConsumer, type RecordOutcome} from '../../kafka/record-consumer.js';
import type {ConsumedRecord} from '../../kafka/records.js';
import {EventStream} from '../../core/event-stream.js';
import type {PatternEvent} from '../../patterns/events.js';
import {skipRefused, type RecordFilter} from '../../patterns/record-filter.js';
import {decodeJson} from '../../patterns/record-handler.js';
import {RUN_HEADER, thisRunOnly} from '../run-log.js';
import {PaymentSchema, type ApplyPayment} from './payments.js';

/**
 * A row of the read model: a customer's total, and the source record it last applied
 * (partition and offset). The row carries its own watermark, so the projector applies
 * each source record at most once: a replay, or a redelivery after a crash between
 * writing the row and committing the offset, finds the record already applied.
 */
const TotalsRowSchema = z.object({
  runId: z.string(),
  /** The projector version that wrote it: version 2 ignores version 1's rows, so its model starts empty. */
  version: z.number().int(),
  customerId: z.string(),
  totalCents: z.number().int(),
  partition: z.number().int(),
  offset: z.number().int(),
});
export type TotalsRow = z.infer<typeof TotalsRowSchema>;

/** The read model as it stands in the topic: the latest row per customer of one run and version. */
export async function readTotals(conn: Connection, topic: string, runId: string, version: number): Promise<Map<string, TotalsRow>> {
  const rows = new Map<string, TotalsRow>();
  for await (const r of readPartitions(conn, {topic, start: {kind: 'earliest'}, stopAtEnd: true})) {
    const row = TotalsRowSchema.safeParse(safeJson(r.value));
    if (row.success && row.data.runId === runId && row.data.version === version) rows.set(row.data.customerId, row.data);
  }
  return rows;
}

const safeJson = (value: Buffer | null): unknown => {
  try {
    return decodeJson(value);
  } catch {
    return null;
  }
};

export interface ProjectorCounts {
  /** Records the group handed over. */
  delivered: number;
  /** Applied: a row written. */
  applied: number;
  /** Skipped: the row already holds this record (the idempotent path). */
  alreadyApplied: number;
  /** Not a valid payment: left out of the model. */
  ignored: number;
  /** Not this run's (other runs share the topic, or no run id): skipped by the run's filter, left out of the model. */
  skipped: number;
}

export interface ProjectorOptions {
  conn: Connection;
  group: string;
  source: string;
  totalsTopic: string;
  runId: string;
  version: number;
  apply: ApplyPayment;
  publisher: Publisher;
  /** Told about each record skipped as not this run's. */
  events?: EventStream<PatternEvent>;
  onCrash?: (error: Error) => void;
}

/**
 * Builds "total paid per customer" from payments, as a member of its consumer group.
 * It starts from its own rows in the totals topic (the model is durable), writes the
 * new row with acks=all and only then lets the offset be committed.
 */
export class TotalsProjector {
  readonly counts: ProjectorCounts = {delivered: 0, applied: 0, alreadyApplied: 0, ignored: 0, skipped: 0};
  private state = new Map<string, TotalsRow>();
  private consumer: RecordConsumer | null = null;
  private readonly filter: RecordFilter;
  private readonly skips = new EventStream<PatternEvent>();

  constructor(private readonly opts: ProjectorOptions) {
    this.filter = thisRunOnly(opts.runId);
    this.skips.subscribe((e) => {
      if (e.type === 'skipped') this.counts.skipped++;
      opts.events?.emit(e);
    });
  }

  async start(): Promise<void> {
    const o = this.opts;
    this.state = await readTotals(o.conn, o.totalsTopic, o.runId, o.version);
    const handle = skipRefused(this.filter, {group: o.group, events: this.skips}, (r) => this.handle(r));
    this.consumer = new RecordConsumer({
      conn: o.conn,
      groupId: o.group,
      topics: [o.source],
      clientId: `totals-v${o.version}`,
      handle: (r) => {
        this.counts.delivered++;
        return handle(r);
      },
      onCrash: o.onCrash,
    });
    await this.consumer.start();
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    this.consumer = null;
  }

  private async handle(record: ConsumedRecord): Promise<RecordOutcome> {
    const o = this.opts;
    const payment = PaymentSchema.safeParse(safeJson(record.value));
    if (!payment.success) {
      this.counts.ignored++;
      return DONE;
    }
    const p = payment.data;
    const row = this.state.get(p.customerId);
    if (row && row.partition === record.partition && record.offset <= row.offset) {
      this.counts.alreadyApplied++;
      return DONE;
    }
    const next: TotalsRow = {runId: o.runId, version: o.version, customerId: p.customerId, totalCents: o.apply(row?.totalCents ?? 0, p), partition: record.partition, offset: record.offset};
    await o.publisher.send([{topic: o.totalsTopic, key: p.customerId, value: JSON.stringify(next), headers: {[RUN_HEADER]: o.runId}}]);
    this.state.set(p.customerId, next);
    this.counts.applied++;
    return DONE;
  }
}
