import type {Connection} from '../kafka/connection.js';
import {ConfigError} from '../core/errors.js';
import type {EventStream} from '../core/event-stream.js';
import type {ScenarioEvent} from './events.js';

/** Values the `kpat scenario` flags can override; a kind rejects the ones it has no use for. */
export interface ScenarioOverrides {
  count?: number;
  rate?: number;
  seed?: number;
  poisonRate?: number;
  failRate?: number;
  recoverAfterMs?: number;
  timeoutMs?: number;
  /** Saga: this step always fails. */
  fail?: string;
  /** Saga: this service has an instance crash mid-run. */
  crash?: string;
  duplicateRate?: number;
  /** Saga: extra delay per event, per service. */
  slowMs?: Record<string, number>;
  /** Saga: instances per service. */
  instances?: Record<string, number>;
  /** Saga: how long an order may go without an outcome before it is cancelled and compensated. */
  deadlineMs?: number;
}

/** Refuses flags a scenario kind has no use for, naming them. */
export function rejectOverrides(kind: string, o: ScenarioOverrides, names: Array<[keyof ScenarioOverrides, string]>): void {
  const given = names.filter(([k]) => o[k] !== undefined).map(([, flag]) => flag);
  if (given.length > 0) throw new ConfigError(`${given.join(', ')} ${given.length === 1 ? 'does' : 'do'} not apply to ${kind} scenarios`);
}

export interface RunOptions {
  conn: Connection;
  /** Finish an earlier run instead of sending a new workload: its id, or true for the latest. */
  resume?: string | true;
  signal?: AbortSignal;
  events: EventStream<ScenarioEvent>;
}

export const newRunId = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 3).toString(36).padStart(3, '0')}`;

