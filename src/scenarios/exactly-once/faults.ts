import type {FaultPlan as ProcessorFaults, InputPosition} from '../../patterns/exactly-once/faults.js';
import type {FaultPlan as ProxyPlan} from '../../kafka/proxy/index.js';
import {chance, prng} from '../../core/random.js';
import type {EosScenario} from './schema.js';

/** Where payment i sits, given where each input partition ended before the run wrote (see paymentMessage). */
export function positionOf(s: EosScenario, start: ReadonlyMap<number, number>, i: number): InputPosition {
  const partition = i % s.partitions;
  return {partition, offset: (start.get(partition) ?? 0) + Math.floor(i / s.partitions)};
}

/**
 * The processor faults, the same for the three pipelines: picked from the
 * seed, on payment positions, each crash and zombie in its own unit of work
 * (never the very first unit of a partition, so something committed before).
 */
export function processorFaults(s: EosScenario, start: ReadonlyMap<number, number>): ProcessorFaults {
  const n = s.workload.payments;
  const unitOf = (i: number) => `${i % s.partitions}/${Math.floor(Math.floor(i / s.partitions) / s.transactionRecords)}`;
  const firstUnit = s.partitions * s.transactionRecords;
  const used = new Set<string>();
  const rand = prng(s.workload.seed ^ 0x5eed);
  const pick = (count: number): number[] => {
    const picked: number[] = [];
    for (let tries = 0; picked.length < count && tries < n * 4; tries++) {
      const i = Math.floor(rand() * n);
      if (i < firstUnit && n > firstUnit) continue;
      if (used.has(unitOf(i))) continue;
      used.add(unitOf(i));
      picked.push(i);
    }
    return picked;
  };
  const crash = pick(s.faults.crash);
  const zombie = pick(s.faults.zombie);
  const fail = Array.from({length: n}, (_, i) => i).filter((i) => s.faults.failRate > 0 && chance(s.workload.seed, 'eos-fail', i) < s.faults.failRate);
  const at = (xs: number[]) => xs.map((i) => positionOf(s, start, i));
  return {crash: at(crash), zombie: at(zombie), fail: at(fail)};
}

/** What each pipeline's proxy does: the same plan and seed for all three, so they meet the same faults. */
export function proxyPlan(s: EosScenario): ProxyPlan {
  const plan: ProxyPlan = {};
  if (s.faults.dropResponses > 0) plan.dropResponses = {probability: s.faults.dropResponses};
  if (s.faults.delay > 0) plan.delayMs = s.faults.delay;
  return plan;
}

/** Every fault off: the baseline, where the three pipelines give the same outputs. */
export const NO_FAULTS: EosScenario['faults'] = {dropResponses: 0, delay: 0, crash: 0, zombie: 0, failRate: 0};
