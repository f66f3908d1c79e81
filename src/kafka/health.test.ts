import {describe, expect, it} from 'vitest';
import {evaluateHealth, worstHealth, type HealthWindow, type OffsetSample} from './health.js';
import {keepWindow, ratePerSecond} from './sample-window.js';

const WINDOW: HealthWindow = {windowMs: 10_000, stallMs: 4_000};

/**
 * A scripted history: one poll per second from t=0, each [committed, end].
 * Replays it through keepWindow as the poller does, returning the verdict after each poll.
 */
function replay(polls: Array<[committed: number, end: number]>, window = WINDOW): string[] {
  let history: OffsetSample[] = [];
  return polls.map(([committed, end], i) => {
    const now = i * 1000;
    history = keepWindow([...history, {at: now, committed, lag: Math.max(0, end - committed)}], now, window.windowMs);
    return evaluateHealth(history, now, window) ?? '-';
  });
}

const repeat = <T,>(n: number, f: (i: number) => T) => Array.from({length: n}, (_, i) => f(i));

describe('evaluateHealth on scripted histories', () => {
  it('is OK for a consumer that keeps up, even when it sits idle with nothing to read', () => {
    expect(replay(repeat(15, (i) => [i * 10, i * 10]))).toEqual(repeat(15, () => 'OK'));
    expect(replay(repeat(30, () => [50, 50]))).toEqual(repeat(30, () => 'OK'));
  });

  it('is OK while lag stays flat or shrinks with commits moving', () => {
    expect(replay(repeat(12, (i) => [i * 10, i * 10 + 7]))).toEqual(repeat(12, () => 'OK'));
    expect(replay(repeat(12, (i) => [i * 20, 100 + i * 10]))).toEqual(repeat(12, () => 'OK'));
  });

  it('is WARN once lag has grown over three polls without ever shrinking, though commits move', () => {
    // The producer writes 10/s, the consumer commits 5/s.
    expect(replay(repeat(6, (i) => [i * 5, 10 + i * 10]))).toEqual(['OK', 'OK', 'WARN', 'WARN', 'WARN', 'WARN']);
  });

  it('goes WARN → STALL → STOP when the group stops committing while records arrive', () => {
    // Caught up at 100 until t=2s, then stuck at 100 while 10 records/s arrive.
    const polls = repeat(16, (i): [number, number] => [100, i <= 2 ? 100 : 100 + (i - 2) * 10]);
    const verdicts = replay(polls);
    expect(verdicts.slice(0, 3)).toEqual(['OK', 'OK', 'OK']);
    // Lag is growing, but lag was 0 within the window, so not yet WARN.
    expect(verdicts[3]).toBe('OK');
    // Stuck since the first poll with lag (t=3s): STALL from 3+4=7s, STOP after 3+10=13s.
    expect(verdicts.slice(4, 7)).toEqual(['OK', 'OK', 'OK']);
    expect(verdicts.slice(7, 14)).toEqual(repeat(7, () => 'STALL'));
    expect(verdicts.slice(14)).toEqual(['STOP', 'STOP']);
  });

  it('is STOP when nothing was committed for longer than the window, even with no new records', () => {
    // Stopped with 30 records unread from the start of the watch.
    expect(replay(repeat(13, () => [70, 100]))).toEqual([...repeat(4, () => 'OK'), ...repeat(7, () => 'STALL'), 'STOP', 'STOP']);
  });

  it('measures STOP with the anchor before the window when only that shows how long the offset held', () => {
    const history: OffsetSample[] = [
      {at: 0, committed: 5, lag: 3},
      {at: 11_000, committed: 5, lag: 3},
    ];
    expect(evaluateHealth(history, 11_000, WINDOW)).toBe('STOP');
  });

  it('is REWIND while a backwards move of the committed offset is inside the window, whatever the lag', () => {
    const polls: Array<[number, number]> = [[50, 60], [60, 60], [10, 60], [60, 60], ...repeat(10, (): [number, number] => [60, 60])];
    const verdicts = replay(polls);
    expect(verdicts.slice(0, 2)).toEqual(['OK', 'OK']);
    // The reset happened at t=2s: REWIND until it leaves the 10 s window.
    expect(verdicts.slice(2, 13)).toEqual(repeat(11, () => 'REWIND'));
    expect(verdicts[13]).toBe('OK');
  });

  it('cannot judge without a sample in the window', () => {
    expect(evaluateHealth([], 0, WINDOW)).toBeNull();
    expect(evaluateHealth([{at: 0, committed: 1, lag: 5}], 20_000, WINDOW)).toBeNull();
  });

  it('takes `now` from the caller: the same stuck samples judged later get worse, then too old to judge', () => {
    const history: OffsetSample[] = [
      {at: 1000, committed: 5, lag: 2},
      {at: 9000, committed: 5, lag: 2},
    ];
    expect(evaluateHealth(history, 9000, WINDOW)).toBe('STALL');
    expect(evaluateHealth(history.slice(0, 1), 1000, WINDOW)).toBe('OK');
    expect(evaluateHealth(history, 11_001, WINDOW)).toBe('STOP');
    expect(evaluateHealth(history, 19_001, WINDOW)).toBeNull();
  });
});

describe('worstHealth', () => {
  it('orders STOP > STALL > REWIND > WARN > OK and ignores partitions it cannot judge', () => {
    expect(worstHealth(['OK', 'WARN', null])).toBe('WARN');
    expect(worstHealth(['REWIND', 'WARN'])).toBe('REWIND');
    expect(worstHealth(['REWIND', 'STALL', 'OK'])).toBe('STALL');
    expect(worstHealth(['STALL', 'STOP'])).toBe('STOP');
    expect(worstHealth([null, null])).toBeNull();
  });
});

describe('keepWindow and ratePerSecond', () => {
  const samples = [0, 1000, 2000, 3000, 4000].map((at, i) => ({at, end: i * 25}));

  it('keeps the samples inside the window plus the newest one before it', () => {
    expect(keepWindow(samples, 4000, 1500).map((s) => s.at)).toEqual([2000, 3000, 4000]);
    expect(keepWindow(samples, 4000, 2000).map((s) => s.at)).toEqual([1000, 2000, 3000, 4000]);
    expect(keepWindow(samples, 10_000, 2000).map((s) => s.at)).toEqual([4000]);
  });

  it('gives growth per second between the oldest and newest kept sample', () => {
    expect(ratePerSecond(samples, (s) => s.end)).toBe(25);
    expect(ratePerSecond(samples.slice(0, 1), (s) => s.end)).toBe(0);
    expect(ratePerSecond([{at: 0, end: 10}, {at: 500, end: 0}], (s) => s.end)).toBe(0);
  });
});
