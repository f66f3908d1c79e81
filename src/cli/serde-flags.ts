import {Flags} from '@oclif/core';
import {readFileSync} from 'node:fs';
import {ConfigError} from '../core/errors.js';
import type {RecordDisplay} from '../kafka/serde/record-display.js';
import type {AvroSerde} from '../kafka/serde/avro-serde.js';
import {registryClientFor} from './registry-flags.js';

const DISPLAY = ['auto', 'avro', 'json', 'string'] as const;

/** For commands that print records (consume, watch); spread into a command's `flags` beside registryFlags. */
export const displayFlags = {
  'value-format': Flags.string({
    summary: 'How to read values: auto decodes Avro (magic byte 0 and a schema id the registry knows) and prints the rest as text.',
    options: [...DISPLAY],
    default: 'auto',
  }),
  'key-format': Flags.string({summary: 'How to read keys, like --value-format.', options: [...DISPLAY], default: 'auto'}),
};

type Display = (typeof DISPLAY)[number];

/** The decoder for --key-format/--value-format. A missing registry is fine for auto; --…-format avro needs one. */
export async function recordDisplayFor(flags: {registry?: string; 'value-format'?: string; 'key-format'?: string}, strict: boolean): Promise<RecordDisplay> {
  const [{recordDisplay}, {NoRegistryError}] = await Promise.all([import('../kafka/serde/record-display.js'), import('../kafka/registry-connection.js')]);
  const key = (flags['key-format'] ?? 'auto') as Display;
  const value = (flags['value-format'] ?? 'auto') as Display;
  const needsRegistry = key === 'avro' || value === 'avro';
  return recordDisplay({
    key,
    value,
    strict,
    registry: () =>
      registryClientFor(flags).catch((error: unknown) => {
        if (error instanceof NoRegistryError && !needsRegistry) return null;
        throw error;
      }),
  });
}

/** For kpat produce: what the stdin lines are and how they are written. */
export const produceFormatFlags = {
  'value-format': Flags.string({summary: 'string sends each line as is; avro reads each line as JSON and writes Avro (needs --schema).', options: ['string', 'avro'], default: 'string'}),
  schema: Flags.string({summary: 'Avro schema file (.avsc) for the values; registered under --subject.'}),
  subject: Flags.string({summary: 'Subject to register the value schema under. Default: TOPIC-value.'}),
  'key-format': Flags.string({summary: 'string or avro (needs --key-schema), like --value-format.', options: ['string', 'avro'], default: 'string'}),
  'key-schema': Flags.string({summary: 'Avro schema file (.avsc) for the keys; registered under --key-subject.'}),
  'key-subject': Flags.string({summary: 'Subject to register the key schema under. Default: TOPIC-key.'}),
};

interface ProduceFormatValues {
  registry?: string;
  'value-format': string;
  schema?: string;
  subject?: string;
  'key-format': string;
  'key-schema'?: string;
  'key-subject'?: string;
}

export interface TextSerdes {
  key?: AvroSerde;
  value?: AvroSerde;
}

/** Registers the schemas the flags name and answers one Avro serde per half; none for string. Usage mistakes exit 2. */
export async function produceSerdes(topic: string, flags: ProduceFormatValues): Promise<TextSerdes> {
  const halves = [
    {part: 'value', format: flags['value-format'], file: flags.schema, subject: flags.subject ?? `${topic}-value`, fileFlag: '--schema', formatFlag: '--value-format'},
    {part: 'key', format: flags['key-format'], file: flags['key-schema'], subject: flags['key-subject'] ?? `${topic}-key`, fileFlag: '--key-schema', formatFlag: '--key-format'},
  ] as const;
  for (const h of halves) {
    if (h.format === 'avro' && !h.file) throw new ConfigError(`${h.formatFlag} avro needs the schema: pass ${h.fileFlag} FILE.avsc`);
    if (h.format !== 'avro' && h.file) throw new ConfigError(`${h.fileFlag} is for Avro ${h.part}s: add ${h.formatFlag} avro`);
  }
  if (!halves.some((h) => h.format === 'avro')) return {};
  const [client, {AvroSerde}] = await Promise.all([registryClientFor(flags), import('../kafka/serde/avro-serde.js')]);
  const out: TextSerdes = {};
  for (const h of halves) {
    if (h.format !== 'avro') continue;
    const schema = readSchemaFile(h.file!, h.fileFlag);
    const {id} = await client.register(h.subject, schema);
    out[h.part] = new AvroSerde(client, {schemaId: id, schema});
  }
  return out;
}

function readSchemaFile(file: string, flag: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${flag} ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${flag} ${file} is not JSON (${(error as Error).message}) — an .avsc file holds the schema as JSON`);
  }
  return text;
}
