import kafkajs, {type Admin, type GroupDescription} from 'kafkajs';
import {withAdmin} from './client.js';
import type {Connection} from './connection.js';
import {OperationError} from '../core/errors.js';
import {partitionLag} from '../core/lag.js';

export {partitionLag};

// kafkajs is CommonJS: Node's ESM loader sees only its default export.
const {AssignerProtocol} = kafkajs;

/** Who a group member is, as the coordinator reports it. */
export interface MemberRef {
  memberId: string;
  clientId: string;
  /** The member's address, without the leading "/" Kafka's JVM brokers put in front of it. */
  clientHost: string;
}

export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

export interface GroupMember extends MemberRef {
  /** What the group leader assigned to this member; empty while a rebalance is under way. */
  assignment: TopicPartitions[];
}

export interface GroupSummary {
  groupId: string;
  /** Kafka's group state: Empty, PreparingRebalance, CompletingRebalance, Stable or Dead. */
  state: string;
  /** "consumer" for consumer groups; "" for groups that only hold committed offsets. */
  protocolType: string;
  /** The partition assignor the members agreed on (range, roundrobin …); "" when no one is in the group. */
  protocol: string;
  members: number;
}

export interface PartitionLag {
  topic: string;
  partition: number;
  /** The group's committed offset (the next record it will read), or null when it committed nothing here. */
  committed: number | null;
  /** Log start offset: the oldest retained record. */
  start: number;
  /** End offset (high watermark): the offset the next produced record gets. */
  end: number;
  /** Records the group has yet to read: end − committed, or end − start when nothing is committed. */
  lag: number;
  /** True when nothing is committed, so `lag` counts every retained record. */
  uncommitted: boolean;
  /** The member that owns this partition in the current assignment, or null (no member, or mid-rebalance). */
  owner: MemberRef | null;
}

export interface GroupDetail extends Omit<GroupSummary, 'members'> {
  members: GroupMember[];
  /** Every partition of every topic the group committed to or is assigned, ordered by topic and partition. */
  partitions: PartitionLag[];
  totalLag: number;
}

// ---------------------------------------------------------------------------
// Lag math: pure, no Kafka.

export interface PartitionOffsets {
  partition: number;
  start: number;
  end: number;
}

/**
 * Joins what a group committed, what its members are assigned and where each partition
 * ends into one row per partition. Topics are those the group committed to or is
 * assigned; every partition of such a topic gets a row (uncommitted ones too). Topics
 * missing from `topicOffsets` (deleted since) are left out.
 */
export function buildGroupLag(input: {
  committed: Array<{topic: string; partition: number; offset: number | null}>;
  topicOffsets: ReadonlyMap<string, PartitionOffsets[]>;
  members: GroupMember[];
}): {partitions: PartitionLag[]; totalLag: number} {
  const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;
  const committed = new Map<string, number>();
  for (const c of input.committed) if (c.offset !== null) committed.set(key(c.topic, c.partition), c.offset);
  const owners = new Map<string, MemberRef>();
  for (const m of input.members) {
    const ref: MemberRef = {memberId: m.memberId, clientId: m.clientId, clientHost: m.clientHost};
    for (const a of m.assignment) for (const p of a.partitions) owners.set(key(a.topic, p), ref);
  }
  const topics = new Set([...input.committed.map((c) => c.topic), ...input.members.flatMap((m) => m.assignment.map((a) => a.topic))]);
  const partitions: PartitionLag[] = [];
  for (const topic of [...topics].sort()) {
    const offsets = input.topicOffsets.get(topic);
    if (!offsets) continue;
    for (const o of [...offsets].sort((a, b) => a.partition - b.partition)) {
      const c = committed.get(key(topic, o.partition)) ?? null;
      partitions.push({
        topic,
        partition: o.partition,
        committed: c,
        start: o.start,
        end: o.end,
        ...partitionLag({committed: c, start: o.start, end: o.end}),
        owner: owners.get(key(topic, o.partition)) ?? null,
      });
    }
  }
  return {partitions, totalLag: partitions.reduce((sum, p) => sum + p.lag, 0)};
}

