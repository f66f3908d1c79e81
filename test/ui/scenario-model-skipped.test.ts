import {describe, expect, it} from 'vitest';
import {EventStream} from '../../src/core/event-stream.js';
import type {ScenarioEvent} from '../../src/scenarios/events.js';
import {ScenarioModel} from '../../src/ui/scenario/scenario-model.js';
import {errorHandlingPresenter} from '../../src/ui/scenario/error-handling/presenter.js';

const record = (offset: number) => ({topic: 'orders.v1', partition: 0, offset, key: null});

describe('ScenarioModel', () => {
  it("counts records skipped as not this run's apart from the run's progress", () => {
    const events = new EventStream<ScenarioEvent>();
    const model = new ScenarioModel(events, errorHandlingPresenter, 1000);
    events.emit({type: 'scenario-started', at: 1, scenario: 'dlt', runId: 'r1', resumed: false, expected: 2, topics: ['orders.v1', 'orders.v1.dlt'], stages: ['orders.v1', 'orders.v1.dlt']});
    // Two groups reading the same topic skip the same record: it is one record.
    for (const group of ['a', 'b']) events.emit({type: 'skipped', at: 2, group, record: record(0), reason: "not this run's"});
    events.emit({type: 'skipped', at: 2, group: 'a', record: record(1), reason: "not this run's"});
    events.emit({type: 'handled', at: 3, group: 'a', record: record(2), recordId: 'r1-0', attempt: 1});
    model.flush();
    model.close();
    const {run, kind} = model.state.current();
    expect(run.skipped).toBe(2);
    expect(kind.done).toBe(1);
    expect(kind.stages[0]).toMatchObject({topic: 'orders.v1', handled: 1, deadLettered: 0});
  });
});
