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
import {s3Access, s3Flags} from '../cli/claim-check-flags.js';
import {OperationError} from '../core/errors.js';
import type {ClaimCheckReader} from '../patterns/claim-check/reader.js';

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
    '<%= config.bin %> consume documents.v1 --claim-check --from-beginning --exit --output json',
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
    'claim-check': Flags.boolean({
      summary: 'Print the original payload of records carrying a claim-check reference (fetched from the blob store the reference names, size and sha-256 checked); --output json adds the reference.',
      exclusive: ['batches'],
      helpGroup: 'CLAIM CHECK',
    }),
    ...s3Flags,
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
    let failed = 0;
    let claims: ClaimCheckReader | null = null;
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
      claims = flags['claim-check'] ? await this.claimCheckReader(flags) : null;
      for await (const raw of records) {
        const claim = claims ? await claims.read(raw) : null;
        count++;
        if (claim?.failure) {
          failed++;
          if (this.outputMode === 'json') this.emitJson({type: 'claim-check-failed', topic: raw.topic, partition: raw.partition, offset: raw.offset, ...claim.failure});
          else this.warning(`${raw.topic}/${raw.partition}/${raw.offset}: ${claim.failure.reason}: ${claim.failure.message}`);
        } else {
          const record = await display(claim ? {...raw, value: claim.payload} : raw);
          if (this.outputMode === 'json') this.emitJson({...recordToJson(record), ...(claim ? {claimCheck: claim.reference} : {})});
          else if (claim?.reference && !flags['print-key'] && record.value) process.stdout.write(Buffer.concat([record.value, Buffer.from('\n')])); // the payload's bytes as they were
          else {
            const value = record.value?.toString('utf8') ?? '';
            this.out(flags['print-key'] ? `${record.key?.toString('utf8') ?? ''}\t${value}` : value);
          }
        }
        if (flags.max !== undefined && count >= flags.max) break;
      }
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      await claims?.close();
    }
    this.note(plural(count, 'record'));
    if (failed > 0) {
      throw new OperationError(`${plural(failed, 'record')} could not be resolved (blob missing or corrupt, see above) — \`kpat claim-check gc\` never deletes referenced blobs; a consumer group built on the claim-check pattern sends such records to the DLT`);
    }
  }

  /** Loaded only with --claim-check. */
  private async claimCheckReader(flags: {'s3-endpoint'?: string; 's3-path-style'?: boolean}): Promise<ClaimCheckReader> {
    const {ClaimCheckReader} = await import('../patterns/claim-check/reader.js');
    return new ClaimCheckReader(s3Access(flags));
  }
}
