/**
 * What the proxy does to traffic, and the seeded dice that decide it per request: the same
 * seed and the same sequence of requests of each API give the same faults, run after run.
 */
import {ConfigError} from '../../core/errors.js';
import {chance} from '../../core/random.js';

export interface FaultPlan {
  /** Forward the request, let the broker handle it, then swallow its response and close the client's connection. */
  dropResponses?: {probability: number; apiKeys?: number[]};
  /** Hold each response this long (a range: uniform in it) before delivering it. */
  delayMs?: number | {min: number; max: number};
  /** Close the client's connection instead of forwarding a request, with this probability per request. */
  cutProbability?: number;
  /** The cluster is unreachable: traffic is held (not lost) until the plan is unpaused. */
  paused?: boolean;
}

/** Produce only: dropping its responses is what makes a retrying producer write duplicates. */
export const DEFAULT_DROP_API_KEYS: readonly number[] = [0];

/** What the dice decided for one request. */
export interface RequestFate {
  cut: boolean;
  dropResponse: boolean;
  delayMs: number;
}

/** Throws ConfigError naming the bad field and the fix. */
export function checkFaultPlan(plan: FaultPlan): void {
  const probability = (value: number | undefined, name: string) => {
    if (value !== undefined && !(value >= 0 && value <= 1)) throw new ConfigError(`${name} is ${value} — use a probability from 0 to 1`);
  };
  probability(plan.dropResponses?.probability, 'dropResponses.probability');
  probability(plan.cutProbability, 'cutProbability');
  const delay = plan.delayMs;
  if (delay === undefined) return;
  const [min, max] = typeof delay === 'number' ? [delay, delay] : [delay.min, delay.max];
  if (!(Number.isFinite(min) && Number.isFinite(max) && min >= 0 && max >= min)) {
    throw new ConfigError(`delayMs ${JSON.stringify(delay)} is not a delay — use milliseconds >= 0, or {min, max} with min <= max`);
  }
}

export class FaultDice {
  /** Requests rolled so far, per API key. */
  private readonly seen = new Map<number, number>();

  constructor(private readonly seed: number) {}

  /**
   * The n-th request of an API gets the same fate whatever else the client sent
   * in between: Produce faults do not shift with the number of Fetch or Heartbeat
   * requests a consumer happened to make meanwhile (that depends on timing).
   * Every request draws the same three numbers whatever the plan, so changing the
   * plan mid-run changes only what the draws are compared with.
   */
  roll(apiKey: number, plan: FaultPlan): RequestFate {
    const n = this.seen.get(apiKey) ?? 0;
    this.seen.set(apiKey, n + 1);
    const [cutDraw, dropDraw, delayDraw] = (['cut', 'drop', 'delay'] as const).map((what) => chance(this.seed, 'proxy', apiKey, n, what));
    const drop = plan.dropResponses;
    const dropApis = drop?.apiKeys ?? DEFAULT_DROP_API_KEYS;
    return {
      cut: cutDraw! < (plan.cutProbability ?? 0),
      dropResponse: drop !== undefined && dropApis.includes(apiKey) && dropDraw! < drop.probability,
      delayMs: delayFor(plan.delayMs, delayDraw!),
    };
  }
}

function delayFor(delay: FaultPlan['delayMs'], draw: number): number {
  if (delay === undefined) return 0;
  if (typeof delay === 'number') return delay;
  return Math.round(delay.min + draw * (delay.max - delay.min));
}
