import type {MemberRef} from '../kafka/groups.js';
import type {ReplayEvent, ReplayExecution, ReplayProgress} from '../patterns/replay/events.js';
import type {PlanRow} from '../patterns/replay/plan.js';
import type {ReplayPlan} from '../patterns/replay/replay.js';
import {describeTarget} from '../patterns/replay/target.js';
import {groupStateLine} from './groups.js';
import {formatRate} from './kit/format.js';
import {formatDuration, NONE, renderTable} from './table.js';

/** Plain and NDJSON renderings of `kpat replay`: the plan, what was executed, waiting and progress. */

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
import {plural} from '../core/plural.js';

/** "replay 120", "skip 30", "0", or "-" when nothing is committed to count from. */
function recordsText(r: PlanRow): string | number {
  if (r.records === null) return NONE;
  if (r.records > 0) return `replay ${r.records}`;
  if (r.records < 0) return `skip ${-r.records}`;
  return 0;
}

function targetLine(plan: ReplayPlan): string {
  const what = describeTarget(plan.target, plan.time);
  const ago = plan.target.kind === 'duration' ? ` (${formatDuration(plan.target.ms)} ago)` : '';
  return plan.undo ? `undo the replay of ${plan.undo.at} (to ${plan.undo.target}): back to the offsets saved before it` : `replay to ${what}${ago}`;
}

/** The plan as a table with its totals, notes under it. */
export function planTable(plan: ReplayPlan): string {
  const t = plan.totals;
  const lines = [
    groupStateLine({groupId: plan.group, state: plan.state, protocolType: '', protocol: '', members: plan.members.length}),
    targetLine(plan),
    '',
    renderTable(
      ['TOPIC', 'PARTITION', 'CURRENT', 'TARGET', 'RECORDS', 'FROM', 'TO'],
      plan.rows.map((r) => [r.topic, r.partition, r.current ?? NONE, r.target ?? NONE, recordsText(r), iso(r.fromTime) ?? NONE, iso(r.toTime) ?? NONE]),
    ),
    '',
  ];
  const span = t.fromTime !== null && t.toTime !== null ? ` (written ${iso(t.fromTime)} – ${iso(t.toTime)}, ${formatDuration(t.toTime - t.fromTime)})` : '';
  const counts = [`${plural(t.replays, 'record')} replayed`, ...(t.skips > 0 ? [`${plural(t.skips, 'record')} skipped`] : [])];
  lines.push(`${counts.join(' · ')}${span} · ${t.moving} of ${plural(t.partitions, 'partition')} move`);
  if (plan.deletesGroup) lines.push(`the group had committed nothing before that replay: undo deletes group ${plan.group}`);
  for (const r of plan.rows) for (const n of r.notes) lines.push(`  ${r.topic}[${r.partition}]: ${n}`);
  if (plan.rows.some((r) => r.current === null)) lines.push('CURRENT "-": nothing committed there yet');
  return lines.join('\n');
}

/** What to tell someone who only looked at the plan. */
export function planHint(plan: ReplayPlan): string[] {
  const hints = [`plan only, nothing changed — add --execute to apply it${plan.undo ? '' : ' (the current offsets are saved first, for --undo)'}`];
  if (plan.members.length > 0) hints.push(`group ${plan.group} has ${plural(plan.members.length, 'active member')}: --execute refuses until they stop (or add --wait)`);
  return hints;
}

/** One `replay-plan` line per partition, then the `replay-summary`. */
export function planJson(plan: ReplayPlan, execute: boolean): object[] {
  const t = plan.totals;
  return [
    ...plan.rows.map((r) => ({
      type: 'replay-plan',
      group: plan.group,
      topic: r.topic,
      partition: r.partition,
      current: r.current,
      target: r.target,
      records: r.records,
      fromTime: iso(r.fromTime),
      toTime: iso(r.toTime),
      note: r.notes.length > 0 ? r.notes.join('; ') : null,
    })),
    {
      type: 'replay-summary',
      group: plan.group,
      target: describeTarget(plan.target, plan.time),
      state: plan.state,
      members: plan.members.map(({memberId, clientId, clientHost}) => ({memberId, clientId, clientHost})),
      partitions: t.partitions,
      moving: t.moving,
      records: t.replays,
      skipped: t.skips,
      fromTime: iso(t.fromTime),
      toTime: iso(t.toTime),
      undo: plan.undo ? {savedAt: plan.undo.at, replay: plan.undo.target, deletesGroup: plan.deletesGroup} : null,
      execute,
    },
  ];
}

const membersText = (members: MemberRef[]) => members.map((m) => `${m.clientId} at ${m.clientHost}`).join(', ');

export function executedLine(e: ReplayExecution): string {
  if (e.undo) return `undone: group ${e.group} is back where it was (${plural(e.moved, 'partition')} restored)`;
  const effect = [e.records > 0 ? `read ${plural(e.records, 'record')} again` : '', e.skipped > 0 ? `skip ${plural(e.skipped, 'record')}` : ''].filter(Boolean).join(' and ');
  return `executed: group ${e.group} moved on ${plural(e.moved, 'partition')}; its consumers ${effect || 'read on from the same records'} when they start — the previous offsets are saved in ${e.undoFile} (undo: kpat replay --group ${e.group} --undo --execute)`;
}

/** "1200/2000 replayed (60%) · 850.0/s · ETA 1s · lag 800". */
export function replayProgressLine(p: ReplayProgress): string {
  const pct = p.total === 0 ? 100 : Math.floor((p.replayed / p.total) * 100);
  const eta = p.done ? 'done' : p.etaMs === null ? 'ETA -' : `ETA ${p.etaMs < 1000 ? '<1s' : formatDuration(p.etaMs)}`;
  return `${p.replayed}/${p.total} replayed (${pct}%) · ${formatRate(p.ratePerSec)}/s · ${eta} · lag ${p.lag}`;
}

/** The plain line for each replay event. */
export function replayEventLine(e: ReplayEvent): string {
  switch (e.type) {
    case 'replay-waiting':
      return `waiting for group ${e.group} to empty (${e.state}): ${plural(e.members.length, 'member')} left — ${membersText(e.members)}`;
    case 'replay-executed':
      return executedLine(e);
    case 'replay-progress':
      return replayProgressLine(e);
  }
}
