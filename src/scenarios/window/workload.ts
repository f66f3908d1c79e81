import {prng} from '../../core/random.js';
import type {OutgoingMessage} from '../../kafka/publisher.js';
import {runHeaders} from '../run-log.js';
import type {WindowScenario} from './schema.js';

/** A temperature reading as the readings topic carries it (key: the sensor). */
export interface Reading {
  sensor: string;
  celsius: number;
}

const HOUR_MS = 3_600_000;

/**
 * Where the simulated clock starts: a whole hour a day ago, so every window
 * shape whose size divides an hour lines up the same on every run (same seed,
 * same windows), and the records are well inside any retention.
 */
export const clockStart = (now = Date.now()) => Math.floor((now - 24 * HOUR_MS) / HOUR_MS) * HOUR_MS;

/**
 * The run's readings, all generated up front from the seed: the clock moves one
 * step per reading; a share is delayed by less than the smallest grace (out of
 * order, still in its windows), a share by more than the largest window and its
 * grace (late: every window it belongs to has closed when it comes).
 */
export function sensorReadings(s: WindowScenario, runId: string, start: number): OutgoingMessage[] {
  const w = s.workload;
  const random = prng(w.seed);
  const minGrace = Math.min(...s.aggregations.map((a) => a.grace));
  const maxSpan = Math.max(...s.aggregations.map((a) => a.size + a.grace));
  const headers = runHeaders(s.name, runId);
  const out: OutgoingMessage[] = [];
  for (let i = 0; i < w.count; i++) {
    const n = Math.floor(random() * w.sensors);
    const sensor = `sensor-${String(n + 1).padStart(2, '0')}`;
    const r = random();
    let delay = 0;
    // Late ones are delayed past their windows' close by a margin: a partition's stream time may trail the clock by a few steps.
    if (r < w.lateShare) delay = maxSpan + w.sensors * w.step + Math.floor(random() * maxSpan);
    else if (r < w.lateShare + w.outOfOrderShare && minGrace > 1) delay = 1 + Math.floor(random() * (minGrace - 1));
    const celsius = Math.round((14 + (n % 9) + 3 * Math.sin(i / 50) + (random() - 0.5) * 2) * 10) / 10;
    const reading: Reading = {sensor, celsius};
    out.push({topic: s.topics.readings.name, key: sensor, value: JSON.stringify(reading), headers, timestamp: start + i * w.step - delay});
  }
  return out;
}
