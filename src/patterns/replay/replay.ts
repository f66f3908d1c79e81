import {setTimeout as delay} from 'node:timers/promises';
import type {Admin} from 'kafkajs';
import {withAdmin} from '../../kafka/client.js';
import type {Connection} from '../../kafka/connection.js';
import {ConfigError, noSuchPartition, noSuchTopic, OperationError} from '../../core/errors.js';
import {commitOffsetsAsAdmin, deleteGroup, GroupInUseError, offsetsAtTime} from '../../kafka/group-offsets.js';
import {committedOffsets, fetchPartitionOffsets, groupMembership, type GroupMember, type MemberRef, type PartitionOffsets} from '../../kafka/groups.js';
import {recordsAt} from '../../kafka/records-at.js';
import type {EventStream} from '../../core/event-stream.js';
import type {ReplayEvent, ReplayExecution} from './events.js';
import {byPartition, moves, planPartition, planTotals, recordRange, type PartitionState, type PlanContext, type PlanRow, type PlanTotals} from './plan.js';
import {resolveScope, type TopicSelection} from './scope.js';
import {describeTarget, type ReplayTarget} from './target.js';
import {UndoStore, type UndoEntry} from './undo-store.js';

export interface ReplayRequest {
  group: string;
  target: ReplayTarget;
  /** Topics (and partitions) to move; default: the group's one topic. */
  topics?: TopicSelection[];
  /** Every topic the group has committed offsets on. */
  allTopics?: boolean;
  /** The clock for duration targets. */
  now?: number;
  store?: UndoStore;
}

export interface ReplayPlan {
  group: string;
  target: ReplayTarget;
  /** The time of a datetime or duration target (epoch ms), else null. */
  time: number | null;
  clusterId: string;
  brokers: string[];
  /** The group as it is now: executing refuses while it has members. */
  state: string;
  members: GroupMember[];
  rows: PlanRow[];
  totals: PlanTotals;
  /** The group has committed nothing anywhere yet. */
  groupIsNew: boolean;
  /** An undo plan: the saved entry it restores. */
  undo: UndoEntry | null;
  /** Undo of a replay that created the group: executing deletes the group, as it was. */
  deletesGroup: boolean;
}

import {plural} from '../../core/plural.js';

/** The replay refused: the group has members, whose consumers would overwrite the new offsets. */
export class GroupActiveError extends OperationError {
  constructor(group: string, members: MemberRef[]) {
    const who = members.slice(0, 5).map((m) => `${m.clientId} at ${m.clientHost} (${m.memberId})`);
    if (members.length > 5) who.push(`+${members.length - 5} more`);
    super(
      `consumer group ${group} has ${plural(members.length, 'active member')}: ${who.join(', ')} — ` +
        'offsets are moved only while a group is empty: a running consumer keeps its position in memory and commits it over the new offsets ' +
        '(and the coordinator refuses commits from outside an active group). Stop its consumers, or pass --wait to wait until they have left',
    );
  }
}

/** Where committed offsets should move and what that replays, per partition: nothing is changed. */
export async function planReplay(conn: Connection, req: ReplayRequest): Promise<ReplayPlan> {
  const store = req.store ?? new UndoStore();
  const time = req.target.kind === 'datetime' ? req.target.timestamp : req.target.kind === 'duration' ? (req.now ?? Date.now()) - req.target.ms : null;
  const plan = await withAdmin(conn, async (admin) => {
    const [{clusterId}, membership, committed, existing] = await Promise.all([
      admin.describeCluster(),
      groupMembership(admin, req.group),
      committedOffsets(admin, req.group),
      admin.listTopics(),
    ]);
    const undo = req.target.kind === 'undo' ? store.latest(req.group, clusterId) : null;
    if (req.target.kind === 'undo' && !undo) {
      throw new ConfigError(`nothing to undo for group ${req.group} on this cluster — offsets are saved in ${store.fileOf(req.group)} each time a replay is executed`);
    }
    const committedTopics = [...new Set(committed.filter((c) => c.offset !== null).map((c) => c.topic))];
    const scope = resolveScope(req.group, req.target, req, committedTopics, undo?.offsets);
    for (const s of scope) if (!existing.includes(s.topic)) throw noSuchTopic(s.topic);

    const groupIsNew = committedTopics.length === 0;
    // Undo of the replay that created the group: deleting it is the exact way back, if nothing was committed since elsewhere.
    const deletesGroup = undo !== null && undo.groupWasNew && committed.every((c) => c.offset === null || undo.offsets.some((o) => o.topic === c.topic && o.partition === c.partition));
    const ctx: PlanContext = {time: time ?? undefined, otherGroup: req.target.kind === 'group' ? req.target.groupId : undefined, savedAt: undo?.at, deletesGroup};
    const states = (await Promise.all(scope.map((s) => partitionStates(admin, req, s, committed, time, undo)))).flat().sort(byPartition);
    const rows = states.map((s) => planPartition(req.target, s, ctx));
    return {group: req.group, target: req.target, time, clusterId, brokers: conn.brokers, state: membership.state, members: membership.members, rows, groupIsNew, undo, deletesGroup};
  });
  await addRecordTimes(conn, plan.rows);
  return {...plan, totals: planTotals(plan.rows)};
}

