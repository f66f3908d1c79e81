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
