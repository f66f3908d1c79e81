import {withAdmin} from '../kafka/client.js';
import {ensureTopics, type TopicSpec} from '../kafka/topics.js';
import {OperationError} from '../core/errors.js';
import {plural} from '../core/plural.js';
import type {KindEvent} from './events.js';
import type {RunOptions} from './run-options.js';

/**
 * The scenario's topics as its file asks: missing ones are created, and one
 * that already exists with fewer partitions than asked is grown to that many
 * (CreatePartitions), with a note — records already there stay where they are,
 * but keys sent from now on may land on other partitions. When the cluster
 * refuses, the run stops saying what to do. Returns every topic's partition count.
 */
export async function ensureScenarioTopics<E extends KindEvent>(opts: Pick<RunOptions<E>, 'conn' | 'events'>, specs: TopicSpec[]): Promise<Map<string, number>> {
  const partitions = await ensureTopics(opts.conn, specs);
  const wanted = new Map<string, number>();
  for (const s of specs) wanted.set(s.name, Math.max(wanted.get(s.name) ?? 0, s.partitions));
  const short = [...wanted].filter(([name, want]) => (partitions.get(name) ?? 0) < want);
  if (short.length === 0) return partitions;
  await withAdmin(opts.conn, async (admin) => {
    for (const [name, want] of short) {
      const have = partitions.get(name) ?? 0;
      try {
        await admin.createPartitions({topicPartitions: [{topic: name, count: want}]});
      } catch (error) {
        throw new OperationError(
          `topic ${name} has ${plural(have, 'partition')} but the scenario asks for ${want}, and adding partitions failed: ${(error as Error).message} — delete the topic (\`kpat topics delete ${name}\`) or ask for ${have} in the scenario file`,
        );
      }
      partitions.set(name, want);
      opts.events.emit({
        type: 'scenario-note',
        at: Date.now(),
        text: `topic ${name} had ${plural(have, 'partition')}, the scenario asks for ${want}: added ${want - have} (records already there stay on their partitions)`,
      });
    }
  });
  return partitions;
}
