import {Args, Flags} from '@oclif/core';
import {readFileSync} from 'node:fs';
import {createInterface} from 'node:readline';
import {KpatCommand, connectionFlags} from '../cli/base-command.js';
import {ConfigError} from '../core/errors.js';
import {parseKeyValues} from '../core/key-values.js';
import {parseAcks, produceRecords, type Compression, type OutgoingRecord} from '../kafka/produce.js';
import {plural} from '../core/plural.js';
import {registryFlags} from '../cli/registry-flags.js';
import {produceFormatFlags, produceSerdes, type TextSerdes} from '../cli/serde-flags.js';
import {blobStoreFlags, s3Access, type BlobStoreFlagValues} from '../cli/claim-check-flags.js';
import type {Connection} from '../kafka/connection.js';
import type {ClaimCheckReference} from '../patterns/claim-check/reference.js';

export default class Produce extends KpatCommand {
  static override summary = 'Write records to a topic: one per line of stdin, or one from --value.';
  static override description = `Like kcat -P. With --key-separator, each line is KEY<sep>VALUE (split at the first separator).
Unknown topics are created by the broker when it allows auto-creation.`;
  static override examples = [
    'echo \'{"orderId":"o-1"}\' | <%= config.bin %> produce orders.v1 --key o-1',
    'printf "o-1:placed\\no-2:placed\\n" | <%= config.bin %> produce orders.v1 --key-separator :',
    '<%= config.bin %> produce orders.v1 --value hello --header source=cli --acks 1',
    'echo \'{"orderId":"o-1","amount":10}\' | <%= config.bin %> produce orders.v1 --value-format avro --schema order.avsc',
    '<%= config.bin %> produce documents.v1 --claim-check --value-file scan.pdf --key doc-1',
  ];
  static override args = {topic: Args.string({description: 'Topic to write to.', required: true})};
  static override flags = {
    ...connectionFlags,
    value: Flags.string({char: 'v', summary: 'Send one record with this value instead of reading stdin.', exclusive: ['value-file']}),
    'value-file': Flags.string({summary: 'Send one record whose value is this file\'s bytes, as they are.'}),
    key: Flags.string({char: 'k', summary: 'Key for every record.'}),
    'key-separator': Flags.string({char: 'K', summary: 'Split each stdin line into key and value at the first occurrence of this string.'}),
    header: Flags.string({char: 'H', summary: 'Header key=value on every record (repeatable).', multiple: true}),
    partition: Flags.integer({char: 'P', summary: 'Write to this partition (default: by key hash, or spread when no key).', min: 0}),
    acks: Flags.string({summary: 'Acknowledgements: all (-1), 1 (leader) or 0 (none, offsets unknown).', default: 'all'}),
    compression: Flags.string({summary: 'Compress batches.', options: ['none', 'gzip', 'snappy', 'lz4', 'zstd'], default: 'none'}),
    ...produceFormatFlags,
    ...registryFlags,
    'claim-check': Flags.boolean({
      summary: 'Values above a threshold a bit under the topic\'s max.message.bytes go to the blob store; the record carries a reference and the kpat-claim-check header.',
      helpGroup: 'CLAIM CHECK',
    }),
    always: Flags.boolean({summary: 'With --claim-check: store every value, however small.', dependsOn: ['claim-check'], helpGroup: 'CLAIM CHECK'}),
    ...blobStoreFlags,
  };

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Produce);
    const acks = parseAcks(flags.acks);
    // Header values keep their spaces: they are data.
    const headers = parseKeyValues(flags.header, {flag: '--header', example: 'source=cli'});
    const single = flags.value ?? (flags['value-file'] !== undefined ? readValueFile(flags['value-file']) : undefined);
    if (single !== undefined && flags['key-separator'] !== undefined) {
      throw new ConfigError(`--key-separator splits stdin lines; with ${flags.value !== undefined ? '--value' : '--value-file'} give the key with --key`);
    }
    const serdes = await produceSerdes(args.topic, flags);
    const conn = await this.connection(flags);
    let line = 0;
    const base = (value: string | Buffer, key: string | undefined): OutgoingRecord => ({
      key: key === undefined ? null : encodeText(serdes, 'key', key, line),
      value: typeof value === 'string' ? encodeText(serdes, 'value', value, line) : value,
      headers: Object.keys(headers).length > 0 ? headers : undefined,
      partition: flags.partition,
    });
    const plain =
      single !== undefined
        ? [base(single, flags.key)]
        : this.stdinRecords((text) => {
            line++;
            return this.splitLine(text, flags['key-separator'], flags.key, base);
          });
    if (single === undefined && process.stdin.isTTY) this.note('type one record per line; Ctrl-D to send and finish');

    const claims = flags['claim-check'] ? await this.claimCheck(conn, args.topic, flags) : null;
    const checked: Array<ClaimCheckSummary | null> = [];
    const records = claims ? claims.records(plain, (c, i) => (checked[i] = c)) : plain;
    try {
      const result = await produceRecords(conn, records, {topic: args.topic, acks, compression: flags.compression as Compression, maxBatchBytes: claims?.threshold}, (r, i) => {
        if (this.outputMode === 'json') this.emitJson({type: 'produced', topic: args.topic, partition: r.partition, offset: r.offset, ...(claims ? {claimCheck: checked[i] ?? null} : {})});
      });
      if (this.outputMode !== 'json') {
        const parts = [...result.partitions].sort((a, b) => a - b).join(',');
        const stored = checked.filter((c) => c !== null);
        const already = stored.filter((c) => !c.uploaded).length;
        const claimed = claims ? ` · ${stored.length} through ${claims.storeUri}${already > 0 ? ` (${already} already there, not uploaded again)` : ''}, ${result.count - stored.length} inline` : '';
        this.out(`produced ${plural(result.count, 'record')} to ${args.topic}${result.count > 0 ? ` (partition ${parts})` : ''}${claimed}`);
      }
    } finally {
      await claims?.close();
    }
  }

  /** The blob store and threshold for --claim-check; loaded only then (the S3 client is large). */
  private async claimCheck(conn: Connection, topic: string, flags: {always: boolean} & BlobStoreFlagValues) {
    const [{openBlobStore}, {claimCheckRecords}, {defaultThreshold}, {maxMessageBytes}] = await Promise.all([
      import('../patterns/claim-check/open-store.js'),
      import('../patterns/claim-check/produce-records.js'),
      import('../patterns/claim-check/check-in.js'),
      import('../kafka/message-limit.js'),
    ]);
    const store = await openBlobStore(flags['blob-store'], s3Access(flags));
    const threshold = defaultThreshold(await maxMessageBytes(conn, topic));
    return {
      threshold,
      storeUri: store.uri,
      records: (records: AsyncIterable<OutgoingRecord> | Iterable<OutgoingRecord>, onChecked: (c: ClaimCheckSummary | null, i: number) => void) =>
        claimCheckRecords(records, topic, {store, thresholdBytes: threshold, always: flags.always}, (c, i) => onChecked(c.reference ? {...c.reference, uploaded: c.uploaded} : null, i)),
      close: () => store.close(),
    };
  }

  private splitLine(
    line: string,
    separator: string | undefined,
    fixedKey: string | undefined,
    base: (value: string | Buffer, key: string | undefined) => OutgoingRecord,
  ): OutgoingRecord {
    if (separator === undefined) return base(line, fixedKey);
    const i = line.indexOf(separator);
    if (i < 0) return base(line, fixedKey);
    return base(line.slice(i + separator.length), line.slice(0, i));
  }

  private async *stdinRecords(toRecord: (line: string) => OutgoingRecord): AsyncGenerator<OutgoingRecord> {
    const rl = createInterface({input: process.stdin, crlfDelay: Infinity});
    for await (const line of rl) {
      if (line.length === 0) continue;
      yield toRecord(line);
    }
  }
}

/** What `--output json` says of a value sent through the claim check: its reference, and whether it was uploaded (false: the blob was there). */
type ClaimCheckSummary = ClaimCheckReference & {uploaded: boolean};

function readValueFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ConfigError(`--value-file ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** The line's text as is, or (Avro) its JSON written with the registered schema; a line that does not fit exits 2 naming line and field. */
function encodeText(serdes: TextSerdes, part: 'key' | 'value', text: string, line: number): string | Buffer {
  const serde = serdes[part];
  if (!serde) return text;
  const where = line > 0 ? `line ${line}` : `--${part}`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${where}: the ${part} is not JSON (${(error as Error).message}) — Avro ${part}s are given as JSON`);
  }
  try {
    return serde.serialize(json);
  } catch (error) {
    throw new ConfigError(`${where}: the ${part} ${(error as Error).message}`);
  }
}
