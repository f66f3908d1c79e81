/**
 * The embedded broker's own metrics, as `kpat_…`: requests by API and error, request latency,
 * bytes in and out per topic (from the request path, through the broker's one observer call),
 * and, read at scrape time from counters the broker keeps anyway, fsync latency, open segment
 * files, group rebalances, transactions and log cleaner runs.
 */
import {Counter, Gauge, Histogram, type Registry} from 'prom-client';
import type {BrokerContext} from '../../broker/apis/types.js';
import type {BrokerObserver} from '../../broker/observer.js';
import {ErrorCode} from '../../broker/protocol/errors.js';
import {LeanCounter, LeanHistogram, registerScraped} from './lean-metrics.js';

const ERROR_NAMES = new Map<number, string>(Object.entries(ErrorCode).map(([name, code]) => [code, name]));
const errorName = (code: number) => ERROR_NAMES.get(code) ?? String(code);

// Latencies of a local broker: tens of microseconds (metadata) to the long-poll wait of a Fetch.
const LATENCY_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const FSYNC_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

/**
 * The first non-zero error code in a response (top-level, per topic or per partition), or 0.
 * A request counts once, under its first error, like Kafka's ErrorsPerSec.
 */
export function responseError(value: unknown, depth = 0): number {
  if (typeof value !== 'object' || value === null || depth > 6 || Buffer.isBuffer(value)) return 0;
  if (Array.isArray(value)) {
    for (const item of value) {
      const code = responseError(item, depth + 1);
      if (code !== 0) return code;
    }
    return 0;
  }
  const o = value as Record<string, unknown>;
  if (typeof o.errorCode === 'number' && o.errorCode !== 0) return o.errorCode;
  for (const key in o) {
    const v = o[key];
    if (Array.isArray(v)) {
      const code = responseError(v, depth + 1);
      if (code !== 0) return code;
    }
  }
  return 0;
}

interface ProduceResponse {
  responses: Array<{partitionResponses: Array<{errorCode: number}>}>;
}

/** responseError's answer for the two APIs on the hot path, without walking the whole response. */
function hotPathError(api: string, response: unknown): number | null {
  if (typeof response !== 'object' || response === null) return 0; // acks=0: no response
  if (api === 'Produce') {
    for (const t of (response as ProduceResponse).responses) for (const p of t.partitionResponses) if (p.errorCode !== 0) return p.errorCode;
    return 0;
  }
  if (api === 'Fetch') {
    const r = response as {errorCode?: number; responses: Array<{partitions: Array<{errorCode: number}>}>};
    if (r.errorCode) return r.errorCode;
    for (const t of r.responses) for (const p of t.partitions) if (p.errorCode !== 0) return p.errorCode;
    return 0;
  }
  return null;
}

interface ProduceRequest {
  topicData: Array<{name: string; partitionData: Array<{records: Buffer | null}>}>;
}
interface FetchResponse {
  responses: Array<{topic: string; partitions: Array<{records: Buffer | null}>}>;
}

const recordBytes = (partitions: Array<{records: Buffer | null}>) => partitions.reduce((n, p) => n + (p.records?.length ?? 0), 0);

