/**
 * The declarative message model (in the spirit of Kafka's clients/.../common/message/*.json)
 * and the TypeScript types inferred from it, so a schema is written once and handlers get
 * exact request/response shapes without a hand-maintained interface per message.
 */

export type PrimitiveType =
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint16'
  | 'float64'
  | 'bool'
  | 'string'
  | 'bytes'
  | 'records'
  | 'uuid';

/** Kafka's version-range syntax: "3+" (3 and later), "2-4" (inclusive), "5" (only 5), "none". */
export type VersionSpec = `${number}+` | `${number}-${number}` | `${number}` | 'none';

/** Parsed version range, inclusive on both ends (max is Infinity for "N+"). */
export type VersionRange = readonly [min: number, max: number];

export type DefaultValue = number | bigint | string | boolean | null;

export interface FieldSpec {
  /** camelCase of Kafka's field name. */
  readonly name: string;
  /**
   * A PrimitiveType, "[]" + a PrimitiveType, or a struct name (e.g. "TopicProduceData") given
   * together with `fields`, optionally "[]"-prefixed for an array of that struct.
   */
  readonly type: string;
  readonly versions: VersionSpec;
  readonly nullableVersions?: VersionSpec;
  readonly taggedVersions?: VersionSpec;
  readonly tag?: number;
  /** Value used when the field is absent from a version (and when omitted on encode). */
  readonly default?: DefaultValue;
  readonly fields?: readonly FieldSpec[];
}

export interface MessageSpec<F extends readonly FieldSpec[]> {
  /** Kafka's message name, e.g. "ProduceRequest". */
  readonly name: string;
  readonly apiKey: number;
  /** The versions this broker implements (narrower than Kafka's). */
  readonly validVersions: VersionSpec;
  /** Kafka's flexible range, kept open-ended even beyond validVersions. */
  readonly flexibleVersions: VersionSpec;
  readonly fields: F;
}

type PrimitiveOut = {
  int8: number;
  int16: number;
  int32: number;
  uint16: number;
  float64: number;
  int64: bigint;
  bool: boolean;
  string: string;
  uuid: string;
  bytes: Buffer;
  records: Buffer | null;
};

/** Encoders are lenient where it costs nothing: int64 takes numbers, bytes any Uint8Array. */
type PrimitiveIn = Omit<PrimitiveOut, 'int64' | 'bytes' | 'records'> & {
  int64: bigint | number;
  bytes: Uint8Array;
  records: Uint8Array | null;
};

type Direction = 'in' | 'out';

type SubFields<F> = F extends {readonly fields: infer S extends readonly FieldSpec[]} ? S : never;

type ElementValue<T extends string, F, D extends Direction> = T extends PrimitiveType
  ? D extends 'in'
    ? PrimitiveIn[T]
    : PrimitiveOut[T]
  : D extends 'in'
    ? EncodableStruct<SubFields<F>>
    : DecodedStruct<SubFields<F>>;

type FieldValue<F extends FieldSpec, D extends Direction> =
  | (F['type'] extends `[]${infer E}` ? ElementValue<E, F, D>[] : ElementValue<F['type'], F, D>)
  | (F extends {readonly nullableVersions: VersionSpec} ? null : never);

/**
 * Fields the encoder can fill in by itself: explicit defaults, nullable strings/bytes (null),
 * tagged fields and records (null). Nullable arrays stay required: null and [] mean different
 * things on the wire (e.g. "all topics" vs "no topics").
 */
type OmittableField =
  | {readonly default: DefaultValue}
  | {readonly nullableVersions: VersionSpec; readonly type: 'string' | 'bytes'}
  | {readonly tag: number}
  | {readonly type: 'records'};

type Simplify<T> = {[K in keyof T]: T[K]} & {};

/** What decode returns: every field present (defaults filled for fields absent in that version). */
export type DecodedStruct<F extends readonly FieldSpec[]> = {
  [K in F[number] as K['name']]: FieldValue<K, 'out'>;
};

/** What encode accepts: one shape for every version; fields not in the version are ignored. */
export type EncodableStruct<F extends readonly FieldSpec[]> = Simplify<
  {
    [K in F[number] as K extends OmittableField ? never : K['name']]: FieldValue<K, 'in'>;
  } & {
    [K in F[number] as K extends OmittableField ? K['name'] : never]?: FieldValue<K, 'in'>;
  }
>;
