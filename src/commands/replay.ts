import {Flags} from '@oclif/core';
import {KpatCommand, connectionFlags} from '../cli/base-command.js';
import {ConfigError, OperationError} from '../core/errors.js';
import {EventStream} from '../core/event-stream.js';
import type {ReplayEvent} from '../patterns/replay/events.js';
import {readPlanFile, writePlanFile} from '../patterns/replay/plan-file.js';
import {followCatchUp, replayedRanges} from '../patterns/replay/progress.js';
import {executeReplay, planReplay, waitUntilEmpty} from '../patterns/replay/replay.js';
import {parseTopicSelection} from '../patterns/replay/scope.js';
import {parseToTarget, type ReplayTarget} from '../patterns/replay/target.js';
import {parseDuration} from '../core/duration.js';
import {planHint, planJson, planTable, replayEventLine} from '../ui/replay.js';

export default class Replay extends KpatCommand {
  static override summary = 'Move a consumer group\'s committed offsets to replay (or skip) records — plan first, then --execute.';
  static override description = `Replaying is how you recover from a consumer bug, rebuild a read model or backfill: the group reads again from an earlier offset.
kpat first shows the plan, per partition: the committed offset now, the target, how many records that replays (or skips) and when those records were written. Nothing changes until you add --execute.

Targets (pick one):
  --to earliest | latest | OFFSET | DATETIME   DATETIME is ISO 8601 (local time without a zone): the first record at or after it; partitions with none go to the end
  --by-duration 15m                            the first record written at most that long ago (ms, s, m, h, d)
  --shift -N                                   N records back from the committed offset (+N skips ahead)
  --to-group G2                                where another group is
  --from-file plan.csv                         per-partition offsets: topic,partition,target (kafka-consumer-groups' topic,partition,offset CSV works too)
  --undo                                       back to the offsets saved before the last executed replay
Offsets outside a log are clamped to its range, with a note.

Safety: the group must be empty — a running consumer keeps its position in memory and would commit it over the new offsets, so kpat refuses and names the members (--wait waits for them to leave). Before executing, the offsets it replaces are saved under $KPAT_HOME/replay/<group>.json (last 10), and --undo puts them back. Consumers should apply records idempotently: a replay delivers records they have seen before.

--output json: one {"type":"replay-plan"} line per partition (records > 0 replays, < 0 skips), a {"type":"replay-summary"}, then {"type":"replay-executed"} when executed.`;
  static override examples = [
    '<%= config.bin %> replay --group payments --to earliest',
    '<%= config.bin %> replay --group payments --to 2024-05-01T10:00:00Z --execute',
    '<%= config.bin %> replay --group payments --topic payments.v1:0,2 --shift -100 --execute --wait',
    '<%= config.bin %> replay --group payments --by-duration 2h --export plan.csv',
    '<%= config.bin %> replay --group payments --from-file plan.csv --execute --follow',
    '<%= config.bin %> replay --group payments --undo --execute',
  ];
  static override flags = {
    ...connectionFlags,
    group: Flags.string({char: 'g', summary: 'The consumer group to move (`kpat groups` lists them).', required: true}),
    topic: Flags.string({char: 't', summary: 'Topic to move, or TOPIC:P,P for some partitions (repeatable). Default: the group\'s one topic.', multiple: true}),
    'all-topics': Flags.boolean({summary: 'Every topic the group has committed offsets on.'}),
    to: Flags.string({summary: 'earliest, latest, an offset, or an ISO-8601 date-time.'}),
    'by-duration': Flags.string({summary: 'Back to the records written within this long, e.g. 15m, 2h, 1d.'}),
    shift: Flags.integer({summary: 'Move by N records from the committed offset: negative replays, positive skips.'}),
    'to-group': Flags.string({summary: 'Where this other group is.'}),
    'from-file': Flags.string({summary: 'A plan CSV: topic,partition,target (as written by --export, or kafka-consumer-groups\' CSV).'}),
    undo: Flags.boolean({summary: 'Back to the offsets saved before the last executed replay of this group.'}),
    execute: Flags.boolean({summary: 'Apply the plan (default: only show it).'}),
    wait: Flags.boolean({summary: 'With --execute: wait until the group has no active members instead of refusing.'}),
    export: Flags.string({summary: 'Write the plan to this CSV file (topic,partition,target).'}),
    follow: Flags.boolean({summary: 'With --execute: then follow the group through the replayed records (replayed of total, rate, ETA, lag) until it is through.'}),
  };

