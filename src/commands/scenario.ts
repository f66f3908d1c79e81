import {Args, Flags} from '@oclif/core';
import {KpatCommand, connectionFlags} from '../cli/base-command.js';
import {registryFlags, registryTargetFor} from '../cli/registry-flags.js';
import {SCENARIO_KINDS, scenarioFlags, type KindEntry} from '../cli/scenario-kinds.js';
import {InvariantError, OperationError} from '../core/errors.js';
import {EventStream} from '../core/event-stream.js';
import {withEmbeddedBroker} from '../scenarios/embedded.js';
import {isCommonEvent, type KindEvent, type ScenarioEvent} from '../scenarios/events.js';
import {kindFlagNames, parseKindFlags, type GivenFlags} from '../scenarios/kinds.js';
import type {RunOptions} from '../scenarios/run-options.js';
import {availableScenarios, loadScenario} from '../scenarios/scenario-file.js';
import {FINAL_SCRAPE_WAIT_MS, serveScenarioMetrics, type ScenarioMetrics} from '../scenarios/metrics.js';
import {renderScenarioReport} from '../ui/scenario-report.js';
import {plainPrinter} from '../ui/scenario/plain.js';
import {ScenarioModel} from '../ui/scenario/scenario-model.js';
import {runScenarioView, type ScenarioViewHandle} from '../ui/scenario/run-scenario-view.js';
import {TopicPollerSet} from '../kafka/topic-poller-set.js';

const KINDS = SCENARIO_KINDS.map((e) => e.kind);

