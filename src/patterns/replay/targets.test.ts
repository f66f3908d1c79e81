import {describe, expect, it} from 'vitest';
import {formatPlanFile, parsePlanFile} from './plan-file.js';
import {parseTopicSelection, resolveScope} from './scope.js';
import {parseDateTime, parseToTarget} from './target.js';

describe('--to', () => {
  it('reads earliest, latest, offsets and ISO-8601 date-times', () => {
    expect(parseToTarget('earliest')).toEqual({kind: 'earliest'});
    expect(parseToTarget('LATEST')).toEqual({kind: 'latest'});
    expect(parseToTarget('1200')).toEqual({kind: 'offset', offset: 1200});
    expect(parseToTarget('2024-05-01T10:00:00Z')).toEqual({kind: 'datetime', timestamp: Date.UTC(2024, 4, 1, 10)});
    expect(parseToTarget('2024-05-01T12:00:00.250+02:00')).toEqual({kind: 'datetime', timestamp: Date.UTC(2024, 4, 1, 10, 0, 0, 250)});
    expect(parseDateTime('2024-05-01T12:00+0200')).toBe(Date.UTC(2024, 4, 1, 10));
  });

  it('takes a date-time without a zone, or a bare date, as local time', () => {
    expect(parseDateTime('2024-05-01T10:30')).toBe(new Date(2024, 4, 1, 10, 30).getTime());
    expect(parseDateTime('2024-05-01')).toBe(new Date(2024, 4, 1).getTime());
  });

  it('names the forms it accepts when it cannot read one', () => {
    for (const bad of ['-5', 'yesterday', '2024-13-01', '2024-05-01T25:00']) {
      expect(() => parseToTarget(bad)).toThrow(/earliest, latest, an offset .* ISO-8601 date-time/);
    }
  });
});

describe('plan files', () => {
  it('round-trips kpat\'s own CSV', () => {
    const rows = [
      {topic: 'a.v1', partition: 0, offset: 12},
      {topic: 'a.v1', partition: 2, offset: 0},
    ];
    const text = formatPlanFile(rows.map((r) => ({topic: r.topic, partition: r.partition, target: r.offset})));
    expect(text).toBe('topic,partition,target\na.v1,0,12\na.v1,2,0\n');
    expect(parsePlanFile(text, 'g')).toEqual(rows);
  });

  it('reads kafka-consumer-groups\' reset-offsets CSV, with or without the group column', () => {
    expect(parsePlanFile('a.v1,0,5\r\na.v1,1,7\r\n', 'g')).toEqual([
      {topic: 'a.v1', partition: 0, offset: 5},
      {topic: 'a.v1', partition: 1, offset: 7},
    ]);
    expect(parsePlanFile('g,a.v1,0,5\nother,a.v1,0,9\n', 'g')).toEqual([{topic: 'a.v1', partition: 0, offset: 5}]);
    expect(() => parsePlanFile('other,a.v1,0,9\n', 'g', 'x.csv')).toThrow('x.csv has no offsets for group g (it has rows for other)');
  });

  it('names the line of a bad row or a repeated partition', () => {
    expect(() => parsePlanFile('topic,partition,target\na.v1,zero,5\n', 'g', 'p.csv')).toThrow(/^p\.csv:2: expected topic,partition,target/);
    expect(() => parsePlanFile('a.v1,0,5\na.v1,0,6\n', 'g', 'p.csv')).toThrow('p.csv:2: a.v1 partition 0 appears twice');
    expect(() => parsePlanFile('a.v1,0,-1\n', 'g', 'p.csv')).toThrow(/offset ≥ 0/);
  });
});

describe('scope', () => {
  it('parses TOPIC and TOPIC:P,P', () => {
    expect(parseTopicSelection('orders.v1')).toEqual({topic: 'orders.v1'});
    expect(parseTopicSelection('orders.v1:2,0,2')).toEqual({topic: 'orders.v1', partitions: [0, 2]});
    expect(() => parseTopicSelection('orders.v1:x')).toThrow(/TOPIC:PARTITION/);
  });

  it('takes the group\'s one topic, and never guesses between several', () => {
    const earliest = {kind: 'earliest'} as const;
    expect(resolveScope('g', earliest, {}, ['a'])).toEqual([{topic: 'a'}]);
    expect(() => resolveScope('g', earliest, {}, ['b', 'a'])).toThrow('group g has offsets on a, b — pass --topic for each one to move, or --all-topics');
    expect(resolveScope('g', earliest, {allTopics: true}, ['b', 'a'])).toEqual([{topic: 'a'}, {topic: 'b'}]);
    expect(() => resolveScope('g', earliest, {}, [])).toThrow(/committed no offsets — name the topic/);
    expect(resolveScope('g', earliest, {topics: [{topic: 'a', partitions: [1]}, {topic: 'a', partitions: [0]}]}, [])).toEqual([{topic: 'a', partitions: [0, 1]}]);
  });

  it('lets a plan file or an undo entry name its own partitions', () => {
    const file = {kind: 'file', path: 'p.csv', rows: [{topic: 'b', partition: 1, offset: 3}, {topic: 'a', partition: 0, offset: 1}]} as const;
    expect(resolveScope('g', {...file, rows: [...file.rows]}, {}, ['x'])).toEqual([{topic: 'a', partitions: [0]}, {topic: 'b', partitions: [1]}]);
    expect(() => resolveScope('g', {...file, rows: [...file.rows]}, {topics: [{topic: 'a'}]}, [])).toThrow(/--from-file names its own partitions/);
  });
});
