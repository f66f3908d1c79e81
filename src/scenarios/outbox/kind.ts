import type {KindFlag} from '../flags.js';
import {choiceFlag, durationFlag, integerFlag} from '../flags.js';
import {ConfigError} from '../../core/errors.js';
import type {ScenarioKind} from '../kinds.js';
import type {OutboxKindEvent} from './events.js';
import {runOutboxScenario} from './run.js';
import {OutboxScenarioSchema, type OutboxScenario} from './schema.js';

const databaseUrl: KindFlag<string> = {
  summary: 'A PostgreSQL server instead of the in-memory PGlite, postgres://USER:PASSWORD@HOST:PORT/DB (e.g. the docker-compose postgres service).',
  example: 'postgres://kpat:kpat@localhost:5432/kpat',
  parse(values, flag) {
    const text = values.at(-1)!;
    if (!/^postgres(ql)?:\/\/./.test(text)) throw new ConfigError(`${flag} must be a PostgreSQL URL, got "${text}" (e.g. ${flag} postgres://kpat:kpat@localhost:5432/kpat)`);
    return text;
  },
};

const flags = {
  'database-url': databaseUrl,
  relay: choiceFlag('polling: relays poll the outbox table; logical: one relay reads it through logical replication (needs --database-url, wal_level=logical).', ['polling', 'logical'] as const),
  relays: integerFlag('Polling relays side by side.', {min: 1, max: 8, example: '2'}),
  'app-crash': integerFlag('Times the application dies between its database commit and its produce.', {min: 0, max: 100, example: '3'}),
  outage: durationFlag('How long the broker is unreachable, once, partway through (0 = never), e.g. 2s.', '2s'),
  'relay-crash': integerFlag('Times a relay dies between publishing a batch and marking it published.', {min: 0, max: 20, example: '1'}),
  faults: choiceFlag('off: no faults at all, the baseline; on: the faults of the file and flags.', ['on', 'off'] as const),
};

/** The naive dual write and the transactional outbox, side by side under the same faults. */
export const outboxKind: ScenarioKind<OutboxScenario, typeof flags, OutboxKindEvent> = {
  kind: 'outbox',
  label: 'outbox',
  schema: OutboxScenarioSchema,
  flags,
  applyFlags(s, o) {
    const given = {appCrash: o['app-crash'] ?? s.faults.appCrash, outage: o.outage ?? s.faults.outage, relayCrash: o['relay-crash'] ?? s.faults.relayCrash};
    return {
      ...s,
      workload: {...s.workload, orders: o.count ?? s.workload.orders, rate: o.rate ?? s.workload.rate, seed: o.seed ?? s.workload.seed},
      databaseUrl: o['database-url'] ?? s.databaseUrl ?? process.env.KPAT_DATABASE_URL,
      relay: o.relay ?? s.relay,
      relays: o.relays ?? s.relays,
      faults: o.faults === 'off' ? {appCrash: 0, outage: 0, relayCrash: 0} : given,
      timeout: o.timeout ?? s.timeout,
    };
  },
  run: runOutboxScenario,
  resumable: false,
};
