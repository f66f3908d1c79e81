/**
 * Metrics kept as plain numbers on the broker's request path and handed to prom-client only
 * when Prometheus scrapes. prom-client's own inc() and observe() hash their labels on every
 * call (1–2 µs each), which a broker answering tens of thousands of requests a second feels;
 * a Map lookup and a bucket search do not.
 */
import type {Registry} from 'prom-client';

type Labels = Record<string, string | number>;
interface Value {
  labels: Labels;
  value: number;
  metricName?: string;
}

/** Counts per label set; `key` is the caller's cheap identity for the set. */
export class LeanCounter {
  private readonly series = new Map<string, {labels: Labels; value: number}>();

  inc(key: string, labels: () => Labels, by = 1): void {
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = {labels: labels(), value: 0}));
    s.value += by;
  }

  values(): Value[] {
    return [...this.series.values()].map((s) => ({labels: s.labels, value: s.value}));
  }
}

/** One histogram per label set, with Prometheus's cumulative `le` buckets at scrape time. */
export class LeanHistogram {
  private readonly series = new Map<string, {labels: Labels; counts: Float64Array; sum: number; count: number}>();

  constructor(private readonly buckets: readonly number[]) {}

  observe(key: string, labels: () => Labels, value: number): void {
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = {labels: labels(), counts: new Float64Array(this.buckets.length), sum: 0, count: 0}));
    let i = 0;
    while (i < this.buckets.length && value > this.buckets[i]!) i++;
    if (i < this.buckets.length) s.counts[i]!++;
    s.sum += value;
    s.count++;
  }

  values(name: string): Value[] {
    const out: Value[] = [];
    for (const s of this.series.values()) {
      let cumulative = 0;
      this.buckets.forEach((le, i) => {
        cumulative += s.counts[i]!;
        out.push({metricName: `${name}_bucket`, labels: {le, ...s.labels}, value: cumulative});
      });
      out.push({metricName: `${name}_bucket`, labels: {le: '+Inf', ...s.labels}, value: s.count});
      out.push({metricName: `${name}_sum`, labels: s.labels, value: s.sum});
      out.push({metricName: `${name}_count`, labels: s.labels, value: s.count});
    }
    return out;
  }
}

/** Registers a metric whose values are read at scrape time (prom-client's registry asks only for name and get()). */
export function registerScraped(registry: Registry, name: string, help: string, type: 'counter' | 'histogram', values: () => Value[]): void {
  const metric = {name, help, type, get: async () => ({name, help, type, values: values(), aggregator: 'sum'})};
  registry.registerMetric(metric as unknown as Parameters<Registry['registerMetric']>[0]);
}
