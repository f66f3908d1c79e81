import avro from 'avsc';
import type {Serde, SerdeContext} from './serde.js';
import {frame, unframe} from './confluent-wire.js';
import {SchemaMismatchError, UndecodableBytesError, UnknownSchemaIdError} from './errors.js';

/** Where writer schemas come from: the registry, by id. Answers null for an id it does not know. */
export interface SchemaSource {
  schemaText(id: number): Promise<string | null>;
}

export interface AvroWriter {
  schemaId: number;
  schema: string;
}

/**
 * Avro in the Confluent wire format. Reads any record whose schema id the
 * registry knows (each schema fetched once, then cached by id); writes with the
 * one schema it was given (already registered, hence its id).
 */
export class AvroSerde implements Serde<unknown> {
  private readonly types = new Map<number, Promise<avro.Type>>();
  private readonly writer?: {schemaId: number; type: avro.Type};

  constructor(
    private readonly source: SchemaSource,
    writer?: AvroWriter,
  ) {
    if (writer) {
      const type = parseSchema(writer.schema);
      this.writer = {schemaId: writer.schemaId, type};
      this.types.set(writer.schemaId, Promise.resolve(type));
    }
  }

  serialize(value: unknown, _ctx?: SerdeContext): Buffer {
    if (!this.writer) throw new Error('this AvroSerde reads only: give it a writer schema to serialize');
    const {type, schemaId} = this.writer;
    // JSON has no bytes: strings become Buffers where the schema says bytes or fixed.
    const coerced = coerce(type, value);
    return frame(schemaId, type.toBuffer(coerced));
  }

  async deserialize(bytes: Buffer, _ctx?: SerdeContext): Promise<unknown> {
    const {schemaId, payload} = unframe(bytes);
    return this.decodeWith(await this.typeOf(schemaId), schemaId, payload);
  }

  /** The decoded value and the schema id it was written with. */
  async read(bytes: Buffer): Promise<{schemaId: number; value: unknown}> {
    const {schemaId, payload} = unframe(bytes);
    return {schemaId, value: this.decodeWith(await this.typeOf(schemaId), schemaId, payload)};
  }

  private decodeWith(type: avro.Type, schemaId: number, payload: Buffer): unknown {
    let decoded: {value: unknown; offset: number};
    try {
      decoded = type.decode(payload, 0);
    } catch (error) {
      throw new UndecodableBytesError(`Avro payload does not decode with schema id ${schemaId}: ${(error as Error).message}`);
    }
    if (decoded.offset < 0) throw new UndecodableBytesError(`Avro payload is truncated: ${payload.length} bytes end before a value of schema id ${schemaId} does`);
    if (decoded.offset !== payload.length) {
      throw new UndecodableBytesError(`Avro payload has ${payload.length - decoded.offset} bytes left over after a value of schema id ${schemaId}`);
    }
    return decoded.value;
  }

  private typeOf(schemaId: number): Promise<avro.Type> {
    let type = this.types.get(schemaId);
    if (!type) {
      type = this.source.schemaText(schemaId).then((text) => {
        if (text === null) throw new UnknownSchemaIdError(schemaId);
        return parseSchema(text);
      });
      // A failed lookup (registry down, unknown id) is asked again next time.
      type.catch(() => this.types.delete(schemaId));
      this.types.set(schemaId, type);
    }
    return type;
  }
}

function parseSchema(text: string): avro.Type {
  return avro.Type.forSchema(JSON.parse(text) as avro.Schema);
}

/** The value as avsc writes it, or a SchemaMismatchError naming the first field that does not fit. */
function coerce(type: avro.Type, value: unknown): unknown {
  let coerced: unknown;
  try {
    coerced = type.clone(value, {coerceBuffers: true});
  } catch {
    coerced = value;
  }
  let problem: {path: string; got: unknown; expected: string} | undefined;
  type.isValid(coerced, {
    errorHook(path, got, expected) {
      problem ??= {path: path.join('.'), got, expected: typeName(expected)};
    },
  });
  if (problem) {
    const where = problem.path ? `field "${problem.path}"` : 'the value';
    const got = problem.got === undefined ? 'it is missing' : `got ${JSON.stringify(problem.got)}`;
    throw new SchemaMismatchError(`${where} does not match the schema: expected ${problem.expected}, ${got}`, problem.path);
  }
  return coerced;
}

function typeName(type: avro.Type): string {
  const t = type as avro.Type & {typeName?: string; name?: string};
  return t.name ?? t.typeName ?? 'another type';
}

/** Avro values as plain JSON: records to objects, bytes to their ISO-8859-1 text (as Avro's JSON encoding does). */
export function avroToJson(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  if (Array.isArray(value)) return value.map(avroToJson);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [k, avroToJson(v)]));
  if (typeof value === 'bigint') return value.toString();
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = avroToJson(v);
    return out;
  }
  return value;
}
