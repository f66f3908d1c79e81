import type {OutgoingMessage} from '../../kafka/publisher.js';
import type {ConsumedRecord} from '../../kafka/records.js';
import {copyHeaders} from '../headers.js';
import type {LateRecord, WindowRemoved, WindowResult} from './events.js';

/** A result's key on the output topic: the grouping key and the window's bounds. */
export const windowedKey = (key: string, start: number, end: number) => `${key}@${start}/${end}`;

export function resultMessage(topic: string, r: WindowResult, headers?: Record<string, string>): OutgoingMessage {
  return {topic, key: windowedKey(r.key, r.start, r.end), value: JSON.stringify({key: r.key, start: r.start, end: r.end, value: r.value}), headers};
}

/** Update mode: a session a merge replaced has no result any more. */
export function tombstoneMessage(topic: string, r: WindowRemoved, headers?: Record<string, string>): OutgoingMessage {
  return {topic, key: windowedKey(r.key, r.start, r.end), value: null, headers};
}

export const LateHeader = {
  source: 'kpat.window.source',
  streamTime: 'kpat.window.stream-time',
  lateness: 'kpat.window.lateness-ms',
} as const;

/** The late record as it came, with where it came from and how late it was. */
export function lateMessage(topic: string, record: ConsumedRecord, late: LateRecord): OutgoingMessage {
  return {
    topic,
    key: record.key,
    value: record.value,
    timestamp: record.timestamp,
    headers: {
      ...copyHeaders(record),
      [LateHeader.source]: `${record.topic}/${record.partition}@${record.offset}`,
      [LateHeader.streamTime]: String(late.streamTime),
      [LateHeader.lateness]: String(late.lateness),
    },
  };
}
