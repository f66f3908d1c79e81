import {Args, Flags} from '@oclif/core';
import {KpatCommand, connectionFlags} from '../cli/base-command.js';
import {ConfigError} from '../core/errors.js';
import {readAsGroup} from '../kafka/group-consume.js';
import {readPartitions, type Isolation, type StartPosition} from '../kafka/partition-reader.js';
import {readBatchHeaders} from '../kafka/batch-headers.js';
import {plural} from '../core/plural.js';
import {batchHeaderLine} from '../ui/batch-header-line.js';
import {recordToJson, type ConsumedRecord} from '../kafka/records.js';
import {registryFlags} from '../cli/registry-flags.js';
import {displayFlags, recordDisplayFor} from '../cli/serde-flags.js';

export default class Consume extends KpatCommand {
  static override summary = 'Read records from a topic and print them.';
  static override description = `Like kcat -C. Without --group it reads partitions directly: it joins no group and commits nothing.
With --group it reads as a member of that consumer group and commits what it prints.
Avro keys and values (Confluent wire format) are decoded with the schema registry and printed as JSON; see --value-format.
Plain output prints one value per line; --output json prints topic, partition, offset, timestamp, key, headers and value.
Runs until Ctrl-C, --max records, or with --exit until the end of every partition.
Reads only committed transactions by default (--isolation read_uncommitted shows open and aborted ones too).
--batches prints the batch headers instead of the records: producer id, epoch, sequence numbers, the
transactional flag and the COMMIT/ABORT markers, so you can watch an idempotent or transactional producer at work.`;
  static override examples = [
    '<%= config.bin %> consume orders.v1 --from-beginning --exit',
    '<%= config.bin %> consume orders.v1 --offset -10 --partition 0 --output json',
    '<%= config.bin %> consume orders.v1 --group audit --from-beginning --max 100',
    '<%= config.bin %> consume payments.v1 --batches --from-beginning --exit',
  ];
  static override args = {topic: Args.string({description: 'Topic to read.', required: true})};
  static override flags = {
    ...connectionFlags,
    'from-beginning': Flags.boolean({summary: 'Start at the earliest retained record (default: only new records).', exclusive: ['offset']}),
    offset: Flags.integer({summary: 'Start at this offset in each partition; negative counts back from the end (like kcat -o -N).'}),
    partition: Flags.integer({char: 'P', summary: 'Read only this partition (repeatable).', multiple: true, min: 0}),
    max: Flags.integer({char: 'm', summary: 'Stop after this many records (batches with --batches).', min: 1}),
    exit: Flags.boolean({char: 'e', summary: 'Stop at the end of every partition (like kcat -e).'}),
    group: Flags.string({char: 'g', summary: 'Consume as this consumer group (joins it and commits offsets).'}),
    'print-key': Flags.boolean({summary: 'Plain output: print KEY<TAB>VALUE.'}),
    isolation: Flags.string({
      summary: 'read_committed stops at the last stable offset and hides aborted transactions; read_uncommitted shows everything written.',
      options: ['read_committed', 'read_uncommitted'],
      description: 'Default: read_committed for records, read_uncommitted with --batches.',
    }),
    batches: Flags.boolean({summary: 'Print batch headers (producer id, epoch, sequences, transaction markers) instead of records.', exclusive: ['group', 'print-key']}),
    ...displayFlags,
    ...registryFlags,
  };

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Consume);
    if (flags.group && (flags.partition || flags.offset !== undefined || flags.exit || flags.isolation)) {
      throw new ConfigError('--group reads what the group assigns from its committed offsets, committed transactions only: drop --partition, --offset, --exit and --isolation, or drop --group');
    }
    const conn = await this.connection(flags);
    const abort = new AbortController();
    const stop = () => abort.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);

    const start: StartPosition = flags['from-beginning']
      ? {kind: 'earliest'}
      : flags.offset !== undefined
        ? {kind: 'offset', offset: flags.offset}
        : {kind: 'latest'};
    const read = {topic: args.topic, partitions: flags.partition, start, stopAtEnd: flags.exit, signal: abort.signal, isolation: flags.isolation as Isolation | undefined};
    let count = 0;
    try {
      if (flags.batches) {
        for await (const header of readBatchHeaders(conn, read)) {
          if (this.outputMode === 'json') this.emitJson({type: 'batch', topic: args.topic, ...header});
          else this.out(batchHeaderLine(header));
          count++;
          if (flags.max !== undefined && count >= flags.max) break;
        }
        this.note(`${count} ${count === 1 ? 'batch' : 'batches'}`);
        return;
      }
      const records: AsyncGenerator<ConsumedRecord> = flags.group
        ? readAsGroup(conn, {topic: args.topic, groupId: flags.group, fromBeginning: flags['from-beginning'], signal: abort.signal})
        : readPartitions(conn, read);
      const display = await recordDisplayFor(flags, true);
      for await (const raw of records) {
        const record = await display(raw);
        if (this.outputMode === 'json') this.emitJson(recordToJson(record));
        else {
          const value = record.value?.toString('utf8') ?? '';
          this.out(flags['print-key'] ? `${record.key?.toString('utf8') ?? ''}\t${value}` : value);
        }
        count++;
        if (flags.max !== undefined && count >= flags.max) break;
      }
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
    this.note(plural(count, 'record'));
  }
}
