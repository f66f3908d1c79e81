import type {PatternEvent} from '../../../patterns/events.js';

/** What happened on one stage of a dead-letter or retry pipeline (the source topic, a rung, the DLT). */
export interface StageStats {
  topic: string;
  handled: number;
  /** Sent on to the next rung. */
  retried: number;
  /** Records sent to this rung that have not left it yet: waiting until due. */
  held: number;
  /** When the first of them is due. */
  nextDue: number | null;
  deadLettered: number;
}

/**
 * Folds pattern events into per-stage counts, in the order stages appear in
 * `topics` (source, rungs, DLT). A rung delays every record by the same time,
 * so its records leave in the order they were sent to it: the due times of
 * those still there are a queue. Pure, so the view and its tests agree.
 */
export function stageStats(topics: readonly string[], events: readonly PatternEvent[]): StageStats[] {
  const stages = new Map(topics.map((t) => [t, {topic: t, handled: 0, retried: 0, held: 0, nextDue: null as number | null, deadLettered: 0}]));
  const due = new Map<string, number[]>(); // rung → due times of its records still there, earliest first
  for (const e of events) {
    if (e.type === 'retry-scheduled') {
      const queue = due.get(e.retryTopic) ?? [];
      queue.push(e.dueAt);
      due.set(e.retryTopic, queue);
    }
    if (e.type !== 'handled' && e.type !== 'retry-scheduled' && e.type !== 'dead-lettered') continue;
    due.get(e.record.topic)?.shift();
    const s = stages.get(e.record.topic);
    if (!s) continue;
    if (e.type === 'handled') s.handled++;
    else if (e.type === 'retry-scheduled') s.retried++;
    else s.deadLettered++;
    if (e.type === 'dead-lettered') {
      const dlt = stages.get(e.dltTopic);
      if (dlt) dlt.handled++;
    }
  }
  for (const [topic, queue] of due) {
    const s = stages.get(topic);
    if (!s) continue;
    s.held = queue.length;
    s.nextDue = queue.length > 0 ? Math.min(...queue.slice(0, 64)) : null;
  }
  return [...stages.values()];
}
