import {readFileSync} from 'node:fs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {parse as parseYaml} from 'yaml';
import {EventStream} from '../../src/core/event-stream.js';
import {serveScenarioMetrics, type ScenarioMetrics} from '../../src/scenarios/metrics.js';
import type {KindEvent, ScenarioEvent} from '../../src/scenarios/events.js';
import {DEFAULT_METRICS_PORT} from '../../src/stack/broker-options.js';
import {startMetricsBeside, type HostedMetrics} from '../../src/stack/metrics-host.js';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';
import {scrape, servedNames} from '../helpers/prometheus.js';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

interface Target {
  expr: string;
  datasource: {uid: string};
}
interface Panel {
  type: string;
  title: string;
  gridPos: {h: number; w: number; x: number; y: number};
  targets?: Target[];
}
const dashboard = JSON.parse(read('deploy/grafana/dashboards/kpat.json')) as {uid: string; title: string; panels: Panel[]; templating: {list: Array<{query: {query: string}}>}};
const metricNames = (expr: string) => expr.match(/\b(?:kafka|kpat)_[a-zA-Z0-9_]+/g) ?? [];

let tb: TestBroker;
let hosted: HostedMetrics;
let scenario: ScenarioMetrics;
beforeAll(async () => {
  tb = await startTestBroker();
  hosted = await startMetricsBeside(tb.broker, {host: '127.0.0.1', port: 0});
  scenario = await serveScenarioMetrics(new EventStream<ScenarioEvent<KindEvent>>(), 0);
});
afterAll(async () => {
  await scenario.close();
  await hosted.close();
  await tb.stop();
});

describe('the provisioned Grafana dashboard', () => {
  it('is a dashboard whose every panel queries the provisioned Prometheus data source', () => {
    const datasource = (parseYaml(read('deploy/grafana/provisioning/datasources/prometheus.yml')) as {datasources: Array<{uid: string; type: string}>}).datasources[0]!;
    expect(datasource.type).toBe('prometheus');
    expect(dashboard.uid).toBe('kpat-overview');
    const queries = dashboard.panels.filter((p) => p.type !== 'row');
    expect(queries.length).toBeGreaterThan(20);
    for (const p of queries) {
      expect(p.title, 'a panel needs a title').not.toBe('');
      expect(p.gridPos.x + p.gridPos.w, `${p.title} fits the 24-column grid`).toBeLessThanOrEqual(24);
      expect(p.targets!.length, `${p.title} has queries`).toBeGreaterThan(0);
      for (const t of p.targets!) {
        expect(t.datasource.uid).toBe(datasource.uid);
        expect(metricNames(t.expr).length, `${p.title}: ${t.expr} names a metric`).toBeGreaterThan(0);
      }
    }
  });

  it('queries only metrics kpat serves (read from live scrapes of kpat up and of a scenario run)', async () => {
    const served = new Set([...servedNames(await scrape(hosted.url)), ...servedNames(await scrape(scenario.url))]);
    const used = new Set([...dashboard.panels.flatMap((p) => (p.targets ?? []).flatMap((t) => metricNames(t.expr))), ...dashboard.templating.list.flatMap((v) => metricNames(v.query.query))]);
    expect([...used].filter((name) => !served.has(name))).toEqual([]);
    // Each part of the dashboard has something to show.
    for (const prefix of ['kafka_', 'kpat_', 'kpat_pattern_']) expect([...used].some((n) => n.startsWith(prefix))).toBe(true);
  });

  it('Prometheus (compose metrics profile) scrapes kpat up on its default metrics port', () => {
    const config = parseYaml(read('deploy/prometheus/prometheus.yml')) as {scrape_configs: Array<{job_name: string; static_configs: Array<{targets: string[]}>}>};
    const targets = Object.fromEntries(config.scrape_configs.map((c) => [c.job_name, c.static_configs.flatMap((s) => s.targets)]));
    expect(targets['kpat-stack']).toEqual([`host.docker.internal:${DEFAULT_METRICS_PORT}`]);
    expect(targets['kpat-scenario']).toEqual(['host.docker.internal:9464']);
    expect(targets['kafka-exporter']).toEqual(['kafka-exporter:9308']);
  });
});
