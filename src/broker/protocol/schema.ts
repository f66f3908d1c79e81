/**
 * Declarative Kafka message schemas and the one generic codec that reads and writes any of
 * them at any version. Per-version differences live only in the schemas' version ranges:
 *   - a field outside its `versions` is not on the wire: skipped on encode, default on decode;
 *   - flexible versions use compact strings/bytes/arrays and end every struct with a
 *     tagged-field section; tagged fields are written only when they differ from their default,
 *     and unknown tags are skipped on decode (KIP-482).
 */
import {ErrorCode, KafkaProtocolError} from './errors.js';
import {ProtocolDecodeError, Reader, Writer} from './primitives.js';
import {type CompiledField, type CompiledStruct, compileStruct, inRange, parseVersions} from './schema-compile.js';
import type {
  DecodedStruct,
  EncodableStruct,
  FieldSpec,
  MessageSpec,
  VersionRange,
} from './schema-types.js';

export type {
  DecodedStruct,
  DefaultValue,
  EncodableStruct,
  FieldSpec,
  MessageSpec,
  PrimitiveType,
  VersionRange,
  VersionSpec,
} from './schema-types.js';

export interface MessageSchema<F extends readonly FieldSpec[] = readonly FieldSpec[]> {
  readonly name: string;
  readonly apiKey: number;
  readonly validVersions: VersionRange;
  /** null when the message has no flexible version at all. */
  readonly flexibleVersions: VersionRange | null;
  /** The declaration, kept for type inference and introspection. */
  readonly fields: F;
  /** The validated plan the codec walks. */
  readonly struct: CompiledStruct;
}

/** A schema whose fields TypeScript cannot see (typed as plain MessageSchema, e.g. in a registry). */
type IsOpaque<S extends MessageSchema> = string extends S['fields'][number]['name'] ? true : false;

/** The value decodeMessage returns for this schema. */
export type Decoded<S extends MessageSchema> =
  IsOpaque<S> extends true ? Record<string, unknown> : DecodedStruct<S['fields']>;
/** The value encodeMessage accepts for this schema (anything for an opaque one: checked at run time). */
export type Encodable<S extends MessageSchema> = IsOpaque<S> extends true ? unknown : EncodableStruct<S['fields']>;

/** Validates and compiles a spec; `const` keeps field literals so types can be inferred. */
export function defineMessage<const F extends readonly FieldSpec[]>(spec: MessageSpec<F>): MessageSchema<F> {
  const validVersions = parseVersions(spec.validVersions, spec.name);
  if (!validVersions || validVersions[1] === Infinity) {
    throw new Error(`${spec.name}: validVersions must be a closed range`);
  }
  const flexibleVersions = parseVersions(spec.flexibleVersions, spec.name);
  return {
    name: spec.name,
    apiKey: spec.apiKey,
    validVersions,
    flexibleVersions,
    fields: spec.fields,
    struct: compileStruct(spec.fields, spec.name, flexibleVersions),
  };
}

export function isFlexible(schema: MessageSchema, version: number): boolean {
  return inRange(schema.flexibleVersions, version);
}

function assertVersion(schema: MessageSchema, version: number): void {
  if (!inRange(schema.validVersions, version)) {
    const [min, max] = schema.validVersions;
    throw new KafkaProtocolError(
      ErrorCode.UNSUPPORTED_VERSION,
      `${schema.name} v${version} is not supported (only v${min}-v${max})`,
    );
  }
}

interface Context {
  readonly version: number;
  readonly flexible: boolean;
}

/**
 * Reads one message body. Throws ProtocolDecodeError on malformed bytes and a
 * KafkaProtocolError(UNSUPPORTED_VERSION) for a version outside the schema's range.
 * Bytes and records come back as views into the input buffer (no copy).
 */
export function decodeMessage<S extends MessageSchema>(
  schema: S,
  version: number,
  input: Reader | Buffer,
): Decoded<S> {
  assertVersion(schema, version);
  const reader = input instanceof Reader ? input : new Reader(input);
  return readStruct(schema.struct, {version, flexible: isFlexible(schema, version)}, reader) as Decoded<S>;
}

/** Appends one message body to `writer` (a new one by default) and returns the writer. */
export function encodeMessage<S extends MessageSchema>(
  schema: S,
  version: number,
  value: NoInfer<Encodable<S>>,
  writer: Writer = new Writer(),
): Writer {
  assertVersion(schema, version);
  const ctx = {version, flexible: isFlexible(schema, version)};
  writeStruct(schema.struct, value as Record<string, unknown>, ctx, writer, schema.name);
  return writer;
}

// ---- decoding ----

function readStruct(struct: CompiledStruct, ctx: Context, reader: Reader): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of struct.fields) {
    const onWire = inRange(field.versions, ctx.version) && !inRange(field.taggedVersions, ctx.version);
    out[field.name] = onWire ? readField(field, ctx, reader) : field.makeDefault();
  }
  if (ctx.flexible) {
    reader.readTaggedFields((tag, data) => {
      const field = struct.byTag.get(tag);
      if (!field || !inRange(field.taggedVersions, ctx.version)) return;
      out[field.name] = readField(field, ctx, data);
      if (data.remaining !== 0) {
        throw new ProtocolDecodeError(`${field.path}: ${data.remaining} stray bytes in tagged field`);
      }
    });
  }
  return out;
}

function readField(field: CompiledField, ctx: Context, reader: Reader): unknown {
  const nullable = inRange(field.nullableVersions, ctx.version);
  if (!field.isArray) return readElement(field, ctx, reader, nullable);
  const length = reader.readArrayLength(ctx.flexible, nullable);
  if (length === null) return null;
  const items: unknown[] = [];
  for (let i = 0; i < length; i++) items.push(readElement(field, ctx, reader, false));
  return items;
}

