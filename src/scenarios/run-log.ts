import type {Connection} from '../kafka/connection.js';
import {readPartitions} from '../kafka/partition-reader.js';
import type {ConsumedRecord} from '../kafka/records.js';
import {headerText, KpatHeader} from '../patterns/headers.js';
import type {RecordFilter} from '../patterns/record-filter.js';
import type {Subscribable} from '../core/event-stream.js';
import type {PatternEvent} from '../patterns/events.js';

/**
 * Every record a scenario writes carries its run id, so runs on shared topics
 * never mix: reports and invariants read back only their own run.
 */
export const RUN_HEADER = KpatHeader.runId;

/**
 * The filter every participant of a run is given: only records carrying this
 * run's id are its work. Other runs' and other scenarios' records, and records
 * with no run id at all (`kpat produce`, other producers), are skipped —
 * committed past, never handled, retried or dead-lettered.
 */
export function thisRunOnly(runId: string): RecordFilter {
  return {accepts: (r) => headerText(r, RUN_HEADER) === runId, reason: "not this run's"};
}

/**
 * Counts the records a run's participants skipped as not theirs, each record
 * once (several groups may read the same topic, a rebalance may deliver it again):
 * the report's `skippedOtherRuns`.
 */
export function countSkipped(events: Subscribable<PatternEvent>): () => number {
  const seen = new Set<string>();
  events.subscribe((e) => {
    if (e.type === 'skipped') seen.add(`${e.record.topic}/${e.record.partition}/${e.record.offset}`);
  });
  return () => seen.size;
}

/** This run's records on a topic, from its start to its end now. */
export async function readRun(conn: Connection, topic: string, runId: string): Promise<ConsumedRecord[]> {
  const out: ConsumedRecord[] = [];
  for await (const r of readPartitions(conn, {topic, start: {kind: 'earliest'}, stopAtEnd: true})) {
    if (headerText(r, RUN_HEADER) === runId) out.push(r);
  }
  return out;
}

/**
 * The scenario a run's workload records come from. Scenarios share topics (saga,
 * dlt and retry all write orders.v1), so `--resume` looks for its own scenario's runs.
 */
export const SCENARIO_HEADER = 'kpat-scenario';

/** Headers every workload record of a run carries. */
export const runHeaders = (scenario: string, runId: string) => ({[RUN_HEADER]: runId, [SCENARIO_HEADER]: scenario});

/** The most recent run of a scenario on a topic (for resuming after a crash). */
export async function latestRunId(conn: Connection, topic: string, scenario: string): Promise<string | null> {
  let latest: {id: string; ts: number} | null = null;
  for await (const r of readPartitions(conn, {topic, start: {kind: 'earliest'}, stopAtEnd: true})) {
    const id = headerText(r, RUN_HEADER);
    if (id && headerText(r, SCENARIO_HEADER) === scenario && (!latest || r.timestamp >= latest.ts)) latest = {id, ts: r.timestamp};
  }
  return latest?.id ?? null;
}

