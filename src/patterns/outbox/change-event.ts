/**
 * Debezium's change event envelope, so that consumers written for Debezium
 * read kpat's relays unchanged: the row `before` and `after` the change, `op`
 * (c create, u update, d delete, r read by a snapshot), where it came from
 * (`source`), and when the relay saw it (`ts_ms`). Column values are as the
 * driver gives them (timestamps as ISO text, numeric as text), not Debezium's
 * Kafka Connect schemas: the envelope has no `schema` part.
 */
export type ChangeOp = 'c' | 'u' | 'd' | 'r';

export type Row = Record<string, unknown>;

export interface ChangeSource {
  version: string;
  /** Always "postgresql": the database it came from. */
  connector: 'postgresql';
  /** Which relay read it: "kpat-logical" (the write-ahead log) or "kpat-poll" (polling the table). */
  name: string;
  ts_ms: number;
  snapshot: 'true' | 'false';
  db: string;
  schema: string;
  table: string;
  /** The transaction that made the change (xid). */
  txId: number | null;
  /** Its position in the write-ahead log; null when polled. */
  lsn: number | null;
}

export interface ChangeEvent {
  before: Row | null;
  after: Row | null;
  op: ChangeOp;
  source: ChangeSource;
  ts_ms: number;
}

export const CHANGE_EVENT_VERSION = 'kpat-1';

/** "0/15289B0" → the LSN as one number, as Debezium writes it. */
export function lsnToNumber(lsn: string | null | undefined): number | null {
  if (!lsn) return null;
  const [hi, lo] = lsn.split('/');
  if (hi === undefined || lo === undefined) return null;
  return parseInt(hi, 16) * 2 ** 32 + parseInt(lo, 16);
}

/** Values JSON can carry: Dates as ISO text, bigints as numbers when safe (else text). */
export function plainRow(row: Row | null | undefined): Row | null {
  if (!row) return null;
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) {
    if (v instanceof Date) out[k] = v.toISOString();
    else if (typeof v === 'bigint') out[k] = Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
    else out[k] = v;
  }
  return out;
}

export function changeEvent(op: ChangeOp, rows: {before?: Row | null; after?: Row | null}, source: Omit<ChangeSource, 'version' | 'connector' | 'snapshot'> & {snapshot?: boolean}): ChangeEvent {
  const {snapshot, ...rest} = source;
  return {
    before: plainRow(rows.before),
    after: plainRow(rows.after),
    op,
    source: {version: CHANGE_EVENT_VERSION, connector: 'postgresql', snapshot: snapshot ? 'true' : 'false', ...rest},
    ts_ms: Date.now(),
  };
}

/** Debezium's key: the primary key columns as an object, `{"id": …}`. */
export function changeKey(row: Row | null, keyColumns: readonly string[]): string {
  const key: Row = {};
  for (const c of keyColumns) key[c] = row?.[c] ?? null;
  return JSON.stringify(plainRow(key));
}