/** Registers the broker's metrics and returns the observer for its request path. */
export function registerBrokerMetrics(registry: Registry, ctx: BrokerContext): BrokerObserver {
  const registers = [registry];
  const requests = new LeanCounter();
  const latency = new LeanHistogram(LATENCY_BUCKETS);
  const bytesIn = new LeanCounter();
  const bytesOut = new LeanCounter();
  registerScraped(registry, 'kpat_requests_total', 'Requests answered, by API and the first error code in the response (NONE when none).', 'counter', () => requests.values());
  registerScraped(registry, 'kpat_request_duration_seconds', 'Time from a decoded request to its response (a Fetch includes its long-poll wait).', 'histogram', () => latency.values('kpat_request_duration_seconds'));
  registerScraped(registry, 'kpat_topic_bytes_in_total', 'Record batch bytes produced to the topic.', 'counter', () => bytesIn.values());
  registerScraped(registry, 'kpat_topic_bytes_out_total', 'Record batch bytes fetched from the topic.', 'counter', () => bytesOut.values());
  const fsync = new Histogram({name: 'kpat_log_fsync_duration_seconds', help: 'Duration of a log fsync round (group commit: one round covers every write before it).', buckets: FSYNC_BUCKETS, registers});
  ctx.topics.onFsync = (seconds) => fsync.observe(seconds);

  const scraped = <T extends Counter | Gauge>(metric: T, fill: (m: T) => void) => {
    // prom-client calls collect() on the metric itself at scrape time.
    (metric as unknown as {collect: () => void}).collect = () => {
      metric.reset();
      fill(metric);
    };
    return metric;
  };
  scraped(new Gauge({name: 'kpat_log_open_segment_files', help: 'Segment files open now (bounded by --max-open-log-files).', registers}), (g) => g.set(ctx.topics.files.openCount));
  scraped(new Counter({name: 'kpat_log_segment_file_opens_total', help: 'Segment files opened, first opens and reopens after the open-file cap closed them.', registers}), (c) => c.inc(ctx.topics.files.opens));
  scraped(new Gauge({name: 'kpat_log_size_bytes', help: 'Bytes of the partition log on disk.', labelNames: ['topic', 'partition'], registers}), (g) => {
    for (const t of ctx.topics.list()) t.partitions.forEach((log, partition) => g.set({topic: t.name, partition}, log.sizeBytes));
  });
  scraped(new Counter({name: 'kpat_group_rebalances_total', help: 'Rebalances completed (generations started) per consumer group since the broker started.', labelNames: ['consumergroup'], registers}), (c) => {
    for (const [consumergroup, n] of ctx.groups.rebalances) c.inc({consumergroup}, n);
  });
  const txns = ctx.txns.totals;
  scraped(new Counter({name: 'kpat_transactions_begun_total', help: 'Transactions begun since the broker started.', registers}), (c) => c.inc(txns.begun));
  scraped(new Counter({name: 'kpat_transactions_committed_total', help: 'Transactions committed since the broker started.', registers}), (c) => c.inc(txns.committed));
  scraped(new Counter({name: 'kpat_transactions_aborted_total', help: 'Transactions aborted (by the client, a fence or a timeout) since the broker started.', registers}), (c) => c.inc(txns.aborted));
  const cleaner = ctx.topics.cleaner.totals;
  scraped(new Counter({name: 'kpat_log_cleaner_runs_total', help: 'Log cleaner passes over the compacted topics.', registers}), (c) => c.inc(cleaner.passes));
  scraped(new Counter({name: 'kpat_log_cleaner_partitions_cleaned_total', help: 'Partitions the log cleaner compacted.', registers}), (c) => c.inc(cleaner.partitionsCleaned));
  scraped(new Counter({name: 'kpat_log_cleaner_bytes_read_total', help: 'Bytes the log cleaner read.', registers}), (c) => c.inc(cleaner.bytesRead));

  return {
    requestDone(api, request, response, seconds) {
      const code = hotPathError(api, response) ?? responseError(response);
      requests.inc(code === 0 ? api : `${api}\u0000${code}`, () => ({api, error: errorName(code)}));
      latency.observe(api, () => ({api}), seconds);
      if (api === 'Produce') {
        for (const t of (request as ProduceRequest).topicData) bytesIn.inc(t.name, () => ({topic: t.name}), recordBytes(t.partitionData));
      } else if (api === 'Fetch' && typeof response === 'object' && response !== null) {
        for (const t of (response as FetchResponse).responses) {
          const n = recordBytes(t.partitions);
          if (n > 0) bytesOut.inc(t.topic, () => ({topic: t.topic}), n);
        }
      }
    },
  };
}