export default class Scenario extends KpatCommand {
  static override summary = 'Run a Kafka pattern scenario end to end and check its invariants.';
  static override description = `Creates the scenario's topics, starts its pattern participants (real consumer groups), sends a seeded workload, waits until every record is handled or dead-lettered, then checks the invariants by reading the topics back and prints a report.
Scenarios: saga (choreography saga with compensation), dlt (dead-letter topic), retry (non-blocking retry ladder), replay (rebuild a read model by replaying its consumer group). NAME may also be a path to a scenario .yaml file.
Each kind of scenario takes its own flags (grouped below); a flag of another kind is refused.
With no broker configured and no \`kpat up\` stack, an embedded broker is started for the run.
Exit code 3 when the run finished but an invariant failed; 130 when it was interrupted (its report says INTERRUPTED).`;
  static override examples = [
    '<%= config.bin %> scenario saga --fail inventory',
    '<%= config.bin %> scenario saga --fail-rate 0.3 --duplicate-rate 0.2 --crash payment --instances payment=3 --slow payment=50ms',
    '<%= config.bin %> scenario dlt',
    '<%= config.bin %> scenario dlt --poison-rate 0.2 --fail-rate 0.5 --output json',
    '<%= config.bin %> scenario retry --fail-rate 0.5 --recover-after 10s',
    '<%= config.bin %> scenario retry --resume    # finish the last run after a crash',
    '<%= config.bin %> scenario replay --count 3000',
    '<%= config.bin %> scenario schema-evolution --compatibility NONE    # the breaking v3 gets in: the report fails',
  ];
  static override args = {name: Args.string({description: `Scenario: ${availableScenarios().join(', ')} — or a path to a scenario .yaml file.`, required: true})};
  static override flags = {
    ...connectionFlags,
    ...registryFlags,
    ...scenarioFlags(KINDS),
    resume: Flags.boolean({summary: 'Send no new records: restart the participants to finish the latest run (or --run-id) and judge it (dlt, retry, saga).'}),
    'run-id': Flags.string({summary: 'With --resume: the run to finish.', dependsOn: ['resume']}),
  };

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Scenario);
    const {kind, spec} = loadScenario(args.name, KINDS);
    const entry = SCENARIO_KINDS.find((e) => e.kind === kind)!;
    const given: GivenFlags = Object.fromEntries(kindFlagNames(KINDS).map((name) => [name, (flags as Record<string, unknown>)[name] as GivenFlags[string]]));
    const values = parseKindFlags(KINDS, kind, (spec as {name?: string}).name ?? args.name, given);
    const scenario = kind.applyFlags(spec, values);

    const events = new EventStream<ScenarioEvent<KindEvent>>();
    const abort = new AbortController();
    let live: ((conn: RunOptions['conn']) => ScenarioViewHandle) | undefined;
    if (this.outputMode === 'json') events.subscribe((e) => this.emitJson(e));
    else if (this.outputMode === 'tui') live = liveView(entry, events, abort);
    else events.subscribe(plainPrinter(entry.presenter, (line) => this.note(line)));
    const stop = () => abort.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const metricsPort = values['metrics-port'] as number | undefined;
    const served = metricsPort === undefined ? undefined : await serveScenarioMetrics(events, metricsPort).catch((error: unknown) => {
      throw new OperationError(`could not serve metrics: ${(error as Error).message}`);
    });
    if (served && this.outputMode === 'json') this.emitJson({type: 'metrics', url: served.url});
    else if (served) this.note(`Prometheus metrics at ${served.url}`);
    const run = async (conn: RunOptions['conn'], embeddedRegistry?: () => Promise<string>) => {
      const view = live?.(conn);
      const registry = () =>
        registryTargetFor(flags, embeddedRegistry).then((target) => {
          // An event, not a stderr line: the live view is already up, and prints it in its events panel.
          if (target.source === 'embedded') events.emit({type: 'scenario-note', at: Date.now(), text: `no schema registry configured: started one beside the embedded broker at ${target.url} for this run`});
          return target;
        });
      try {
        return await kind.run(scenario, {conn, events, signal: abort.signal, resume: flags.resume ? (flags['run-id'] ?? true) : undefined, registry, metrics: served?.metrics});
      } finally {
        view?.close();
        await view?.done;
      }
    };
    let report;
    try {
      const conn = await this.connectionOrNone(flags);
      report = conn
        ? await run(conn)
        : await withEmbeddedBroker((c, bootstrap, registry) => {
            this.note(`no broker configured and no \`kpat up\` stack: started an embedded broker at ${bootstrap} for this run (its data goes away after)`);
            return run(c, registry);
          });
      if (this.outputMode !== 'json') this.out(renderScenarioReport(report));
      // The run is over: Ctrl-C from here on skips the wait, it does not interrupt the run.
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      if (served && !abort.signal.aborted) await this.waitForFinalScrape(served);
    } finally {
      await served?.close();
    }
    if (abort.signal.aborted) {
      this.note(kind.resumable ? `interrupted — \`kpat scenario ${args.name} --resume --run-id ${report.runId}\` finishes this run` : 'interrupted');
      this.exit(130);
    }
    if (!report.ok) throw new InvariantError(`scenario ${report.scenario}: ${report.invariants.filter((i) => !i.ok).map((i) => i.name).join(', ')} failed`);
  }

  /** Prometheus scrapes on its own clock: it sees a run's final counts only if the run waits for one more scrape. */
  private async waitForFinalScrape(served: ScenarioMetrics): Promise<void> {
    this.note(`waiting up to ${FINAL_SCRAPE_WAIT_MS / 1000} s for a last scrape of ${served.url} (Ctrl-C skips)`);
    const skip = new AbortController();
    const onSignal = () => skip.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      await served.finalScrape({signal: skip.signal});
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}

/**
 * The live view of a run, laid out by its kind's presenter from the first
 * frame: topic pollers start once the run names its topics; the view closes
 * when the report arrives (q stops the run, which then reports).
 */
function liveView(entry: KindEntry, events: EventStream<ScenarioEvent<KindEvent>>, abort: AbortController) {
  const model = new ScenarioModel(events, entry.presenter);
  const onQuit = () => {
    model.stopping();
    abort.abort();
  };
  return (conn: RunOptions['conn']) => {
    const pollers = new TopicPollerSet(conn);
    events.subscribe((e) => {
      if (isCommonEvent(e) && e.type === 'scenario-started') pollers.watch(e.topics, e.groups);
    });
    const view = runScenarioView({presenter: entry.presenter, model: model.state, topics: pollers.snapshots, connection: pollers.connection, onQuit});
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
