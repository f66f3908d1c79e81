import type {ConsumedRecord} from '../records.js';
import {AvroSerde, avroToJson, type SchemaSource} from './avro-serde.js';
import {looksFramed} from './confluent-wire.js';
import {SerdeError, UnknownSchemaIdError, UndecodableBytesError} from './errors.js';

/** How commands print a key or value: auto decodes Avro when it can and prints anything else as text. */
export type DisplayFormat = 'auto' | 'avro' | 'json' | 'string';
export const DISPLAY_FORMATS: DisplayFormat[] = ['auto', 'avro', 'json', 'string'];

export interface DisplayOptions {
  key: DisplayFormat;
  value: DisplayFormat;
  /** The registry, resolved on the first framed record; null when none is configured (auto then prints bytes as text). */
  registry: () => Promise<SchemaSource | null>;
  /** Undecodable bytes under avro/json: throw (consume), or print them as text (watch). */
  strict: boolean;
}

/** A record whose Avro key or value is replaced by its JSON text, ready for the usual printers. */
export type RecordDisplay = (record: ConsumedRecord) => Promise<ConsumedRecord>;

export function recordDisplay(opts: DisplayOptions): RecordDisplay {
  let serde: Promise<AvroSerde | null> | undefined;
  const avro = () => (serde ??= opts.registry().then((source) => (source ? new AvroSerde(source) : null)));

  const show = async (bytes: Buffer | null, format: DisplayFormat, record: ConsumedRecord, part: string): Promise<Buffer | null> => {
    if (bytes === null || format === 'string') return bytes;
    try {
      if (format === 'json') {
        JSON.parse(bytes.toString());
        return bytes;
      }
      if (format === 'auto' && !looksFramed(bytes)) return bytes;
      const reader = await avro();
      if (!reader) return bytes; // auto with no registry configured
      return Buffer.from(JSON.stringify(avroToJson(await reader.deserialize(bytes))));
    } catch (error) {
      const undecodable = error instanceof SerdeError || error instanceof SyntaxError;
      if (format === 'auto' && (error instanceof UnknownSchemaIdError || error instanceof UndecodableBytesError)) return bytes;
      if (!undecodable || opts.strict) throw at(record, part, format, error);
      return bytes;
    }
  };

  return async (record) => {
    if (opts.key === 'string' && opts.value === 'string') return record;
    const [key, value] = await Promise.all([show(record.key, opts.key, record, 'key'), show(record.value, opts.value, record, 'value')]);
    return key === record.key && value === record.value ? record : {...record, key, value};
  };
}

function at(record: ConsumedRecord, part: string, format: DisplayFormat, error: unknown): unknown {
  if (!(error instanceof SerdeError || error instanceof SyntaxError)) return error;
  const fix = format === 'json' ? '--value-format string prints it as text' : '--value-format auto prints what is not Avro as text';
  return new SerdeError(`${record.topic} ${record.partition}@${record.offset}: the ${part} is not ${format}: ${error.message} (${part === 'key' ? fix.replace('--value', '--key') : fix})`);
}
