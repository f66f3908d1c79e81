/** A record as kpat shows it: decoded enough to print, exact enough to test. */
export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, HeaderValue | HeaderValue[] | undefined>;
}

type HeaderValue = Buffer | string;

/** JSON-friendly form: strings for UTF-8 text, {base64} for binary. */
export function recordToJson(r: ConsumedRecord): {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  key: string | null;
  headers: Record<string, string | string[]>;
  value: string | null;
} {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(r.headers)) {
    if (v === undefined) continue;
    headers[k] = Array.isArray(v) ? v.map(bufferToText) : bufferToText(v);
  }
  return {
    topic: r.topic,
    partition: r.partition,
    offset: r.offset,
    timestamp: r.timestamp,
    key: r.key ? bufferToText(r.key) : null,
    headers,
    value: r.value ? bufferToText(r.value) : null,
  };
}

export function bufferToText(b: HeaderValue): string {
  return typeof b === 'string' ? b : b.toString('utf8');
}

/**
 * Whether `filter` (case-insensitive) appears in the record's key, value, or a header
 * as `name=value`; an empty filter matches everything.
 */
export function recordMatches(r: ConsumedRecord, filter: string): boolean {
  if (filter === '') return true;
  const needle = filter.toLowerCase();
  const has = (text: string) => text.toLowerCase().includes(needle);
  if (r.key && has(bufferToText(r.key))) return true;
  if (r.value && has(bufferToText(r.value))) return true;
  for (const [name, v] of Object.entries(r.headers)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) if (has(`${name}=${bufferToText(one)}`)) return true;
  }
  return false;
}
