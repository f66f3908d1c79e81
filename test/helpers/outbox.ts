import {kcat} from './kcat.js';

export interface KcatRecord {
  key: string;
  value: string;
  headers: Record<string, string>;
  partition: number;
  offset: number;
}

/** Every record of a topic as kcat (librdkafka, an independent client) reads it, with its headers. */
export async function kcatRecords(bootstrap: string, topic: string): Promise<KcatRecord[]> {
  const out = await kcat(['-b', bootstrap, '-t', topic, '-C', '-e', '-q', '-J']);
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const r = JSON.parse(line) as {key: string; payload: string; headers?: string[]; partition: number; offset: number};
      const headers: Record<string, string> = {};
      const flat = r.headers ?? [];
      for (let i = 0; i + 1 < flat.length; i += 2) headers[flat[i]!] = flat[i + 1]!;
      return {key: r.key, value: r.payload, headers, partition: r.partition, offset: r.offset};
    });
}

/** How many copies of each value of `id` the records carry. */
export function copiesBy<T>(records: T[], id: (r: T) => string | undefined): Map<string, number> {
  const copies = new Map<string, number>();
  for (const r of records) {
    const k = id(r);
    if (k !== undefined) copies.set(k, (copies.get(k) ?? 0) + 1);
  }
  return copies;
}
