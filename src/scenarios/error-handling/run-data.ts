import type {Connection} from '../../kafka/connection.js';
import type {ConsumedRecord} from '../../kafka/records.js';
import {headerText, KpatHeader} from '../../patterns/headers.js';
import {readRun} from '../run-log.js';
import {decodeJson} from '../../patterns/record-handler.js';
import {OrderSchema, RECORD_ID_HEADER, type RecordKind} from './workload/orders.js';

/** What one scenario run left in its topics: the facts invariants and reports are built from. */
export interface RunData {
  runId: string;
  dltTopic: string;
  source: ConsumedRecord[];
  output: ConsumedRecord[];
  dlt: ConsumedRecord[];
  rungs: Map<string, ConsumedRecord[]>;
}

export async function loadRunData(conn: Connection, topics: {source: string; output: string; dlt: string; rungs: string[]}, runId: string): Promise<RunData> {
  const [source, output, dlt, ...rungs] = await Promise.all([topics.source, topics.output, topics.dlt, ...topics.rungs].map((t) => readRun(conn, t, runId)));
  return {runId, dltTopic: topics.dlt, source: source!, output: output!, dlt: dlt!, rungs: new Map(topics.rungs.map((t, i) => [t, rungs[i]!]))};
}

/**
 * Dead letters still standing: those not sent back with `kpat dlt redrive`
 * (a redriven copy on the source topic names the dead letter it came from).
 */
export function standingDeadLetters(data: RunData): ConsumedRecord[] {
  const redriven = new Set(data.source.map((r) => headerText(r, KpatHeader.redrivenFrom)).filter((id) => id !== undefined));
  return data.dlt.filter((d) => !redriven.has(`${data.dltTopic}/${d.partition}/${d.offset}`));
}

/** Distinct record ids of the run's source records (a redriven copy shares its original's id). */
export const sourceIds = (data: RunData): Set<string> => new Set(data.source.map(recordId).filter((id): id is string => id !== null));

export const recordId = (r: ConsumedRecord): string | null => headerText(r, RECORD_ID_HEADER) ?? null;

/** What a record's bytes are, judged again from the bytes themselves (not from any header). */
export function classify(r: ConsumedRecord): RecordKind {
  let decoded: unknown;
  try {
    decoded = decodeJson(r.value);
  } catch {
    return 'malformed';
  }
  return OrderSchema.safeParse(decoded).success ? 'good' : 'invalid';
}
