import {Args, Flags} from '@oclif/core';
import {KpatCommand, connectionFlags} from '../cli/base-command.js';
import {registryFlags} from '../cli/registry-flags.js';
import {recordDisplayFor} from '../cli/serde-flags.js';
import {parseDuration} from '../core/duration.js';
import {ConfigError} from '../core/errors.js';
import {EventStream} from '../core/event-stream.js';
import {parseAggregation} from '../patterns/window/aggregations.js';
import type {WindowEvent} from '../patterns/window/events.js';
import {WindowAggregation} from '../patterns/window/window-aggregation.js';
import {checkWindowSpec, type WindowSpec} from '../patterns/window/windows.js';
import {summaryJson, summaryLine, windowJson, windowLine, windowNote} from '../ui/window/lines.js';
import {runWindowView} from '../ui/window/run-window-view.js';

export default class Window extends KpatCommand {
  static override summary = 'Windowed aggregation of a topic, with Kafka Streams\' semantics: tumbling, hopping, sliding or session windows, grace, late records, a restorable state store.';
  static override description = `Windows (pick one shape):
  --size D                    tumbling windows [start, start + D), aligned to the epoch
  --size D --advance A        hopping windows of size D every A
  --sliding D                 sliding windows [t − D, t] around the records (Kafka's SlidingWindows; end inclusive)
  --session-gap D             sessions: records less than D apart join one session (end inclusive)
Stream time is per input partition: the highest record timestamp seen there. A window takes records until stream time reaches its end + --grace; a record all of whose windows have closed is late: it is dropped, counted and shown (and written to --late-to).

--emit update (default) shows every change of a window (session merges remove the sessions they replace); --emit final shows exactly one result per window, when it closes. Windows still open when the run stops have no final result yet.

Without --app-id a run keeps its state in memory and starts where asked (--from-beginning, else new records only). With --app-id ID it is resumable: its store is backed by the changelog topic ID-window-store-changelog (compact,delete) and restored on start, and results, the store's changes, stream times and the input offsets (consumer group ID) are committed together in one transaction every --commit-interval, so after a crash the run neither repeats a result nor takes a record that was already late.

Values are JSON, or Avro in the Confluent wire format (decoded with the schema registry: --registry, KPAT_REGISTRY_URL or the stack's), so --agg fields, --by and --time-field name fields of the decoded record; see --value-format.

On a terminal, a live view: stream time per partition, the open windows (soonest to close first, with the stream time still to go), results as they are committed, late records with their lateness, restore progress; q quits (after a last commit).

--output json: one {"type":"window-result","key","start","end","value","final"} line per result, one {"type":"late-record","key","timestamp","partition","offset","lateness"} per dropped record, then a {"type":"window-summary"}. With --to TOPIC results are also written there, key KEY@START/END and value {"key","start","end","value"}.`;
  static override examples = [
    '<%= config.bin %> window orders.v1 --size 1m --grace 10s --agg sum:amount --emit final',
    '<%= config.bin %> window clicks.v1 --size 10m --advance 2m --by page --output json',
    '<%= config.bin %> window clicks.v1 --session-gap 5m --app-id click-sessions --to click-sessions.v1',
    '<%= config.bin %> window orders.v1 --size 1h --time-field createdAt --from-beginning --until-end --emit final',
  ];
  static override args = {topic: Args.string({description: 'Topic to aggregate (JSON or Avro values for --agg fields, --by and --time-field).', required: true})};
  static override flags = {
    ...connectionFlags,
    size: Flags.string({summary: 'Window size: tumbling windows, or hopping with --advance (e.g. 10s, 1m).', helpGroup: 'WINDOWS'}),
    advance: Flags.string({summary: 'Hopping windows: a new window every this long (at most --size).', helpGroup: 'WINDOWS'}),
    sliding: Flags.string({summary: 'Sliding windows with this time difference (instead of --size).', helpGroup: 'WINDOWS', exclusive: ['size', 'advance', 'session-gap']}),
    'session-gap': Flags.string({summary: 'Session windows with this inactivity gap (instead of --size).', helpGroup: 'WINDOWS', exclusive: ['size', 'advance', 'sliding']}),
    grace: Flags.string({summary: 'How long after a window\'s end it still takes out-of-order records. Default 0.', helpGroup: 'WINDOWS'}),
    by: Flags.string({summary: 'Group by this JSON field (dotted path) instead of the record key.'}),
    agg: Flags.string({summary: 'count, sum:FIELD, avg:FIELD, min:FIELD or max:FIELD.', default: 'count'}),
    'time-field': Flags.string({summary: 'Event time from this JSON field (epoch ms or ISO-8601) instead of the record timestamp.'}),
    emit: Flags.option({summary: 'update: every change; final: one result per window when it closes.', options: ['update', 'final'] as const, default: 'update'})(),
    to: Flags.string({summary: 'Also write results to this topic (key KEY@START/END).'}),
    'late-to': Flags.string({summary: 'Also write late records to this topic, as they came, with headers saying how late.'}),
    'app-id': Flags.string({summary: 'Resumable run: changelog-backed store and committed offsets under this id (a consumer group).'}),
    'from-beginning': Flags.boolean({summary: 'Start at the earliest record when nothing is committed (default: new records only).'}),
    'until-end': Flags.boolean({summary: 'Stop at the end offsets the topic had when reading began.'}),
    'commit-interval': Flags.string({summary: 'How often results, state and offsets are committed. Default 100ms.'}),
    'cache-max-bytes': Flags.integer({summary: 'Record cache size: a window updated many times between commits writes its latest state once (and, with --emit update, shows it once). 0 shows every change. Default 10485760 (10 MiB).', min: 0}),
    ...registryFlags,
    'value-format': Flags.string({
      summary: 'How to read values: auto decodes Avro (Confluent wire format, schema from the registry) and reads the rest as JSON; avro and json insist.',
      options: ['auto', 'avro', 'json'],
      default: 'auto',
    }),
    'wall-clock-close': Flags.string({summary: 'Not Kafka\'s behaviour, off by default: after this long without records on a partition, its stream time follows the wall clock so quiet windows still close.'}),
  };

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Window);
    const windows = windowSpecOf(flags);
    const aggregation = parseAggregation(flags.agg);
    const commitIntervalMs = flags['commit-interval'] !== undefined ? durationFlag('commit-interval', flags['commit-interval']) : undefined;
    if (commitIntervalMs === 0) throw new ConfigError('--commit-interval must be more than 0');
    const wallClockCloseMs = flags['wall-clock-close'] !== undefined ? durationFlag('wall-clock-close', flags['wall-clock-close']) : undefined;
    const conn = await this.connection(flags);
    // Only values are decoded: keys stay the text they are.
    const display = await recordDisplayFor({...flags, 'key-format': 'string'}, true);

    const events = new EventStream<WindowEvent>();
    const json = this.outputMode === 'json';
    const tui = this.outputMode === 'tui';
    events.subscribe((e) => {
      if (tui) return;
      if (json) {
        const line = windowJson(e);
        if (line && e.type !== 'record-skipped') return this.emitJson(line);
      } else {
        const line = windowLine(e);
        if (line) return this.out(line);
      }
      const note = windowNote(e);
      if (note) this.note(note);
    });
    const abort = new AbortController();
    const stop = () => abort.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      const aggregator = new WindowAggregation({
        conn,
        topic: args.topic,
        windows,
        aggregation,
        emit: flags.emit,
        groupBy: flags.by,
        timeField: flags['time-field'],
        outputTopic: flags.to,
        lateTopic: flags['late-to'],
        appId: flags['app-id'],
        fromBeginning: flags['from-beginning'],
        untilEnd: flags['until-end'],
        commitIntervalMs,
        cacheMaxBytes: flags['cache-max-bytes'],
        wallClockCloseMs,
        decode: display,
        events,
        signal: abort.signal,
      });
      const running = aggregator.run();
      const summary = tui ? await runWindowView(events, () => aggregator.snapshot(), running, stop) : await running;
      if (json) this.emitJson(summaryJson(summary));
      else this.note(summaryLine(summary));
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  }
}

function durationFlag(name: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === null) throw new ConfigError(`--${name} must be a duration like 500ms, 10s or 5m, got "${text}"`);
  return ms;
}

type ShapeFlags = {size?: string; advance?: string; sliding?: string; 'session-gap'?: string; grace?: string};

/** The one window shape the flags describe. */
function windowSpecOf(flags: ShapeFlags): WindowSpec {
  const graceMs = flags.grace !== undefined ? durationFlag('grace', flags.grace) : 0;
  if (flags.sliding !== undefined) return checkWindowSpec({kind: 'sliding', differenceMs: durationFlag('sliding', flags.sliding), graceMs});
  if (flags['session-gap'] !== undefined) return checkWindowSpec({kind: 'session', gapMs: durationFlag('session-gap', flags['session-gap']), graceMs});
  if (flags.size === undefined) throw new ConfigError('say how big the windows are: --size D (tumbling), --size D --advance A (hopping), --sliding D or --session-gap D');
  const sizeMs = durationFlag('size', flags.size);
  if (flags.advance === undefined) return checkWindowSpec({kind: 'tumbling', sizeMs, graceMs});
  return checkWindowSpec({kind: 'hopping', sizeMs, advanceMs: durationFlag('advance', flags.advance), graceMs});
}
