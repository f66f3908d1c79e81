import {existsSync, readdirSync} from 'node:fs';
import {afterEach, describe, expect, it} from 'vitest';
import {GroupCommit} from './group-commit.js';
import {makeBatch, openLog, TestDirs} from './log-test-kit.js';

const dirs = new TestDirs();
afterEach(() => dirs.cleanup());

/** A GroupCommit whose rounds finish only when the test says so. */
function manualCommit() {
  const pending: Array<{resolve: () => void; reject: (error: Error) => void}> = [];
  const commit = new GroupCommit(
    () => new Promise<void>((resolve, reject) => pending.push({resolve, reject})),
  );
  const finishRound = async (error?: Error) => {
    const round = pending.shift()!;
    if (error) round.reject(error);
    else round.resolve();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return {commit, pending, finishRound};
}

describe('GroupCommit', () => {
  it('resolves at once when nothing was written', async () => {
    const {commit} = manualCommit();
    await commit.flush();
    expect(commit.rounds).toBe(0);
  });

  it('lets concurrent callers share one round, and newcomers share the next one', async () => {
    const {commit, pending, finishRound} = manualCommit();
    const settled: string[] = [];
    commit.markWritten();
    const first = Array.from({length: 100}, (_, i) => commit.flush().then(() => settled.push(`a${i}`)));
    expect(commit.rounds).toBe(1);

    // Written while round 1 runs: round 1 does not cover it, so these wait for round 2.
    commit.markWritten();
    const second = Array.from({length: 100}, (_, i) => commit.flush().then(() => settled.push(`b${i}`)));
    expect(commit.rounds).toBe(1);

    await finishRound();
    await Promise.all(first);
    expect(settled.filter((s) => s.startsWith('b'))).toEqual([]);
    expect(commit.rounds).toBe(2);
    expect(pending).toHaveLength(1);

    await finishRound();
    await Promise.all(second);
    expect(settled).toHaveLength(200);
    await commit.flush();
    expect(commit.rounds).toBe(2);
  });

  it('reports a failed round to its callers and retries on the next flush', async () => {
    const {commit, finishRound} = manualCommit();
    commit.markWritten();
    const failing = expect(commit.flush()).rejects.toThrow('EIO');
    await finishRound(new Error('EIO'));
    await failing;
    const retry = commit.flush();
    expect(commit.rounds).toBe(2);
    await finishRound();
    await retry;
  });
});

describe('PartitionLog.flush', () => {
  it('coalesces many concurrent flushes into few fsync rounds', async () => {
    const log = await openLog(dirs.make(), {fsync: 'always'});
    log.append(makeBatch(2), Date.now());
    await Promise.all(Array.from({length: 100}, () => log.flush()));
    expect(log.fsyncRounds).toBe(1);

    // The produce pattern: append then flush, many times before any fsync finishes.
    const acks: Array<Promise<void>> = [];
    for (let i = 0; i < 50; i++) {
      log.append(makeBatch(1), Date.now());
      acks.push(log.flush());
    }
    await Promise.all(acks);
    expect(log.fsyncRounds).toBe(3);
    await log.flush();
    expect(log.fsyncRounds).toBe(3);
    await log.close();
  });

  it('does not fsync with fsync never', async () => {
    const log = await openLog(dirs.make(), {fsync: 'never'});
    log.append(makeBatch(2), Date.now());
    await Promise.all([log.flush(), log.flush()]);
    expect(log.fsyncRounds).toBe(0);
    await log.close();
  });

  it.runIf(existsSync('/proc/self/fd'))('syncs rolled segments and leaks no file descriptors', async () => {
    const openFds = () => readdirSync('/proc/self/fd').length;
    const before = openFds();
    const dir = dirs.make();
    const log = await openLog(dir, {fsync: 'always', segmentBytes: 300});
    const acks: Array<Promise<void>> = [];
    for (let i = 0; i < 40; i++) {
      log.append(makeBatch(1, {valueBytes: 100}), Date.now());
      acks.push(log.flush());
    }
    await Promise.all(acks);
    expect(log.segmentCount).toBe(40);
    for (let offset = 0; offset < 40; offset += 3) log.read(offset, 1); // opens sealed segments for reading
    log.deleteRecordsBefore(20);
    await log.close();
    expect(openFds()).toBe(before);
    const reopened = await openLog(dir, {fsync: 'always', segmentBytes: 300});
    expect([reopened.logStartOffset, reopened.logEndOffset]).toEqual([20, 40]);
    await reopened.close();
    expect(openFds()).toBe(before);
  });
});
