/**
 * Pattern metrics are counters derived from a pattern's typed events: a rule names the event
 * type it counts and the labels to count it under. A pattern's metrics are a list of rules
 * (one file per pattern beside this one); binding them to an event stream and a prom-client
 * registry is the same for every pattern.
 */
import {Counter, type Registry} from 'prom-client';
import type {Subscribable} from '../../core/event-stream.js';

export type LabelValues = Record<string, string | number>;

export interface CounterRule<E extends {type: string}> {
  /** The event type it counts. */
  on: E['type'];
  name: string;
  help: string;
  /** Every label, the bound ones (topic, group …) included. */
  labelNames: readonly string[];
  /** The event's own labels; null leaves this event uncounted. */
  labels(e: E): LabelValues | null;
  /** How much the event counts (default 1). */
  by?(e: E): number;
}

/** A rule for events of type T, typed as that event. */
export function rule<E extends {type: string}, T extends E['type']>(
  on: T,
  def: {name: string; help: string; labelNames: readonly string[]; labels(e: Extract<E, {type: T}>): LabelValues | null; by?(e: Extract<E, {type: T}>): number},
): CounterRule<E> {
  return {on, name: def.name, help: def.help, labelNames: def.labelNames, labels: def.labels as (e: E) => LabelValues | null, by: def.by as ((e: E) => number) | undefined};
}

/** The registry's counter of that name, registered on first use (several streams may share it). */
export function counterIn(registry: Registry, r: {name: string; help: string; labelNames: readonly string[]}): Counter {
  const existing = registry.getSingleMetric(r.name);
  if (existing) return existing as Counter;
  return new Counter({name: r.name, help: r.help, labelNames: [...r.labelNames], registers: [registry]});
}

/**
 * Counts every event of the stream the rules match, in `registry`; `bound` labels (the
 * stream's topic or group, when its events do not carry them) are added to each. Returns
 * the unsubscribe function.
 */
export function bindCounters<E extends {type: string}>(events: Subscribable<E>, registry: Registry, rules: readonly CounterRule<E>[], bound: LabelValues = {}): () => void {
  const byType = new Map<string, Array<{rule: CounterRule<E>; counter: Counter}>>();
  for (const r of rules) {
    const list = byType.get(r.on) ?? [];
    list.push({rule: r, counter: counterIn(registry, r)});
    byType.set(r.on, list);
  }
  return events.subscribe((e) => {
    for (const {rule: r, counter} of byType.get(e.type) ?? []) {
      const labels = r.labels(e);
      if (labels) counter.inc({...bound, ...labels}, r.by?.(e) ?? 1);
    }
  });
}
