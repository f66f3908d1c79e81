import type {ScenarioEvent} from '../../scenarios/events.js';

/** What happened on one stage of a dead-letter or retry pipeline (the source topic, a rung, the DLT). */
export interface StageStats {
  topic: string;
  handled: number;
  /** Sent on to the next rung. */
  retried: number;
  /** Waiting on this rung until due. */
  held: number;
  /** The earliest due time among held records. */
  nextDue: number | null;
  deadLettered: number;
}

/**
 * Folds pattern events into per-stage counts, in the order stages appear in
 * `topics` (source, rungs, DLT). Pure, so the view and its tests agree.
 */
export function stageStats(topics: readonly string[], events: readonly ScenarioEvent[]): StageStats[] {
  const stages = new Map(topics.map((t) => [t, {topic: t, handled: 0, retried: 0, held: 0, nextDue: null as number | null, deadLettered: 0}]));
  const held = new Map<string, Map<string, number>>(); // topic → record position → due
  const stage = (t: string) => stages.get(t);
  const release = (topic: string, position: string) => held.get(topic)?.delete(position);
  for (const e of events) {
    if (e.type !== 'handled' && e.type !== 'retry-scheduled' && e.type !== 'retry-held' && e.type !== 'dead-lettered') continue;
    const position = `${e.record.partition}@${e.record.offset}`;
    const s = stage(e.record.topic);
    if (e.type === 'retry-held') {
      if (!held.has(e.record.topic)) held.set(e.record.topic, new Map());
      held.get(e.record.topic)!.set(position, e.dueAt);
      continue;
    }
    release(e.record.topic, position);
    if (!s) continue;
    if (e.type === 'handled') s.handled++;
    else if (e.type === 'retry-scheduled') s.retried++;
    else s.deadLettered++;
    if (e.type === 'dead-lettered') {
      const dlt = stage(e.dltTopic);
      if (dlt) dlt.handled++;
    }
  }
  for (const [topic, waiting] of held) {
    const s = stage(topic);
    if (!s) continue;
    s.held = waiting.size;
    s.nextDue = waiting.size > 0 ? Math.min(...waiting.values()) : null;
  }
  return [...stages.values()];
}
