import {Args, Flags} from '@oclif/core';
import {KpatCommand, connectionFlags} from '../cli/base-command.js';
import {ConfigError, InvariantError} from '../core/errors.js';
import {parseKeyValues} from '../core/key-values.js';
import {EventStream} from '../core/event-stream.js';
import {parseDuration} from '../core/duration.js';
import {withEmbeddedBroker} from '../scenarios/embedded.js';
import type {ScenarioEvent} from '../scenarios/events.js';
import type {RunOptions} from '../scenarios/run-options.js';
import {loadScenario} from '../scenarios/scenario-file.js';
import {progressLine} from '../ui/scenario-progress.js';
import {replayProgressLine, replayScenarioLine} from '../ui/replay.js';
import {renderScenarioReport} from '../ui/scenario-report.js';
import {ScenarioModel} from '../ui/scenario/scenario-model.js';
import {runScenarioView, type ScenarioViewHandle} from '../ui/scenario/run-scenario-view.js';
import {TopicPollerSet} from '../kafka/topic-poller-set.js';

export default class Scenario extends KpatCommand {
  static override summary = 'Run a Kafka pattern scenario end to end and check its invariants.';
  static override description = `Creates the scenario's topics, starts its pattern participants (real consumer groups), sends a seeded workload, waits until every record is handled or dead-lettered, then checks the invariants by reading the topics back and prints a report.
Scenarios: saga (choreography saga with compensation), dlt (dead-letter topic), retry (non-blocking retry ladder), replay (rebuild a read model by replaying its consumer group). NAME may also be a path to a scenario .yaml file.
With no broker configured and no \`kpat up\` stack, an embedded broker is started for the run.
Exit code 3 when the run finished but an invariant failed.`;
  static override examples = [
    '<%= config.bin %> scenario saga --fail inventory',
    '<%= config.bin %> scenario saga --fail-rate 0.3 --duplicate-rate 0.2 --crash payment --instances payment=3 --slow payment=50ms',
    '<%= config.bin %> scenario dlt',
    '<%= config.bin %> scenario dlt --poison-rate 0.2 --fail-rate 0.5 --output json',
    '<%= config.bin %> scenario retry --fail-rate 0.5 --recover-after 10s',
    '<%= config.bin %> scenario retry --resume    # finish the last run after a crash',
    '<%= config.bin %> scenario replay --count 3000',
  ];
  static override args = {name: Args.string({description: 'Scenario: saga, dlt, retry or replay — or a path to a scenario .yaml file.', required: true})};
  static override flags = {
    ...connectionFlags,
    count: Flags.integer({char: 'n', summary: 'Records to send.', min: 0}),
    rate: Flags.integer({char: 'r', summary: 'Records per second (0 = as fast as possible).', min: 0}),
    seed: Flags.integer({summary: 'Seed: the same seed gives the same run.'}),
    'poison-rate': Flags.string({summary: 'Share of poison pills, 0..1 (malformed JSON and schema violations).'}),
    'fail-rate': Flags.string({summary: 'Share of dependency calls that fail until it recovers, 0..1.'}),
    'recover-after': Flags.string({summary: 'When the flaky dependency recovers, e.g. 10s (from the start of the run).'}),
    timeout: Flags.string({summary: 'Give up waiting after this long, e.g. 2m.'}),
    fail: Flags.string({summary: 'Saga: this step always fails (payment or inventory).', options: ['payment', 'inventory']}),
    crash: Flags.string({summary: 'Saga: an instance of this service dies mid-run, between its work and its commit, and restarts.', options: ['order', 'payment', 'inventory']}),
    'duplicate-rate': Flags.string({summary: 'Saga: share of events delivered twice, 0..1.'}),
    slow: Flags.string({summary: 'Saga: SERVICE=DURATION extra delay per event, e.g. payment=200ms (repeatable).', multiple: true}),
    instances: Flags.string({summary: 'Saga: SERVICE=N consumers in that service\'s group, e.g. payment=3 (repeatable).', multiple: true}),
    deadline: Flags.string({summary: 'Saga: an order without an outcome after this long is cancelled and compensated, e.g. 5s.'}),
    resume: Flags.boolean({summary: 'Send no new records: restart the participants to finish the latest run (or --run-id) and judge it.'}),
    'run-id': Flags.string({summary: 'With --resume: the run to finish.', dependsOn: ['resume']}),
  };

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Scenario);
    let live: ((conn: RunOptions['conn']) => ScenarioViewHandle) | undefined;
    const {kind, spec} = loadScenario(args.name);
    const scenario = kind.applyOverrides(spec, {
      count: flags.count,
      rate: flags.rate,
      seed: flags.seed,
      poisonRate: ratio(flags['poison-rate'], '--poison-rate'),
      failRate: ratio(flags['fail-rate'], '--fail-rate'),
      recoverAfterMs: duration(flags['recover-after'], '--recover-after'),
      timeoutMs: duration(flags.timeout, '--timeout'),
      deadlineMs: duration(flags.deadline, '--deadline'),
      fail: flags.fail,
      crash: flags.crash,
      duplicateRate: ratio(flags['duplicate-rate'], '--duplicate-rate'),
      slowMs: pairs(flags.slow, '--slow', 'payment=200ms', (v) => duration(v, '--slow')),
      instances: pairs(flags.instances, '--instances', 'payment=3', (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 16) throw new ConfigError(`--instances wants SERVICE=N with N from 1 to 16, got "${v}"`);
        return n;
      }),
    });
    const events = new EventStream<ScenarioEvent>();
    const abort = new AbortController();
    if (this.outputMode === 'json') events.subscribe((e) => this.emitJson(e));
    else if (this.outputMode === 'tui') live = liveView(events, () => abort.abort());
    else {
      let last = 0;
      events.subscribe((e) => {
        if (e.type === 'scenario-started') this.note(`${e.resumed ? 'resuming' : 'running'} ${e.scenario} · run ${e.runId} · ${e.expected} records · topics ${e.topics.join(', ')}`);
        if ((e.type === 'progress' || e.type === 'saga-board') && Date.now() - last >= 1000) {
          last = Date.now();
          this.note(progressLine(e));
        }
        if (e.type === 'service-crashed') this.note(`${e.service} instance ${e.instance} crashed (it will restart)`);
        if (e.type === 'replay-progress' && (e.done || Date.now() - last >= 1000)) {
          last = Date.now();
          this.note(replayProgressLine(e));
        }
        const replayLine = replayScenarioLine(e);
        if (replayLine) this.note(replayLine);
      });
    }
    const stop = () => abort.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const run = async (conn: RunOptions['conn']) => {
      const view = live?.(conn);
      try {
        return await kind.run(scenario, {conn, events, signal: abort.signal, resume: flags.resume ? (flags['run-id'] ?? true) : undefined});
      } finally {
        view?.close();
        await view?.done;
      }
    };
    const conn = this.connectionOrNone(flags);
    const report = conn
      ? await run(conn)
      : await withEmbeddedBroker((c, bootstrap) => {
          this.note(`no broker configured and no \`kpat up\` stack: started an embedded broker at ${bootstrap} for this run (its data goes away after)`);
          return run(c);
        });
    if (this.outputMode !== 'json') this.out(renderScenarioReport(report));
    if (abort.signal.aborted) {
      this.note(kind.resumable ? `interrupted — \`kpat scenario ${args.name} --resume --run-id ${report.runId}\` finishes this run` : 'interrupted');
      this.exit(130);
    }
    if (!report.ok) throw new InvariantError(`scenario ${report.scenario}: ${report.invariants.filter((i) => !i.ok).map((i) => i.name).join(', ')} failed`);
  }

}