/** A member's assignment as kafkajs (and the Java client) encode it; empty when there is none or it is not a consumer's. */
export function decodeAssignment(protocolType: string, bytes: Buffer | null | undefined): TopicPartitions[] {
  if (protocolType !== 'consumer' || !bytes || bytes.length === 0) return [];
  try {
    const decoded = AssignerProtocol.MemberAssignment.decode(bytes);
    if (!decoded) return [];
    return Object.entries(decoded.assignment)
      .map(([topic, partitions]) => ({topic, partitions: [...partitions].sort((a, b) => a - b)}))
      .filter((a) => a.partitions.length > 0)
      .sort((a, b) => a.topic.localeCompare(b.topic));
  } catch {
    return []; // not the standard consumer encoding: show no assignment rather than fail
  }
}

// ---------------------------------------------------------------------------
// Talking to the cluster.

const noSuchGroup = (groupId: string) => new OperationError(`consumer group ${groupId} does not exist — \`kpat groups\` lists them`);

function toMembers(d: GroupDescription): GroupMember[] {
  return d.members
    .map((m) => ({
      memberId: m.memberId,
      clientId: m.clientId,
      clientHost: m.clientHost.replace(/^\//, ''),
      assignment: decodeAssignment(d.protocolType, m.memberAssignment),
    }))
    .sort((a, b) => a.memberId.localeCompare(b.memberId));
}

async function describeAll(admin: Admin, groupIds: string[]): Promise<GroupDescription[]> {
  if (groupIds.length === 0) return [];
  const {groups} = await admin.describeGroups(groupIds);
  return groups.sort((a, b) => a.groupId.localeCompare(b.groupId));
}

/** Group ids the cluster knows; with `groupId`, just that one, or a helpful error when it does not exist. */
async function groupIdsFor(admin: Admin, groupId?: string): Promise<string[]> {
  const listed = (await admin.listGroups()).groups.map((g) => g.groupId);
  if (groupId === undefined) return listed;
  if (!listed.includes(groupId)) throw noSuchGroup(groupId);
  return [groupId];
}

type Committed = Array<{topic: string; partition: number; offset: number | null}>;

/** OffsetFetch's answer with Kafka's -1 ("nothing committed") as null. */
function committedOf(fetched: Array<{topic: string; partitions: Array<{partition: number; offset: string}>}>): Committed {
  return fetched.flatMap((t) => t.partitions.map((p) => ({topic: t.topic, partition: p.partition, offset: Number(p.offset) >= 0 ? Number(p.offset) : null})));
}

function toDetail(d: GroupDescription, committed: Committed, topicOffsets: ReadonlyMap<string, PartitionOffsets[]>): GroupDetail {
  const members = toMembers(d);
  return {
    groupId: d.groupId,
    state: d.state,
    protocolType: d.protocolType,
    protocol: d.protocol,
    members,
    ...buildGroupLag({committed, topicOffsets, members}),
  };
}

/** Committed offsets, log start and end offsets, and owners for each described group. */
async function withLag(admin: Admin, descriptions: GroupDescription[]): Promise<GroupDetail[]> {
  const existing = new Set(await admin.listTopics());
  const offsetsByTopic = new Map<string, Promise<PartitionOffsets[]>>();
  const topicOffsets = (topic: string) => {
    let pending = offsetsByTopic.get(topic);
    if (!pending) {
      pending = fetchPartitionOffsets(admin, topic);
      offsetsByTopic.set(topic, pending);
    }
    return pending;
  };

  return Promise.all(
    descriptions.map(async (d) => {
      // No topic list: every partition the group has committed to (OffsetFetch with null topics).
      const committed = committedOf(await admin.fetchOffsets({groupId: d.groupId}));
      const topics = new Set([...committed.map((c) => c.topic), ...toMembers(d).flatMap((m) => m.assignment.map((a) => a.topic))]);
      const offsets = new Map<string, PartitionOffsets[]>();
      for (const topic of topics) if (existing.has(topic)) offsets.set(topic, await topicOffsets(topic));
      return toDetail(d, committed, offsets);
    }),
  );
}

/** Log start and end offset of every partition of `topic`, ordered by partition. */
export async function fetchPartitionOffsets(admin: Admin, topic: string): Promise<PartitionOffsets[]> {
  const list = await admin.fetchTopicOffsets(topic);
  return list.map((o) => ({partition: o.partition, start: Number(o.low), end: Number(o.high)})).sort((a, b) => a.partition - b.partition);
}

/** Groups that committed to `topic` or have a member assigned to it, ordered by id: whom a watcher of the topic shows. */
export async function groupsOnTopic(admin: Admin, topic: string): Promise<string[]> {
  const descriptions = await describeAll(admin, await groupIdsFor(admin));
  const found = await Promise.all(
    descriptions.map(async (d) => {
      if (toMembers(d).some((m) => m.assignment.some((a) => a.topic === topic))) return d.groupId;
      const committed = committedOf(await admin.fetchOffsets({groupId: d.groupId, topics: [topic]}));
      return committed.some((c) => c.offset !== null) ? d.groupId : null;
    }),
  );
  return found.filter((id): id is string => id !== null);
}

/**
 * One topic's partition offsets and the state, members and lag of each group on it, in
 * the order of `groupIds`: what a watcher polls. Committed offsets are read before end
 * offsets, as Kafka's own tools do, so a group never looks ahead of the log. A group that
 * does not exist (yet) gets a row per partition with nothing committed.
 */
export async function topicLag(admin: Admin, topic: string, groupIds: string[]): Promise<{offsets: PartitionOffsets[]; groups: GroupDetail[]}> {
  const described = await describeAll(admin, groupIds);
  const inOrder = groupIds.flatMap((id) => described.filter((d) => d.groupId === id));
  const committed = await Promise.all(inOrder.map(async (d) => committedOf(await admin.fetchOffsets({groupId: d.groupId, topics: [topic]}))));
  const offsets = await fetchPartitionOffsets(admin, topic);
  const topicOffsets = new Map([[topic, offsets]]);
  return {offsets, groups: inOrder.map((d, i) => toDetail(d, committed[i]!, topicOffsets))};
}

/** Every group the cluster knows, with its state, protocol and member count, ordered by id. */
export async function listGroups(conn: Connection): Promise<GroupSummary[]> {
  return withAdmin(conn, async (admin) => {
    const descriptions = await describeAll(admin, await groupIdsFor(admin));
    return descriptions.map((d) => ({
      groupId: d.groupId,
      state: d.state,
      protocolType: d.protocolType,
      protocol: d.protocol,
      members: d.members.length,
    }));
  });
}

/** One group: its members and their assignments, and committed offset, end and lag per partition. */
export async function describeGroup(conn: Connection, groupId: string): Promise<GroupDetail> {
  const [detail] = await groupLag(conn, {groupId});
  if (!detail) throw noSuchGroup(groupId);
  return detail;
}

/** Lag per partition with its owner, and totals, for every group (or just `groupId`). */
export async function groupLag(conn: Connection, opts: {groupId?: string} = {}): Promise<GroupDetail[]> {
  return withAdmin(conn, async (admin) => withLag(admin, await describeAll(admin, await groupIdsFor(admin, opts.groupId))));
}

/** State and members of one group; a group the cluster does not know is Dead with no members (Kafka's own answer). */
export async function groupMembership(admin: Admin, groupId: string): Promise<{state: string; members: GroupMember[]}> {
  const [d] = await describeAll(admin, [groupId]);
  return {state: d?.state ?? 'Dead', members: d ? toMembers(d) : []};
}

/** What a group committed: on every partition it committed to, or on every partition of `topics` (null where nothing is). */
export async function committedOffsets(admin: Admin, groupId: string, topics?: string[]): Promise<Committed> {
  return committedOf(await admin.fetchOffsets({groupId, topics}));
}
