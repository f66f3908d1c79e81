/**
 * A scenario run's Prometheus endpoint (--metrics-port): the pattern events every kind emits
 * (handled, retried, dead-lettered …) are counted from the run's event stream; kinds bind the
 * streams their events do not carry (saga envelopes, window and exactly-once events) through
 * RunOptions.metrics.
 */
import {startMetricsServer} from '../core/metrics-server.js';
import {sleep} from '../core/sleep.js';
import type {Subscribable} from '../core/event-stream.js';
import type {PatternEvent} from '../patterns/events.js';
import {PatternMetrics} from '../patterns/metrics/index.js';
import type {KindEvent, ScenarioEvent} from './events.js';

/** How long a finished run waits for Prometheus to scrape its final counts (a common scrape interval). */
export const FINAL_SCRAPE_WAIT_MS = 15_000;

export interface ScenarioMetrics {
  url: string;
  metrics: PatternMetrics;
  /** Waits until the endpoint is scraped once more, at most `waitMs` or until `signal` aborts; true when it was. */
  finalScrape(opts: {waitMs?: number; signal?: AbortSignal}): Promise<boolean>;
  close(): Promise<void>;
}

export async function serveScenarioMetrics(events: Subscribable<ScenarioEvent<KindEvent>>, port: number): Promise<ScenarioMetrics> {
  const metrics = new PatternMetrics();
  // The dead-letter rules count only pattern event types; the run's other events pass by.
  metrics.deadLetter(events as unknown as Subscribable<PatternEvent>);
  const server = await startMetricsServer({contentType: metrics.registry.contentType, render: () => metrics.registry.metrics()}, {host: '127.0.0.1', port});
  return {
    url: server.url,
    metrics,
    async finalScrape({waitMs = FINAL_SCRAPE_WAIT_MS, signal}) {
      if (signal?.aborted) return false;
      const scraped = server.nextScrape().then(() => true);
      const gaveUp = sleep(waitMs, signal).then(() => false);
      return Promise.race([scraped, gaveUp]);
    },
    close: () => server.close(),
  };
}