/** The facts of each selected partition of one topic: committed, log range, and what the target needs. */
async function partitionStates(
  admin: Admin,
  req: ReplayRequest,
  sel: TopicSelection,
  committed: Array<{topic: string; partition: number; offset: number | null}>,
  time: number | null,
  undo: UndoEntry | null,
): Promise<PartitionState[]> {
  const offsets = await fetchPartitionOffsets(admin, sel.topic);
  const chosen = selectPartitions(sel, offsets);
  const target = req.target;
  const atTime = time !== null ? await offsetsAtTime(admin, sel.topic, time) : null;
  const other = target.kind === 'group' ? await committedOffsets(admin, target.groupId, [sel.topic]) : null;
  const offsetIn = (list: Array<{topic: string; partition: number; offset: number | null}>, p: number) => list.find((c) => c.topic === sel.topic && c.partition === p)?.offset ?? null;
  return chosen.map((o) => ({
    topic: sel.topic,
    partition: o.partition,
    current: offsetIn(committed, o.partition),
    start: o.start,
    end: o.end,
    ...(atTime ? {atTime: atTime.get(o.partition) ?? null} : {}),
    ...(other ? {otherGroup: offsetIn(other, o.partition)} : {}),
    ...(target.kind === 'file' ? {wanted: target.rows.find((r) => r.topic === sel.topic && r.partition === o.partition)!.offset} : {}),
    ...(undo ? {wanted: offsetIn(undo.offsets, o.partition)} : {}),
  }));
}

function selectPartitions(sel: TopicSelection, offsets: PartitionOffsets[]): PartitionOffsets[] {
  if (!sel.partitions) return offsets;
  return sel.partitions.map((p) => {
    const found = offsets.find((o) => o.partition === p);
    if (!found) throw noSuchPartition(sel.topic, p, offsets.length);
    return found;
  });
}

/** The timestamps of the first and last record each row replays or skips, read from the log. */
async function addRecordTimes(conn: Connection, rows: PlanRow[]): Promise<void> {
  const topics = [...new Set(rows.map((r) => r.topic))];
  await Promise.all(
    topics.map(async (topic) => {
      const ranged = rows.filter((r) => r.topic === topic).map((row) => ({row, range: recordRange(row)}));
      const withRange = ranged.filter((x): x is {row: PlanRow; range: {first: number; last: number}} => x.range !== null);
      const [first, last] = await Promise.all([
        recordsAt(conn, topic, new Map(withRange.map((x) => [x.row.partition, x.range.first]))),
        recordsAt(conn, topic, new Map(withRange.map((x) => [x.row.partition, x.range.last]))),
      ]);
      for (const {row} of withRange) {
        row.fromTime = first.get(row.partition)?.timestamp ?? null;
        row.toTime = last.get(row.partition)?.timestamp ?? null;
      }
    }),
  );
}

/**
 * Applies a plan: checks again that the group is empty, saves the offsets it replaces
 * (so `--undo` can restore them), then commits the new ones in one request. An undo
 * plan restores its entry and drops it from the history.
 */
export async function executeReplay(conn: Connection, plan: ReplayPlan, opts: {store?: UndoStore; events?: EventStream<ReplayEvent>} = {}): Promise<ReplayExecution> {
  const store = opts.store ?? new UndoStore();
  const members = async () => (await withAdmin(conn, (admin) => groupMembership(admin, plan.group))).members;
  const present = await members();
  if (present.length > 0) throw new GroupActiveError(plan.group, present);

  const moving = plan.rows.filter(moves);
  const saved: UndoEntry | null =
    plan.undo || moving.length === 0
      ? null
      : {
          id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
          at: new Date().toISOString(),
          clusterId: plan.clusterId,
          brokers: plan.brokers,
          target: describeTarget(plan.target, plan.time),
          offsets: plan.rows.map((r) => ({topic: r.topic, partition: r.partition, offset: r.current})),
          groupWasNew: plan.groupIsNew,
        };
  if (saved) store.save(plan.group, saved);
  try {
    if (plan.deletesGroup) await deleteGroup(conn, plan.group);
    else await commitOffsetsAsAdmin(conn, plan.group, moving.map((r) => ({topic: r.topic, partition: r.partition, offset: r.target!})));
  } catch (error) {
    if (saved) store.remove(plan.group, saved.id);
    // A consumer joined after the check: name it, as above.
    if (error instanceof GroupInUseError) throw new GroupActiveError(plan.group, await members());
    throw error;
  }
  if (plan.undo) store.remove(plan.group, plan.undo.id);
  const done: ReplayExecution = {
    type: 'replay-executed',
    at: Date.now(),
    group: plan.group,
    moved: plan.deletesGroup ? plan.rows.length : moving.length,
    records: plan.totals.replays,
    skipped: plan.totals.skips,
    undo: plan.undo !== null,
    undoFile: store.fileOf(plan.group),
  };
  opts.events?.emit(done);
  return done;
}

/**
 * Waits until the group has no members, reporting who is still there whenever that
 * changes. False when `signal` stopped the wait first.
 */
export async function waitUntilEmpty(conn: Connection, group: string, opts: {signal?: AbortSignal; events?: EventStream<ReplayEvent>; intervalMs?: number} = {}): Promise<boolean> {
  return withAdmin(conn, async (admin) => {
    let last = '';
    while (!opts.signal?.aborted) {
      const {state, members} = await groupMembership(admin, group);
      if (members.length === 0) return true;
      const who = members.map((m) => m.memberId).join(',');
      if (who !== last) {
        last = who;
        opts.events?.emit({type: 'replay-waiting', at: Date.now(), group, state, members: members.map(({memberId, clientId, clientHost}) => ({memberId, clientId, clientHost}))});
      }
      await delay(opts.intervalMs ?? 500, undefined, {signal: opts.signal}).catch(() => {}); // aborted: the loop ends
    }
    return false;
  });
}
