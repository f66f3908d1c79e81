import {afterEach, describe, expect, it} from 'vitest';
import {openLog, TestDirs} from '../log/log-test-kit.js';
import {ErrorCode} from '../protocol/errors.js';
import {encodeRecordBatch} from '../protocol/record-batch.js';
import {ProducerIdAllocator} from './producer-ids.js';
import {rebuild} from './producer-registry.js';
import {addToSequence, PartitionProducers, type ProducerBatch, type Verdict} from './producer-state.js';

const INT32_MAX = 2147483647;

/** A batch of `count` records from producer `pid` at `epoch`, starting at sequence `seq`. */
const batch = (pid: number, epoch: number, seq: number, count = 1): ProducerBatch => ({producerId: pid, producerEpoch: epoch, baseSequence: seq, lastOffsetDelta: count - 1});

/** Feeds batches through check + record as the produce path does; returns each verdict in short form. */
function run(state: PartitionProducers, steps: ProducerBatch[], logStartOffset = 0, logEnd = {next: 0}): string[] {
  return steps.map((b) => {
    const v: Verdict = state.check(b, logStartOffset);
    if (v.kind === 'append') {
      state.record(b, logEnd.next);
      const at = logEnd.next;
      logEnd.next += b.lastOffsetDelta + 1;
      return `append@${at}`;
    }
    return v.kind === 'duplicate' ? `duplicate@${v.baseOffset}` : `reject:${v.code}`;
  });
}

describe('sequence arithmetic', () => {
  it('wraps at int32 max like Kafka', () => {
    expect(addToSequence(5, 3)).toBe(8);
    expect(addToSequence(INT32_MAX, 1)).toBe(0);
    expect(addToSequence(INT32_MAX - 1, 3)).toBe(1);
  });
});

describe('PartitionProducers verdicts (golden)', () => {
  const cases: Array<{name: string; steps: ProducerBatch[]; expected: string[]}> = [
    {name: 'a plain producer (id -1) is never checked', steps: [batch(-1, -1, -1), batch(-1, 0, 7)], expected: ['append@0', 'append@1']},
    {name: 'a producer without state is accepted at any sequence', steps: [batch(1, 0, 42, 2)], expected: ['append@0']},
    {name: 'consecutive sequences are appended', steps: [batch(1, 0, 0, 3), batch(1, 0, 3, 2), batch(1, 0, 5)], expected: ['append@0', 'append@3', 'append@5']},
    {
      name: 'a resent batch among the last five is a duplicate with its original offset',
      steps: [batch(1, 0, 0, 2), batch(1, 0, 2, 2), batch(1, 0, 0, 2), batch(1, 0, 2, 2)],
      expected: ['append@0', 'append@2', 'duplicate@0', 'duplicate@2'],
    },
    {
      name: 'only the last five batches are remembered; an older resend is out of order',
      steps: [0, 1, 2, 3, 4, 5].map((s) => batch(1, 0, s)).concat([batch(1, 0, 1), batch(1, 0, 0)]),
      expected: ['append@0', 'append@1', 'append@2', 'append@3', 'append@4', 'append@5', 'duplicate@1', 'reject:45'],
    },
    {name: 'a gap is out of order (45)', steps: [batch(1, 0, 0), batch(1, 0, 2)], expected: ['append@0', 'reject:45']},
    {name: 'same base sequence but different length is not a duplicate', steps: [batch(1, 0, 0, 2), batch(1, 0, 0, 3)], expected: ['append@0', 'reject:45']},
    {name: 'a lower epoch is fenced (47)', steps: [batch(1, 2, 0), batch(1, 1, 1)], expected: ['append@0', 'reject:47']},
    {name: 'a higher epoch restarts at sequence 0', steps: [batch(1, 0, 0, 3), batch(1, 1, 0), batch(1, 1, 1)], expected: ['append@0', 'append@3', 'append@4']},
    {name: 'a higher epoch not at 0 is out of order', steps: [batch(1, 0, 0), batch(1, 1, 5)], expected: ['append@0', 'reject:45']},
    {name: 'after a new epoch the old epoch is fenced, even for a resend', steps: [batch(1, 0, 0), batch(1, 1, 0), batch(1, 0, 0)], expected: ['append@0', 'append@1', 'reject:47']},
    {name: 'sequences wrap at int32 max', steps: [batch(1, 0, INT32_MAX - 1, 2), batch(1, 0, 0, 2)], expected: ['append@0', 'append@2']},
    {name: 'producers are independent', steps: [batch(1, 0, 0), batch(2, 0, 0), batch(1, 0, 1), batch(2, 0, 0)], expected: ['append@0', 'append@1', 'append@2', 'duplicate@1']},
    {name: 'an idempotent batch without a sequence is invalid', steps: [batch(1, 0, -1)], expected: [`reject:${ErrorCode.INVALID_RECORD}`]},
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(run(new PartitionProducers(), c.steps)).toEqual(c.expected);
    });
  }

  it('never answers DUPLICATE_SEQUENCE_NUMBER or UNKNOWN_PRODUCER_ID', () => {
    const state = new PartitionProducers();
    const codes = new Set<number>();
    const end = {next: 0};
    for (let i = 0; i < 500; i++) {
      const b = batch(i % 3, (i * 7) % 4, (i * 13) % 9, 1 + (i % 3));
      const v = state.check(b, 0);
      if (v.kind === 'reject') codes.add(v.code);
      else if (v.kind === 'append') {
        state.record(b, end.next);
        end.next += b.lastOffsetDelta + 1;
      }
    }
    expect([...codes].sort()).toEqual([ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, ErrorCode.INVALID_PRODUCER_EPOCH].sort());
  });
});

