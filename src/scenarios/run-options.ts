import type {Connection} from '../kafka/connection.js';
import type {RegistryTarget} from '../kafka/registry-connection.js';
import type {EventStream} from '../core/event-stream.js';
import type {PatternMetrics} from '../patterns/metrics/index.js';
import type {KindEvent, ScenarioEvent} from './events.js';

/** What a run gets besides its scenario: where, whether it resumes, its stop signal, and where its events go (`E`: the kind's own). */
export interface RunOptions<E extends KindEvent = never> {
  conn: Connection;
  /** Finish an earlier run instead of sending a new workload: its id, or true for the latest. */
  resume?: string | true;
  signal?: AbortSignal;
  events: EventStream<ScenarioEvent<E>>;
  /** The schema registry, resolved only when a kind asks (flag, env, config, the local stack, or one beside the embedded broker). */
  registry?: () => Promise<RegistryTarget>;
  /** Counters for Prometheus (--metrics-port): kinds bind the pattern streams their events do not carry. */
  metrics?: PatternMetrics;
}

export const newRunId = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 3).toString(36).padStart(3, '0')}`;
