import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {asStackState, readStackStateFile, writeStackState, type StackState} from '../../src/stack/state.js';
import {tempDir} from '../helpers/broker.js';

const state: StackState = {pid: 4242, host: '127.0.0.1', port: 9092, dataDir: '/d', logFile: '/l', startedAt: '2026-01-01T00:00:00.000Z', fsync: 'never'};

describe('the stack state file', () => {
  it('round-trips what the broker writes', () => {
    const file = join(tempDir(), 'stack.json');
    writeStackState(file, state);
    expect(readStackStateFile(file)).toEqual(state);
  });

  it('keeps the known fields only, and the optional ones only when present', () => {
    expect(asStackState({...state, extra: 1})).toEqual(state);
    const {logFile: _l, fsync: _f, ...required} = state;
    expect(asStackState(required)).toEqual(required);
  });

  it('is null for anything that is not a state file', () => {
    for (const bad of [null, 7, 'x', [], {...state, pid: 0}, {...state, pid: 1.5}, {...state, port: 0}, {...state, port: 70000}, {...state, host: 1}, {...state, fsync: 'sometimes'}, {...state, logFile: 3}, {...state, startedAt: undefined}]) {
      expect(asStackState(bad)).toBeNull();
    }
    const file = join(tempDir(), 'stack.json');
    writeFileSync(file, '{"pid": 12');
    expect(readStackStateFile(file)).toBeNull();
    expect(readStackStateFile(join(tempDir(), 'absent.json'))).toBeNull();
  });
});
