import {z} from 'zod';
import type {Connection} from '../../kafka/connection.js';
import type {OutgoingMessage} from '../../kafka/publisher.js';
import type {ConsumedRecord} from '../../kafka/records.js';
import type {EventStream} from '../../core/event-stream.js';
import {ConfigError} from '../../core/errors.js';
import type {ProcessorEvent} from './events.js';
import type {FaultPlan} from './faults.js';
import type {RecordFilter} from '../record-filter.js';

/** The settings a scenario file or a caller passes in; checked once, at the boundary. */
export const processorSettingsSchema = z.object({
  mode: z.enum(['at-least-once', 'idempotent', 'transactional']),
  inputTopic: z.string().min(1),
  group: z.string().min(1),
  /** A unit of work (transaction) closes after this many input records… */
  maxRecordsPerTransaction: z.number().int().positive().default(100),
  /** …or once it has been open this long, or at the end of a fetched batch, whichever comes first. */
  maxTransactionMs: z.number().int().positive().default(1000),
  /** Transactional ids are `<prefix>-<topic>-<partition>`. */
  transactionalIdPrefix: z.string().min(1).default('kpat-eos'),
  /** Group members started at once; a crashed or fenced one is replaced to keep this many. */
  instances: z.number().int().positive().default(1),
  /** A stalled member is replaced once the group notices it is silent (at least the broker's minimum, 6 s by default). */
  sessionTimeoutMs: z.number().int().positive().default(6000),
  transactionTimeoutMs: z.number().int().positive().default(60_000),
});

export type ProcessorSettings = z.output<typeof processorSettingsSchema>;

/** One input record to zero or more output records (each names its topic). */
export type Transform = (record: ConsumedRecord) => OutgoingMessage[] | Promise<OutgoingMessage[]>;

export interface ProcessorOptions extends z.input<typeof processorSettingsSchema> {
  conn: Connection;
  transform: Transform;
  events: EventStream<ProcessorEvent>;
  faults?: FaultPlan;
  /** Records it refuses are not transformed (no outputs) and are reported as skipped; default: every record is the processor's. */
  filter?: RecordFilter;
}

export function parseSettings(opts: ProcessorOptions): ProcessorSettings {
  const parsed = processorSettingsSchema.safeParse(opts);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new ConfigError(`exactly-once processor: ${issue.path.join('.') || 'options'}: ${issue.message} — fix that option`);
}