describe('batches that left the log', () => {
  it('are no longer deduplicated against; a producer with none left starts over', () => {
    const state = new PartitionProducers();
    const end = {next: 0};
    expect(run(state, [batch(1, 0, 0, 2), batch(1, 0, 2, 2), batch(7, 0, 0)], 0, end)).toEqual(['append@0', 'append@2', 'append@4']);
    // The log now starts at 2: producer 1's first batch is gone, its second stays.
    expect(state.check(batch(1, 0, 0, 2), 2)).toMatchObject({kind: 'reject', code: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER});
    expect(state.check(batch(1, 0, 2, 2), 2)).toEqual({kind: 'duplicate', baseOffset: 2});
    // Everything before 5 is gone: both producers are forgotten and accepted afresh.
    expect(state.check(batch(1, 0, 2, 2), 5)).toEqual({kind: 'append'});
    expect(state.describe()).toEqual([]);
  });
});

describe('rebuilding from the log', () => {
  const dirs = new TestDirs();
  afterEach(() => dirs.cleanup());

  it('gives the same state as the appends did, so resends are recognised after a restart', async () => {
    const dir = dirs.make();
    const log = await openLog(dir, {segmentBytes: 1024});
    const live = new PartitionProducers();
    const input = [
      {producerId: 5, producerEpoch: 0, baseSequence: 0, count: 3},
      {producerId: -1, producerEpoch: -1, baseSequence: -1, count: 2},
      {producerId: 5, producerEpoch: 0, baseSequence: 3, count: 2},
      {producerId: 9, producerEpoch: 2, baseSequence: 10, count: 1},
      ...Array.from({length: 20}, (_, i) => ({producerId: 5, producerEpoch: 1, baseSequence: i * 2, count: 2})),
    ];
    for (const b of input) {
      const records = Array.from({length: b.count}, (_, i) => ({value: `v${i}`.padEnd(40, '.')}));
      const bytes = encodeRecordBatch({records, producerId: b.producerId, producerEpoch: b.producerEpoch, baseSequence: b.baseSequence});
      const result = log.append(bytes, Date.now());
      live.record({...b, lastOffsetDelta: b.count - 1}, result.baseOffset);
    }
    expect(log.segmentCount).toBeGreaterThan(2);
    await log.close();
    const reopened = await openLog(dir, {segmentBytes: 1024});
    const rebuilt = rebuild(reopened);
    expect(rebuilt.describe()).toEqual(live.describe());
    expect(rebuilt.describe()).toEqual([
      {producerId: 5, epoch: 1, batches: [[30, 31, 38], [32, 33, 40], [34, 35, 42], [36, 37, 44], [38, 39, 46]]},
      {producerId: 9, epoch: 2, batches: [[10, 10, 7]]},
    ]);
    await reopened.close();
  });
});

describe('producer ids', () => {
  const dirs = new TestDirs();
  afterEach(() => dirs.cleanup());

  it('are never handed out twice, across reopenings', () => {
    const dir = dirs.make();
    const seen = new Set<number>();
    for (let start = 0; start < 3; start++) {
      const ids = ProducerIdAllocator.open(dir);
      for (let i = 0; i < 1500; i++) seen.add(ids.allocate());
    }
    expect(seen.size).toBe(4500);
  });

  it('refuses a damaged counter file with a way out', async () => {
    const dir = dirs.make();
    const {writeFileSync} = await import('node:fs');
    writeFileSync(`${dir}/producer-ids`, 'garbage');
    expect(() => ProducerIdAllocator.open(dir)).toThrow(/producer-ids should hold the next free producer id.*remove the data dir/);
  });
});
