import {ConfigError} from '../../core/errors.js';
import type {ScenarioKind} from '../kinds.js';
import {rejectOverrides, type ScenarioOverrides} from '../run-options.js';
import {runSagaScenario} from './run.js';
import {SAGA_SERVICES, SagaScenarioSchema, type SagaScenario, type SagaServiceName} from './schema.js';

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(`${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
}

function perService(flag: string, values: Record<string, number> | undefined): Partial<Record<SagaServiceName, number>> {
  const out: Partial<Record<SagaServiceName, number>> = {};
  for (const [name, n] of Object.entries(values ?? {})) out[oneOf(flag, name, SAGA_SERVICES)] = n;
  return out;
}

function applyOverrides(s: SagaScenario, o: ScenarioOverrides): SagaScenario {
  rejectOverrides('saga', o, [
    ['poisonRate', '--poison-rate'],
    ['recoverAfterMs', '--recover-after'],
  ]);
  const instances = perService('--instances', o.instances);
  const services = {...s.services};
  for (const [name, n] of Object.entries(instances) as Array<[SagaServiceName, number]>) services[name] = {...services[name], instances: n};
  return {
    ...s,
    workload: {...s.workload, orders: o.count ?? s.workload.orders, rate: o.rate ?? s.workload.rate, seed: o.seed ?? s.workload.seed},
    services,
    faults: {
      fail: o.fail !== undefined ? oneOf('--fail', o.fail, ['none', 'payment', 'inventory'] as const) : s.faults.fail,
      failRate: o.failRate ?? s.faults.failRate,
      crash: o.crash !== undefined ? oneOf('--crash', o.crash, ['none', 'order', 'payment', 'inventory'] as const) : s.faults.crash,
      duplicateRate: o.duplicateRate ?? s.faults.duplicateRate,
      slow: {...s.faults.slow, ...perService('--slow', o.slowMs)},
    },
    deadline: o.deadlineMs ?? s.deadline,
    timeout: o.timeoutMs ?? s.timeout,
  };
}

/** The choreography saga: order, payment, inventory and notification services with compensation. */
export const sagaKind: ScenarioKind<SagaScenario> = {
  kind: 'saga',
  schema: SagaScenarioSchema,
  applyOverrides,
  run: runSagaScenario,
  resumable: true,
};