  async run(): Promise<void> {
    const {flags} = await this.parse(Replay);
    for (const f of ['wait', 'follow'] as const) if (flags[f] && !flags.execute) throw new ConfigError(`--${f} goes with --execute`);
    const target = targetOf(flags);
    const conn = await this.connection(flags);
    const events = new EventStream<ReplayEvent>();
    let lastProgress = 0;
    events.subscribe((e) => {
      if (this.outputMode === 'json') return this.emitJson(e);
      if (e.type === 'replay-executed') return this.out(replayEventLine(e));
      if (e.type === 'replay-progress' && !e.done && Date.now() - lastProgress < 1000) return;
      lastProgress = Date.now();
      this.note(replayEventLine(e));
    });
    const abort = new AbortController();
    const stop = () => abort.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);

    // Wait before planning: offsets move while members consume, and a shift counts from where they stop.
    if (flags.wait && !(await waitUntilEmpty(conn, flags.group, {signal: abort.signal, events}))) {
      throw new OperationError(`stopped waiting for group ${flags.group} to empty: nothing was changed`);
    }
    const plan = await planReplay(conn, {
      group: flags.group,
      target,
      topics: flags.topic?.map(parseTopicSelection),
      allTopics: flags['all-topics'],
    });
    if (this.outputMode === 'json') for (const line of planJson(plan, Boolean(flags.execute))) this.emitJson(line);
    else this.out(planTable(plan));
    if (flags.export) {
      writePlanFile(flags.export, plan.rows.flatMap((r) => (r.target === null ? [] : [{topic: r.topic, partition: r.partition, target: r.target}])));
      this.note(`plan written to ${flags.export} — apply it later with --from-file ${flags.export} --execute`);
    }
    if (!flags.execute) {
      for (const hint of planHint(plan)) this.note(hint);
      return;
    }
    if (plan.totals.moving === 0 && !plan.deletesGroup) {
      this.note(`nothing to change: every partition of group ${flags.group} is already at its target`);
      return;
    }
    await executeReplay(conn, plan, {events});
    const ranges = replayedRanges(plan.rows);
    if (flags.follow && ranges.length > 0) {
      this.note(`following group ${flags.group} through the replayed records — start its consumers; Ctrl-C stops following (the replay stays applied)`);
      await followCatchUp(conn, {group: flags.group, ranges, events, signal: abort.signal});
    }
  }
}

type TargetFlags = {to?: string; 'by-duration'?: string; shift?: number; 'to-group'?: string; 'from-file'?: string; undo?: boolean; group: string};

/** The one target the flags name. */
function targetOf(flags: TargetFlags): ReplayTarget {
  const given = (['to', 'by-duration', 'shift', 'to-group', 'from-file', 'undo'] as const).filter((f) => flags[f] !== undefined && flags[f] !== false);
  if (given.length !== 1) {
    const choice = '--to earliest|latest|OFFSET|DATETIME, --by-duration 15m, --shift -N, --to-group G, --from-file plan.csv or --undo';
    throw new ConfigError(given.length === 0 ? `say where to move group ${flags.group}: ${choice}` : `pick one target, not ${given.map((f) => `--${f}`).join(' and ')}`);
  }
  switch (given[0]!) {
    case 'to':
      return parseToTarget(flags.to!);
    case 'by-duration': {
      const ms = parseDuration(flags['by-duration']!);
      if (ms === null) throw new ConfigError(`--by-duration must be a duration like 15m, 2h or 1d, got "${flags['by-duration']}"`);
      return {kind: 'duration', ms};
    }
    case 'shift':
      return {kind: 'shift', by: flags.shift!};
    case 'to-group':
      if (flags['to-group'] === flags.group) throw new ConfigError('--to-group names the group being moved: name another group');
      return {kind: 'group', groupId: flags['to-group']!};
    case 'from-file':
      return {kind: 'file', path: flags['from-file']!, rows: readPlanFile(flags['from-file']!, flags.group)};
    case 'undo':
      return {kind: 'undo'};
  }
}
