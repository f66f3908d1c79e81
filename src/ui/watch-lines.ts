import {recordMatches, recordToJson, type ConsumedRecord} from '../kafka/records.js';
import type {TopicWatchSources} from '../kafka/topic-watch.js';
import type {ConnectionStatus, GroupLagSnapshot} from '../kafka/topic-poller.js';
import {headersSummary, previewKey, previewValue, recordPosition, recordTime} from './record-format.js';
import {NONE} from './table.js';
import {plural} from '../core/plural.js';

/** `kpat watch` without the live view: one line per record, and each group's lag every few seconds. */

/** `14:03:07.250  0@42  o-1  source=cli  {"orderId":"o-1"}` */
export function recordLine(r: ConsumedRecord): string {
  const headers = headersSummary(r.headers);
  return [recordTime(r.timestamp), recordPosition(r), previewKey(r.key) || NONE, ...(headers ? [headers] : []), previewValue(r.value)].join('  ');
}

export function recordJson(r: ConsumedRecord): object {
  return {type: 'record', ...recordToJson(r)};
}

/** `lag audit on orders.v1 (Stable, 2 members): 12 · p0 3 OK · p1 9 STALL` */
export function groupLagLine(topic: string, g: GroupLagSnapshot): string {
  const parts = g.partitions.map((p) => `p${p.partition} ${p.lag} ${p.health ?? NONE}`);
  return [`lag ${g.groupId} on ${topic} (${g.state}, ${plural(g.members, 'member')}): ${g.totalLag}`, ...parts].join(' · ');
}

export function groupLagJson(topic: string, g: GroupLagSnapshot): object {
  return {
    type: 'group-lag',
    group: g.groupId,
    topic,
    state: g.state,
    members: g.members,
    totalLag: g.totalLag,
    health: g.health,
    partitions: g.partitions.map((p) => ({partition: p.partition, committed: p.committed, end: p.end, lag: p.lag, health: p.health})),
  };
}

export interface WatchLinesOptions {
  json: boolean;
  /** Print only records matching this (see recordMatches). */
  filter?: string;
  /** Resolve after printing this many records. */
  max?: number;
  /** Print each group's lag this often. */
  lagEveryMs?: number;
  /** Resolve when this aborts (SIGINT, SIGTERM). */
  signal: AbortSignal;
  out(line: string): void;
  emitJson(value: object): void;
  /** Connection changes in plain mode (stderr). */
  note(line: string): void;
}

/** Prints until `max` records or the signal; resolves with how many records were printed. */
export function printWatchLines(watch: TopicWatchSources, opts: WatchLinesOptions): Promise<number> {
  const lagEveryMs = opts.lagEveryMs ?? 5000;
  let printed = 0;
  let lastLagAt = -Infinity;
  let lastState: ConnectionStatus['state'] | null = null;

  return new Promise((resolve) => {
    const unsubscribes: Array<() => void> = [];
    const finish = () => {
      for (const unsubscribe of unsubscribes) unsubscribe();
      opts.signal.removeEventListener('abort', finish);
      resolve(printed);
    };
    if (opts.signal.aborted) return finish();
    opts.signal.addEventListener('abort', finish);

    const onConnection = (c: ConnectionStatus) => {
      if (c.state === lastState || c.state === 'connecting') return;
      const first = lastState === null;
      lastState = c.state;
      if (first && c.state === 'connected') return;
      if (opts.json) opts.emitJson({type: 'connection', state: c.state, brokers: c.brokers, ...(c.error ? {error: c.error} : {})});
      else opts.note(c.state === 'connected' ? `connected again to ${c.brokers.join(',')}` : `${c.error ?? 'connection lost'} — retrying`);
    };
    const onSnapshot = () => {
      const s = watch.snapshots.current();
      if (s.at === 0 || s.at - lastLagAt < lagEveryMs) return;
      lastLagAt = s.at;
      for (const g of s.groups) {
        if (opts.json) opts.emitJson(groupLagJson(s.topic, g));
        else opts.out(groupLagLine(s.topic, g));
      }
    };
    const onRecord = (r: ConsumedRecord) => {
      if (opts.max !== undefined && printed >= opts.max) return;
      if (opts.filter && !recordMatches(r, opts.filter)) return;
      if (opts.json) opts.emitJson(recordJson(r));
      else opts.out(recordLine(r));
      printed++;
      if (opts.max !== undefined && printed >= opts.max) finish();
    };

    onConnection(watch.connection.current());
    onSnapshot();
    unsubscribes.push(watch.connection.subscribe(onConnection), watch.snapshots.subscribe(onSnapshot), watch.records.subscribe(onRecord));
  });
}
