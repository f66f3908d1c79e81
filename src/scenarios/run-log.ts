import type {Connection} from '../kafka/connection.js';
import {readPartitions} from '../kafka/partition-reader.js';
import type {ConsumedRecord} from '../kafka/records.js';
import {headerText} from '../patterns/headers.js';

/**
 * Every record a scenario writes carries its run id, so runs on shared topics
 * never mix: reports and invariants read back only their own run.
 */
export const RUN_HEADER = 'kpat-run-id';

/** This run's records on a topic, from its start to its end now. */
export async function readRun(conn: Connection, topic: string, runId: string): Promise<ConsumedRecord[]> {
  const out: ConsumedRecord[] = [];
  for await (const r of readPartitions(conn, {topic, start: {kind: 'earliest'}, stopAtEnd: true})) {
    if (headerText(r, RUN_HEADER) === runId) out.push(r);
  }
  return out;
}

/** The most recent run id on a topic (for resuming after a crash). */
export async function latestRunId(conn: Connection, topic: string): Promise<string | null> {
  let latest: {id: string; ts: number} | null = null;
  for await (const r of readPartitions(conn, {topic, start: {kind: 'earliest'}, stopAtEnd: true})) {
    const id = headerText(r, RUN_HEADER);
    if (id && (!latest || r.timestamp >= latest.ts)) latest = {id, ts: r.timestamp};
  }
  return latest?.id ?? null;
}

