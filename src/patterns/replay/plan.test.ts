import {describe, expect, it} from 'vitest';
import {catchUpOf, replayedRanges} from './progress.js';
import {planPartition, planTotals, recordRange, type PartitionState} from './plan.js';

const state = (over: Partial<PartitionState> = {}): PartitionState => ({topic: 't', partition: 0, current: 50, start: 10, end: 100, ...over});

describe('planPartition', () => {
  it('earliest and latest go to the log start and end; records count replays (+) and skips (−)', () => {
    expect(planPartition({kind: 'earliest'}, state())).toMatchObject({target: 10, records: 40, notes: []});
    expect(planPartition({kind: 'latest'}, state())).toMatchObject({target: 100, records: -50, notes: []});
  });

  it('clamps an offset to the log with a note naming why', () => {
    expect(planPartition({kind: 'offset', offset: 30}, state())).toMatchObject({target: 30, records: 20, notes: []});
    const below = planPartition({kind: 'offset', offset: 3}, state());
    expect(below).toMatchObject({target: 10, records: 40});
    expect(below.notes).toEqual(['offset 3 is before the log start 10 (older records were deleted): clamped to 10']);
    const past = planPartition({kind: 'offset', offset: 500}, state());
    expect(past).toMatchObject({target: 100, records: -50});
    expect(past.notes).toEqual(['offset 500 is past the end 100: clamped to 100']);
  });

  it('a datetime goes to the first offset at or after it, or to the end when no record is', () => {
    expect(planPartition({kind: 'datetime', timestamp: 5}, state({atTime: 42}))).toMatchObject({target: 42, records: 8, notes: []});
    const none = planPartition({kind: 'datetime', timestamp: Date.UTC(2030, 0, 1)}, state({atTime: null}), {time: Date.UTC(2030, 0, 1)});
    expect(none).toMatchObject({target: 100, records: -50});
    expect(none.notes).toEqual(['no record at or after 2030-01-01T00:00:00.000Z: moves to the end']);
  });

  it('shifts from the committed offset, and leaves a partition with nothing committed as it is', () => {
    expect(planPartition({kind: 'shift', by: -15}, state())).toMatchObject({target: 35, records: 15});
    expect(planPartition({kind: 'shift', by: 5}, state())).toMatchObject({target: 55, records: -5});
    expect(planPartition({kind: 'shift', by: -100}, state())).toMatchObject({target: 10, records: 40});
    const uncommitted = planPartition({kind: 'shift', by: -5}, state({current: null}));
    expect(uncommitted).toMatchObject({target: null, records: null});
    expect(uncommitted.notes[0]).toMatch(/nothing committed here/);
  });

  it('copies another group where it has an offset', () => {
    expect(planPartition({kind: 'group', groupId: 'g2'}, state({otherGroup: 70}))).toMatchObject({target: 70, records: -20});
    expect(planPartition({kind: 'group', groupId: 'g2'}, state({otherGroup: null})).notes).toEqual(['group g2 has nothing committed here: left as it is']);
  });

  it('undo restores the saved offset exactly, even outside the log, and cannot un-commit', () => {
    expect(planPartition({kind: 'undo'}, state({wanted: 5}))).toMatchObject({target: 5, notes: []});
    expect(planPartition({kind: 'undo'}, state({wanted: null})).target).toBeNull();
    expect(planPartition({kind: 'undo'}, state({wanted: null}), {deletesGroup: true}).notes[0]).toMatch(/undo deletes it/);
  });

  it('counts from where the group really stands when its offset is outside the log', () => {
    const behind = planPartition({kind: 'earliest'}, state({current: 4}));
    expect(behind).toMatchObject({target: 10, records: 0});
    expect(behind.notes[0]).toMatch(/committed offset 4 is outside the log \(10–100\)/);
  });
});

describe('ranges and totals', () => {
  it('names the first and last record a row replays or skips', () => {
    expect(recordRange(planPartition({kind: 'earliest'}, state()))).toEqual({first: 10, last: 49});
    expect(recordRange(planPartition({kind: 'latest'}, state()))).toEqual({first: 50, last: 99});
    expect(recordRange(planPartition({kind: 'offset', offset: 50}, state()))).toBeNull();
  });

  it('sums replays and skips over partitions and spans their times', () => {
    const rows = [planPartition({kind: 'shift', by: -10}, state()), planPartition({kind: 'shift', by: 3}, state({partition: 1})), planPartition({kind: 'shift', by: 0}, state({partition: 2}))];
    rows[0]!.fromTime = 1000;
    rows[0]!.toTime = 2000;
    rows[1]!.fromTime = 500;
    rows[1]!.toTime = 600;
    expect(planTotals(rows)).toEqual({partitions: 3, moving: 2, replays: 10, skips: 3, fromTime: 500, toTime: 2000});
  });

  it('follows a group through its replayed ranges from its commits', () => {
    const rows = [planPartition({kind: 'earliest'}, state()), planPartition({kind: 'latest'}, state({partition: 1}))];
    const ranges = replayedRanges(rows);
    expect(ranges).toEqual([{topic: 't', partition: 0, from: 10, to: 50}]);
    const at = (n: number | null) => new Map([['t\u00000', n]]);
    const ends = new Map([['t\u00000', 120]]);
    expect(catchUpOf(ranges, at(10), ends)).toEqual({replayed: 0, total: 40, lag: 110});
    expect(catchUpOf(ranges, at(30), ends)).toEqual({replayed: 20, total: 40, lag: 90});
    expect(catchUpOf(ranges, at(60), ends)).toEqual({replayed: 40, total: 40, lag: 60});
    expect(catchUpOf(ranges, at(null), ends)).toEqual({replayed: 0, total: 40, lag: 110});
  });
});