function readElement(field: CompiledField, ctx: Context, reader: Reader, nullable: boolean): unknown {
  const {flexible} = ctx;
  switch (field.element) {
    case 'int8':
      return reader.readInt8();
    case 'int16':
      return reader.readInt16();
    case 'int32':
      return reader.readInt32();
    case 'int64':
      return reader.readInt64();
    case 'uint16':
      return reader.readUInt16();
    case 'float64':
      return reader.readFloat64();
    case 'bool':
      return reader.readBool();
    case 'uuid':
      return reader.readUuid();
    case 'string':
      if (flexible) return nullable ? reader.readCompactNullableString() : reader.readCompactString();
      return nullable ? reader.readNullableString() : reader.readString();
    case 'bytes':
      if (flexible) return nullable ? reader.readCompactNullableBytes() : reader.readCompactBytes();
      return nullable ? reader.readNullableBytes() : reader.readBytes();
    case 'records':
      return flexible ? reader.readCompactNullableBytes() : reader.readNullableBytes();
    default: {
      // A nullable (non-array) struct is preceded by an int8 marker: -1 null, 1 present.
      if (nullable && reader.readInt8() < 0) return null;
      return readStruct(field.element, ctx, reader);
    }
  }
}

// ---- encoding ----

function writeStruct(
  struct: CompiledStruct,
  value: Record<string, unknown>,
  ctx: Context,
  writer: Writer,
  path: string,
): void {
  if (typeof value !== 'object' || value === null) throw new TypeError(`${path} must be an object`);
  const tagged: CompiledField[] = [];
  for (const field of struct.fields) {
    if (!inRange(field.versions, ctx.version)) continue;
    if (inRange(field.taggedVersions, ctx.version)) {
      if (!isDefault(field, value[field.name])) tagged.push(field);
      continue;
    }
    writeField(field, value[field.name], ctx, writer);
  }
  if (!ctx.flexible) return;
  tagged.sort((a, b) => (a.tag as number) - (b.tag as number));
  writer.writeUnsignedVarint(tagged.length);
  for (const field of tagged) {
    const data = writeField(field, value[field.name], ctx, new Writer(64)).toBuffer();
    writer.writeUnsignedVarint(field.tag as number).writeUnsignedVarint(data.length).writeRaw(data);
  }
}

function writeField(field: CompiledField, given: unknown, ctx: Context, writer: Writer): Writer {
  let value = given;
  if (value === undefined) {
    if (!field.omittable) throw new TypeError(`${field.path} is required in v${ctx.version}`);
    value = field.makeDefault();
  }
  const nullable = inRange(field.nullableVersions, ctx.version) || field.element === 'records';
  if (value === null && !nullable) throw new TypeError(`${field.path} cannot be null in v${ctx.version}`);
  if (!field.isArray) {
    writeElement(field, value, ctx, writer, nullable);
    return writer;
  }
  if (value === null) return writer.writeArrayLength(null, ctx.flexible);
  if (!Array.isArray(value)) throw new TypeError(`${field.path} must be an array`);
  writer.writeArrayLength(value.length, ctx.flexible);
  for (const item of value) {
    if (item === null || item === undefined) throw new TypeError(`${field.path} has a null element`);
    writeElement(field, item, ctx, writer, false);
  }
  return writer;
}

function writeElement(field: CompiledField, value: unknown, ctx: Context, writer: Writer, nullable: boolean): void {
  const {flexible} = ctx;
  switch (field.element) {
    case 'int8':
      writer.writeInt8(value as number);
      return;
    case 'int16':
      writer.writeInt16(value as number);
      return;
    case 'int32':
      writer.writeInt32(value as number);
      return;
    case 'int64':
      writer.writeInt64(value as bigint | number);
      return;
    case 'uint16':
      writer.writeUInt16(value as number);
      return;
    case 'float64':
      writer.writeFloat64(value as number);
      return;
    case 'bool':
      writer.writeBool(value as boolean);
      return;
    case 'uuid':
      writer.writeUuid(value as string);
      return;
    case 'string': {
      // Non-nullable versions never get here with null (writeField checks), so the nullable
      // writers produce the same bytes for a non-null value.
      const text = value as string | null;
      if (flexible) writer.writeCompactNullableString(text);
      else writer.writeNullableString(text);
      return;
    }
    case 'bytes': {
      const bytes = value as Uint8Array | null;
      if (flexible) writer.writeCompactNullableBytes(bytes);
      else writer.writeNullableBytes(bytes);
      return;
    }
    case 'records': {
      const records = value as Uint8Array | null;
      if (flexible) writer.writeCompactNullableBytes(records);
      else writer.writeNullableBytes(records);
      return;
    }
    default:
      if (nullable) {
        writer.writeInt8(value === null ? -1 : 1);
        if (value === null) return;
      }
      writeStruct(field.element, value as Record<string, unknown>, ctx, writer, field.path);
  }
}

/** Whether a tagged field can stay off the wire because it holds its default. */
function isDefault(field: CompiledField, value: unknown): boolean {
  if (value === undefined) return true;
  const fallback = field.makeDefault();
  if (fallback === null || value === null) return fallback === value;
  if (field.isArray) return (value as unknown[]).length === 0;
  if (typeof field.element !== 'string') {
    const struct = value as Record<string, unknown>;
    return field.element.fields.every((sub) => isDefault(sub, struct[sub.name]));
  }
  if (field.element === 'int64') return BigInt(value as bigint | number) === fallback;
  if (field.element === 'bytes') return (value as Uint8Array).length === 0;
  return value === fallback;
}
