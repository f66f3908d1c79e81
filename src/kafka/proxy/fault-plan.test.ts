import {describe, expect, it} from 'vitest';
import {ConfigError} from '../../core/errors.js';
import {FaultDice, checkFaultPlan, type FaultPlan} from './fault-plan.js';

const PRODUCE = 0;
const FETCH = 1;
const fates = (seed: number, plan: FaultPlan, apiKeys: number[]) => {
  const dice = new FaultDice(seed);
  return apiKeys.map((key) => dice.roll(key, plan));
};

describe('FaultDice', () => {
  const plan: FaultPlan = {dropResponses: {probability: 0.3}, delayMs: {min: 10, max: 50}, cutProbability: 0.1};
  const keys = Array.from({length: 200}, (_, i) => (i % 3 === 0 ? FETCH : PRODUCE));

  it('the same seed and requests give the same fates; another seed other fates', () => {
    expect(fates(9, plan, keys)).toEqual(fates(9, plan, keys));
    expect(fates(10, plan, keys)).not.toEqual(fates(9, plan, keys));
  });

  it('drops only the listed APIs (Produce by default), delays within the range', () => {
    const rolled = fates(9, plan, keys);
    expect(rolled.some((f) => f.dropResponse)).toBe(true);
    expect(rolled.every((f, i) => !f.dropResponse || keys[i] === PRODUCE)).toBe(true);
    expect(rolled.every((f) => f.delayMs >= 10 && f.delayMs <= 50)).toBe(true);
    const fetchOnly = fates(9, {dropResponses: {probability: 1, apiKeys: [FETCH]}}, keys);
    expect(fetchOnly.map((f) => f.dropResponse)).toEqual(keys.map((k) => k === FETCH));
  });

  it('a Produce request fate depends on how many Produce requests came before it, not on the other APIs in between', () => {
    const produceOnly = Array.from({length: 60}, () => PRODUCE);
    const interleaved = produceOnly.flatMap((k, i) => (i % 4 === 0 ? [FETCH, FETCH, k] : [k]));
    const produceFates = (keys: number[]) => fates(9, plan, keys).filter((_, i) => keys[i] === PRODUCE);
    expect(produceFates(interleaved)).toEqual(produceFates(produceOnly));
  });

  it('changing the plan does not shift later fates: every request draws the same numbers', () => {
    const dice = new FaultDice(5);
    dice.roll(PRODUCE, {});
    const afterQuiet = dice.roll(PRODUCE, plan);
    const loud = new FaultDice(5);
    loud.roll(PRODUCE, {cutProbability: 1, dropResponses: {probability: 1}, delayMs: 5});
    expect(loud.roll(PRODUCE, plan)).toEqual(afterQuiet);
  });
});

describe('checkFaultPlan', () => {
  for (const plan of [{cutProbability: 1.5}, {dropResponses: {probability: -0.1}}, {delayMs: -1}, {delayMs: {min: 50, max: 10}}] as FaultPlan[]) {
    it(`rejects ${JSON.stringify(plan)} naming the fix`, () => {
      expect(() => checkFaultPlan(plan)).toThrow(ConfigError);
      expect(() => checkFaultPlan(plan)).toThrow(/ — use/);
    });
  }
});
