import {choiceFlag, duration, durationFlag, integerFlag, perNameFlag, ratioFlag} from '../flags.js';
import type {ScenarioKind} from '../kinds.js';
import type {SagaKindEvent} from './events.js';
import {runSagaScenario} from './run.js';
import {SAGA_SERVICES, SagaScenarioSchema, type SagaScenario, type SagaServiceName} from './schema.js';

const instancesOf = integerFlag('', {min: 1, max: 16, example: 'payment=3'});

const flags = {
  fail: choiceFlag('This step always fails.', ['payment', 'inventory'] as const),
  'fail-rate': ratioFlag('Share of payment and inventory steps that fail (seeded), 0..1.', '0.3'),
  crash: choiceFlag('An instance of this service dies mid-run, between its work and its commit, and restarts.', ['order', 'payment', 'inventory'] as const),
  'duplicate-rate': ratioFlag('Share of events delivered twice, 0..1.'),
  slow: perNameFlag('SERVICE=DURATION extra delay per event, e.g. payment=200ms (repeatable).', 'payment=200ms', SAGA_SERVICES, duration),
  instances: perNameFlag("SERVICE=N consumers in that service's group, e.g. payment=3 (repeatable).", 'payment=3', SAGA_SERVICES, (text, flag) => instancesOf.parse([text], flag)),
  deadline: durationFlag('An order without an outcome after this long is cancelled and compensated, e.g. 5s.', '5s'),
};

/** The choreography saga: order, payment, inventory and notification services with compensation. */
export const sagaKind: ScenarioKind<SagaScenario, typeof flags, SagaKindEvent> = {
  kind: 'saga',
  label: 'saga',
  schema: SagaScenarioSchema,
  flags,
  applyFlags(s, o) {
    const services = {...s.services};
    for (const [name, n] of Object.entries(o.instances ?? {}) as Array<[SagaServiceName, number]>) services[name] = {...services[name], instances: n};
    return {
      ...s,
      workload: {...s.workload, orders: o.count ?? s.workload.orders, rate: o.rate ?? s.workload.rate, seed: o.seed ?? s.workload.seed},
      services,
      faults: {
        fail: o.fail ?? s.faults.fail,
        failRate: o['fail-rate'] ?? s.faults.failRate,
        crash: o.crash ?? s.faults.crash,
        duplicateRate: o['duplicate-rate'] ?? s.faults.duplicateRate,
        slow: {...s.faults.slow, ...o.slow},
      },
      deadline: o.deadline ?? s.deadline,
      timeout: o.timeout ?? s.timeout,
    };
  },
  run: runSagaScenario,
  resumable: true,
};
