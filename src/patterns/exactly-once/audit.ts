import type {Connection} from '../../kafka/connection.js';
import {readPartitions} from '../../kafka/partition-reader.js';
import type {ConsumedRecord} from '../../kafka/records.js';
import type {RecordFilter} from '../record-filter.js';
import {inputIdOf, sourceOf} from './lineage.js';

export interface AuditOptions {
  conn: Connection;
  inputTopic: string;
  outputTopic: string;
  /** Default: the input's topic/partition/offset, which is what the processor stamps on its outputs. */
  inputId?: (input: ConsumedRecord) => string | null;
  /** The input id an output came from; default: the processor's source header. */
  outputSource?: (output: ConsumedRecord) => string | null;
  /** Outputs each input should have; default 1. */
  expectedOutputs?: (input: ConsumedRecord) => number;
  /** Only the records it accepts, on both topics, are counted (one run among others on shared topics). */
  filter?: RecordFilter;
}

export interface AuditReport {
  inputs: number;
  /** Outputs a read_committed reader sees. */
  outputs: number;
  /** Inputs with exactly their expected outputs. */
  exact: number;
  /** Outputs beyond what their input should have, summed over inputs. */
  duplicates: number;
  duplicatedIds: string[];
  /** Inputs with fewer outputs than expected. */
  missing: number;
  missingIds: string[];
  /** Committed outputs naming no input of the input topic. */
  strays: number;
  /** Output records only a read_uncommitted reader sees: those of aborted (or still open) transactions. */
  uncommittedOnly: number;
  /** Aborted transactions that left records on the output topic. */
  abortedTransactions: number;
}

const EXAMPLES = 20;

/**
 * Reads the input and the output topic back (read_committed, as a downstream
 * consumer would) and counts outputs per input: what an exactly-once
 * invariant checks. The read_uncommitted count shows what aborts left behind.
 */
export async function auditOutputs(opts: AuditOptions): Promise<AuditReport> {
  const inputId = opts.inputId ?? inputIdOf;
  const outputSource = opts.outputSource ?? sourceOf;
  const ours = (r: ConsumedRecord) => opts.filter?.accepts(r) ?? true;
  const expected = new Map<string, number>();
  for await (const r of readPartitions(opts.conn, {topic: opts.inputTopic, start: {kind: 'earliest'}, stopAtEnd: true})) {
    if (!ours(r)) continue;
    const id = inputId(r);
    if (id !== null) expected.set(id, (expected.get(id) ?? 0) + (opts.expectedOutputs?.(r) ?? 1));
  }

  const seen = new Map<string, number>();
  const abortedTransactions = new Set<string>();
  let outputs = 0;
  let strays = 0;
  for await (const r of readPartitions(opts.conn, {topic: opts.outputTopic, start: {kind: 'earliest'}, stopAtEnd: true, abortedTransactions})) {
    if (!ours(r)) continue;
    outputs++;
    const source = outputSource(r);
    if (source === null || !expected.has(source)) strays++;
    else seen.set(source, (seen.get(source) ?? 0) + 1);
  }
  let uncommitted = 0;
  for await (const r of readPartitions(opts.conn, {topic: opts.outputTopic, start: {kind: 'earliest'}, stopAtEnd: true, isolation: 'read_uncommitted'})) if (ours(r)) uncommitted++;

  const report: AuditReport = {
    inputs: expected.size,
    outputs,
    exact: 0,
    duplicates: 0,
    duplicatedIds: [],
    missing: 0,
    missingIds: [],
    strays,
    uncommittedOnly: uncommitted - outputs,
    abortedTransactions: abortedTransactions.size,
  };
  for (const [id, want] of expected) {
    const got = seen.get(id) ?? 0;
    if (got === want) report.exact++;
    if (got > want) {
      report.duplicates += got - want;
      if (report.duplicatedIds.length < EXAMPLES) report.duplicatedIds.push(id);
    }
    if (got < want) {
      report.missing++;
      if (report.missingIds.length < EXAMPLES) report.missingIds.push(id);
    }
  }
  return report;
}
