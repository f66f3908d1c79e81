import {ConfigError} from '../../core/errors.js';
import type {ReplayTarget} from './target.js';

/** A topic to replay, and which of its partitions (all when absent). */
export interface TopicSelection {
  topic: string;
  partitions?: number[];
}

/** `--topic orders.v1` or `--topic orders.v1:0,2`. */
export function parseTopicSelection(text: string): TopicSelection {
  const i = text.lastIndexOf(':');
  if (i < 0) return {topic: text};
  const topic = text.slice(0, i);
  const list = text.slice(i + 1).split(',').map((p) => p.trim());
  if (topic === '' || list.some((p) => !/^\d+$/.test(p))) {
    throw new ConfigError(`--topic "${text}" should be TOPIC or TOPIC:PARTITION[,PARTITION] (e.g. orders.v1:0,2)`);
  }
  return {topic, partitions: [...new Set(list.map(Number))].sort((a, b) => a - b)};
}

/**
 * Which partitions a replay covers: the plan file's or the undo entry's own, the
 * topics named, every topic the group committed to (--all-topics), or — when none
 * is named — the group's one topic. Never a guess between several topics.
 */
export function resolveScope(
  group: string,
  target: ReplayTarget,
  req: {topics?: TopicSelection[]; allTopics?: boolean},
  committedTopics: string[],
  undoPartitions: Array<{topic: string; partition: number}> = [],
): TopicSelection[] {
  const named = (req.topics?.length ?? 0) > 0 || req.allTopics;
  if (target.kind === 'file' || target.kind === 'undo') {
    if (named) throw new ConfigError(`${target.kind === 'file' ? '--from-file' : '--undo'} names its own partitions: drop --topic and --all-topics`);
    const rows = target.kind === 'file' ? target.rows : undoPartitions;
    return groupByTopic(rows);
  }
  if (req.topics && req.topics.length > 0) {
    if (req.allTopics) throw new ConfigError('pass either --topic or --all-topics, not both');
    return mergeSelections(req.topics);
  }
  if (req.allTopics || committedTopics.length === 1) {
    if (committedTopics.length === 0) throw new ConfigError(`group ${group} has committed no offsets, so it has no topics yet — name one with --topic`);
    return [...committedTopics].sort().map((topic) => ({topic}));
  }
  if (committedTopics.length === 0) throw new ConfigError(`group ${group} has committed no offsets — name the topic it should read with --topic`);
  throw new ConfigError(`group ${group} has offsets on ${[...committedTopics].sort().join(', ')} — pass --topic for each one to move, or --all-topics`);
}

function groupByTopic(rows: Array<{topic: string; partition: number}>): TopicSelection[] {
  const byTopic = new Map<string, number[]>();
  for (const r of rows) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r.partition]);
  return [...byTopic].sort(([a], [b]) => a.localeCompare(b)).map(([topic, partitions]) => ({topic, partitions: partitions.sort((a, b) => a - b)}));
}

/** `--topic t:0 --topic t:2` is `t:0,2`; a bare `--topic t` anywhere means all of t. */
function mergeSelections(selections: TopicSelection[]): TopicSelection[] {
  const merged = new Map<string, Set<number> | 'all'>();
  for (const s of selections) {
    const have = merged.get(s.topic);
    if (!s.partitions || have === 'all') merged.set(s.topic, 'all');
    else merged.set(s.topic, new Set([...(have ?? []), ...s.partitions]));
  }
  return [...merged]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([topic, ps]) => (ps === 'all' ? {topic} : {topic, partitions: [...ps].sort((a, b) => a - b)}));
}
