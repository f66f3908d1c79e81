import {moveGroupsToEnd} from '../kafka/group-offsets.js';
import type {RunOptions} from './run-options.js';

/** Longer than a participant's session timeout (10 s): a killed run's members are gone by then. */
const DEAD_MEMBERS_WAIT_MS = 15_000;

/**
 * Where a run's consumer groups start reading.
 *
 * A fresh run's work is only what it writes from now on: whatever its topics
 * already hold belongs to other runs or other scenarios, and its participants
 * would skip it record by record anyway (see thisRunOnly). So the groups are
 * moved to the end of their topics first. That commits past the old records
 * at once, and the lag they would leave (in the topics panel, in the time the
 * run takes) is gone before the run begins: this run's numbers are about this
 * run only.
 *
 * A resumed run keeps its groups' offsets: its own unfinished records are
 * behind them, and the filter still skips anything else in between.
 */
export async function placeRunGroups(opts: Pick<RunOptions, 'conn' | 'signal'>, groups: Array<{groupId: string; topics: string[]}>, resumed: boolean): Promise<void> {
  if (resumed) return;
  await moveGroupsToEnd(opts.conn, groups, {waitMs: DEAD_MEMBERS_WAIT_MS, signal: opts.signal});
}
