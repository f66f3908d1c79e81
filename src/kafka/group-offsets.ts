import type {Admin} from 'kafkajs';
import {createKafka, kafkaErrorType, translateKafkaError, withAdmin} from './client.js';
import type {Connection} from './connection.js';
import {OperationError} from '../core/errors.js';
import {createInternalCluster} from './kafkajs-internals.js';
import {sleep} from '../core/sleep.js';

export interface PartitionOffset {
  topic: string;
  partition: number;
  offset: number;
}

/** What the coordinator answers when a commit from outside the group meets a group with members. */
const GROUP_IN_USE = new Set(['UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION', 'REBALANCE_IN_PROGRESS']);

/** The group gained members between checking it and committing: its offsets were not changed. */
export class GroupInUseError extends OperationError {
  constructor(readonly groupId: string) {
    super(`consumer group ${groupId} has active members: the coordinator refused to move its offsets — stop its consumers and try again`);
  }
}

/**
 * Commits offsets for a group without joining it: generation -1 and no member id,
 * as Kafka's admin client (kafka-consumer-groups --reset-offsets) does. Fast, one
 * request for every topic, and the coordinator itself refuses it while the group has
 * members, so a consumer that starts meanwhile cannot be overwritten unnoticed.
 * (kafkajs admin.setOffsets instead joins the group as a consumer per topic: seconds
 * each, and it briefly becomes a member of the group it is resetting.)
 */
export async function commitOffsetsAsAdmin(conn: Connection, groupId: string, offsets: PartitionOffset[]): Promise<void> {
  if (offsets.length === 0) return;
  const byTopic = new Map<string, Array<{partition: number; offset: string}>>();
  for (const o of offsets) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), {partition: o.partition, offset: String(o.offset)}]);
  const cluster = createInternalCluster(createKafka(conn, {fast: true}));
  try {
    await cluster.connect();
    const coordinator = await cluster.findGroupCoordinator({groupId});
    await coordinator.offsetCommit({groupId, groupGenerationId: -1, memberId: '', topics: [...byTopic].map(([topic, partitions]) => ({topic, partitions}))});
  } catch (error) {
    if (GROUP_IN_USE.has(kafkaErrorType(error) ?? '')) throw new GroupInUseError(groupId);
    throw translateKafkaError(error, conn);
  } finally {
    await cluster.disconnect().catch(() => {});
  }
}

/** Per partition of `topic`, the first offset whose timestamp is at or after `timestamp`; null where no record is (Kafka answers -1). */
export async function offsetsAtTime(admin: Admin, topic: string, timestamp: number): Promise<Map<number, number | null>> {
  // kafkajs substitutes the end offset where Kafka found nothing; a found record always lies before the end.
  const [found, ends] = await Promise.all([admin.fetchTopicOffsetsByTimestamp(topic, timestamp), admin.fetchTopicOffsets(topic)]);
  const endOf = new Map(ends.map((e) => [e.partition, Number(e.high)]));
  return new Map(found.map((f) => [f.partition, Number(f.offset) >= (endOf.get(f.partition) ?? 0) ? null : Number(f.offset)]));
}

/** Deletes a group with no members and everything it committed. */
export async function deleteGroup(conn: Connection, groupId: string): Promise<void> {
  await withAdmin(conn, async (admin) => {
    try {
      await admin.deleteGroups([groupId]);
    } catch (error) {
      const inner = (error as {groups?: Array<{error?: unknown}>}).groups?.[0]?.error;
      if (kafkaErrorType(inner) === 'NON_EMPTY_GROUP') throw new GroupInUseError(groupId);
      throw error;
    }
  });
}

/**
 * Moves consumer groups to the current end of their topics, as an admin
 * commit: they read only what is written from now on. The coordinator refuses
 * while a group has members, and the member of a process that just died stays
 * until its session times out, so a group with members is tried again for up
 * to `waitMs` before GroupInUseError.
 */
export async function moveGroupsToEnd(conn: Connection, groups: Array<{groupId: string; topics: string[]}>, opts: {waitMs?: number; signal?: AbortSignal} = {}): Promise<void> {
  for (const g of groups) {
    const deadline = Date.now() + (opts.waitMs ?? 0);
    for (;;) {
      const ends = await withAdmin(conn, async (admin) => {
        const out: PartitionOffset[] = [];
        for (const topic of g.topics) for (const o of await admin.fetchTopicOffsets(topic)) out.push({topic, partition: o.partition, offset: Number(o.high)});
        return out;
      });
      try {
        await commitOffsetsAsAdmin(conn, g.groupId, ends);
        break;
      } catch (error) {
        if (!(error instanceof GroupInUseError) || Date.now() >= deadline || opts.signal?.aborted) throw error;
        await sleep(500, opts.signal);
      }
    }
  }
}
