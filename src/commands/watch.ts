import {Args, Flags} from '@oclif/core';
import {KpatCommand, connectionFlags} from '../cli/base-command.js';
import type {StartPosition} from '../kafka/partition-reader.js';
import {watchTopic} from '../kafka/topic-watch.js';
import {runWatchView} from '../ui/watch/run-watch-view.js';
import {printWatchLines} from '../ui/watch-lines.js';
import {registryFlags} from '../cli/registry-flags.js';
import {displayFlags, recordDisplayFor} from '../cli/serde-flags.js';

export default class Watch extends KpatCommand {
  static override summary = 'Watch a topic live: partitions, rates, consumer lag and health, and a tail of records.';
  static override description = `On a terminal, a full-screen view: per partition the log start, end offset and records/s, with one group's committed offset, lag, lag trend and health; every watched group's total lag and health; a tail of records (time, partition@offset, key, headers, value as compact JSON, text or hex); and the connection status.
Keys: q quit · p pause the tail · g next group · / edit the filter · ↑/↓ scroll partitions.

Health is judged over the last 30 s the way Burrow does: OK; WARN when lag kept growing; STALL when the committed offset has not moved for 10 s while records wait; STOP when it has not moved for longer than 30 s; REWIND when it went backwards.

Avro keys and values are decoded with the schema registry and shown as JSON (see --value-format).

The watcher reads partitions directly: it joins no group and commits nothing, so the groups it shows are untouched. If the broker goes away it says so and reconnects on its own.

Off a terminal, or with --output plain|json: one line per record and a lag line per group every 5 s ({"type":"record"} and {"type":"group-lag"} in JSON), until --max records or Ctrl-C (exit 0).`;
  static override examples = [
    '<%= config.bin %> watch orders.v1',
    '<%= config.bin %> watch orders.v1 --group payments --group audit --from-beginning',
    '<%= config.bin %> watch orders.v1 --filter o-42 --output json --max 10',
  ];
  static override args = {topic: Args.string({description: 'Topic to watch.', required: true})};
  static override flags = {
    ...connectionFlags,
    group: Flags.string({char: 'g', summary: 'Show this consumer group (repeatable). Default: every group committed on the topic.', multiple: true}),
    'from-beginning': Flags.boolean({summary: 'Tail from the earliest retained record.', exclusive: ['from-end', 'offset']}),
    'from-end': Flags.boolean({summary: 'Tail only records written from now on (the default).', exclusive: ['from-beginning', 'offset']}),
    offset: Flags.integer({summary: 'Tail from this offset in each partition; negative counts back from the end.', exclusive: ['from-beginning', 'from-end']}),
    partition: Flags.integer({char: 'P', summary: 'Only this partition (repeatable).', multiple: true, min: 0}),
    filter: Flags.string({char: 'f', summary: 'Only records whose key, value or a header (name=value) contains this text, ignoring case.'}),
    max: Flags.integer({char: 'm', summary: 'Stop after this many records (the live view stops its tail).', min: 1}),
    ...displayFlags,
    ...registryFlags,
  };

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Watch);
    const start: StartPosition = flags['from-beginning']
      ? {kind: 'earliest'}
      : flags.offset !== undefined
        ? {kind: 'offset', offset: flags.offset}
        : {kind: 'latest'};
    const tui = this.outputMode === 'tui';
    const watch = await watchTopic((await this.connection(flags)), {
      topic: args.topic,
      groups: flags.group ? [...new Set(flags.group)] : undefined,
      partitions: flags.partition ? [...new Set(flags.partition)].sort((a, b) => a - b) : undefined,
      start,
      waitForBroker: tui,
      // A viewer: what does not decode is shown as text rather than stopping the tail.
      display: await recordDisplayFor(flags, false),
    });
    try {
      if (tui) {
        await runWatchView(watch, {filter: flags.filter, maxRecords: flags.max});
        return;
      }
      const abort = new AbortController();
      const stop = () => abort.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        const printed = await printWatchLines(watch, {
          json: this.outputMode === 'json',
          filter: flags.filter,
          max: flags.max,
          signal: abort.signal,
          out: (line) => this.out(line),
          emitJson: (value) => this.emitJson(value),
          note: (line) => this.note(line),
        });
        this.note(`${printed} record${printed === 1 ? '' : 's'}`);
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    } finally {
      await watch.stop();
    }
  }
}