/**
 * The live view of a run: topic pollers start once the run names its topics;
 * the view closes when the report arrives (or q stops the run).
 */
function liveView(events: EventStream<ScenarioEvent>, onQuit: () => void) {
  const model = new ScenarioModel(events);
  return (conn: RunOptions['conn']) => {
    const pollers = new TopicPollerSet(conn);
    events.subscribe((e) => {
      if (e.type === 'scenario-started') pollers.watch(e.topics, e.groups);
    });
    const view = runScenarioView({model: model.state, topics: pollers.snapshots, connection: pollers.connection, onQuit});
    return {
      close: () => {
        model.flush();
        view.close();
      },
      done: view.done.finally(async () => {
        model.close();
        await pollers.stop();
      }),
    };
  };
}

/** Repeated SERVICE=VALUE flags as a map of parsed values. */
function pairs(values: string[] | undefined, flag: string, example: string, parse: (v: string) => number | undefined): Record<string, number> | undefined {
  if (!values) return undefined;
  const raw = parseKeyValues(values, {flag, example, shape: 'SERVICE=VALUE', trim: true});
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, parse(v)!]));
}

function ratio(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new ConfigError(`${flag} must be a number from 0 to 1, got "${value}"`);
  return n;
}

function duration(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === null) throw new ConfigError(`${flag} must be a duration like 500ms, 10s or 2m, got "${value}"`);
  return ms;
}
