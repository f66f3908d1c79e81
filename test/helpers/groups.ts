import type {Admin, Kafka} from 'kafkajs';

/**
 * Commits `offsets` (partition → next offset) for `groupId` the way an application
 * does: a kafkajs group member reads the records and commits after them, then leaves.
 */
export async function commitAsConsumer(kafka: Kafka, groupId: string, topic: string, offsets: Record<number, number>): Promise<void> {
  const consumer = kafka.consumer({groupId, maxWaitTimeInMs: 100, sessionTimeout: 6000, heartbeatInterval: 500});
  const pending = new Set(Object.keys(offsets).map(Number));
  try {
    await consumer.connect();
    await consumer.subscribe({topic, fromBeginning: true});
    await new Promise<void>((resolve) => {
      void consumer.run({
        autoCommit: false,
        eachMessage: async ({partition, message}) => {
          const next = Number(message.offset) + 1;
          if (offsets[partition] !== next) return;
          await consumer.commitOffsets([{topic, partition, offset: String(next)}]);
          pending.delete(partition);
          if (pending.size === 0) resolve();
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
}

/** The group's committed offset per partition of `topic` (null: nothing committed), straight from kafkajs admin. */
export async function committedByPartition(admin: Admin, groupId: string, topic: string): Promise<Array<number | null>> {
  const [t] = await admin.fetchOffsets({groupId, topics: [topic]});
  return t!.partitions.sort((a, b) => a.partition - b.partition).map((p) => (Number(p.offset) >= 0 ? Number(p.offset) : null));
}

export async function until<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
}
