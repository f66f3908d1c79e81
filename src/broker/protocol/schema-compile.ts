/**
 * Turns a declarative MessageSpec into the plan the generic codec walks, validating it once at
 * module load so a typo in a schema fails loudly at startup rather than mid-request.
 */
import {ZERO_UUID} from './primitives.js';
import type {DefaultValue, FieldSpec, PrimitiveType, VersionRange, VersionSpec} from './schema-types.js';

export interface CompiledStruct {
  readonly fields: readonly CompiledField[];
  /** Tagged fields by tag, for decoding the tagged-field section. */
  readonly byTag: ReadonlyMap<number, CompiledField>;
}

export interface CompiledField {
  readonly name: string;
  /** Dotted path from the message, for error messages. */
  readonly path: string;
  readonly isArray: boolean;
  readonly element: PrimitiveType | CompiledStruct;
  readonly versions: VersionRange | null;
  readonly nullableVersions: VersionRange | null;
  readonly taggedVersions: VersionRange | null;
  readonly tag: number | undefined;
  /** True when encode may fill the field in itself (see OmittableField in schema-types). */
  readonly omittable: boolean;
  /** A fresh default value (fresh so callers can mutate decoded arrays and structs). */
  readonly makeDefault: () => unknown;
}

const PRIMITIVES: ReadonlySet<string> = new Set<PrimitiveType>([
  'int8',
  'int16',
  'int32',
  'int64',
  'uint16',
  'float64',
  'bool',
  'string',
  'bytes',
  'records',
  'uuid',
]);

export function parseVersions(spec: VersionSpec, where: string): VersionRange | null {
  if (spec === 'none') return null;
  const match = /^(\d+)(?:(\+)|-(\d+))?$/.exec(spec);
  if (!match) throw new Error(`${where}: bad version range "${spec}"`);
  const min = Number(match[1]);
  const max = match[2] ? Infinity : match[3] !== undefined ? Number(match[3]) : min;
  if (max < min) throw new Error(`${where}: empty version range "${spec}"`);
  return [min, max];
}

export function inRange(range: VersionRange | null, version: number): boolean {
  return range !== null && version >= range[0] && version <= range[1];
}

function isSubRange(inner: VersionRange | null, outer: VersionRange | null): boolean {
  return inner === null || (outer !== null && inner[0] >= outer[0] && inner[1] <= outer[1]);
}

function primitiveDefault(type: PrimitiveType): () => unknown {
  switch (type) {
    case 'int64':
      return () => 0n;
    case 'bool':
      return () => false;
    case 'string':
      return () => '';
    case 'uuid':
      return () => ZERO_UUID;
    case 'bytes':
      return () => Buffer.alloc(0);
    case 'records':
      return () => null;
    default:
      return () => 0;
  }
}

function checkExplicitDefault(type: PrimitiveType, value: DefaultValue, nullable: boolean, path: string): unknown {
  const ok =
    value === null
      ? nullable
      : type === 'int64'
        ? typeof value === 'bigint' || Number.isInteger(value)
        : type === 'bool'
          ? typeof value === 'boolean'
          : type === 'string' || type === 'uuid'
            ? typeof value === 'string'
            : type === 'bytes' || type === 'records'
              ? false
              : typeof value === 'number';
  if (!ok) throw new Error(`${path}: default ${String(value)} does not fit type ${type}`);
  return type === 'int64' && value !== null ? BigInt(value) : value;
}

export function compileStruct(
  specs: readonly FieldSpec[],
  parentPath: string,
  flexibleVersions: VersionRange | null,
): CompiledStruct {
  const fields: CompiledField[] = [];
  const byTag = new Map<number, CompiledField>();
  const names = new Set<string>();
  for (const spec of specs) {
    const field = compileField(spec, `${parentPath}.${spec.name}`, flexibleVersions);
    if (names.has(field.name)) throw new Error(`${field.path}: duplicate field name`);
    names.add(field.name);
    if (field.tag !== undefined) {
      if (byTag.has(field.tag)) throw new Error(`${field.path}: duplicate tag ${field.tag}`);
      byTag.set(field.tag, field);
    }
    fields.push(field);
  }
  return {fields, byTag};
}

function compileField(spec: FieldSpec, path: string, flexibleVersions: VersionRange | null): CompiledField {
  const isArray = spec.type.startsWith('[]');
  const elementName = isArray ? spec.type.slice(2) : spec.type;
  const isPrimitive = PRIMITIVES.has(elementName);
  if (isPrimitive === (spec.fields !== undefined)) {
    throw new Error(`${path}: type ${spec.type} ${isPrimitive ? 'cannot have' : 'needs'} fields`);
  }
  const versions = parseVersions(spec.versions, path);
  const nullableVersions = spec.nullableVersions ? parseVersions(spec.nullableVersions, path) : null;
  const taggedVersions = spec.taggedVersions ? parseVersions(spec.taggedVersions, path) : null;
  if ((spec.tag === undefined) !== (taggedVersions === null)) {
    throw new Error(`${path}: tag and taggedVersions go together`);
  }
  if (!isSubRange(taggedVersions, flexibleVersions) || !isSubRange(taggedVersions, versions)) {
    throw new Error(`${path}: taggedVersions must lie within versions and flexibleVersions`);
  }
  const nullableKind = isArray || !isPrimitive || ['string', 'bytes', 'records'].includes(elementName);
  if (nullableVersions && !nullableKind) throw new Error(`${path}: ${spec.type} cannot be nullable`);

  const element: PrimitiveType | CompiledStruct = isPrimitive
    ? (elementName as PrimitiveType)
    : compileStruct(spec.fields ?? [], path, flexibleVersions);

  let makeDefault: () => unknown;
  if (spec.default !== undefined) {
    if (isArray || !isPrimitive) throw new Error(`${path}: only primitive fields take a default`);
    const value = checkExplicitDefault(element as PrimitiveType, spec.default, nullableVersions !== null, path);
    makeDefault = () => value;
  } else if (nullableVersions) {
    makeDefault = () => null;
  } else if (isArray) {
    makeDefault = () => [];
  } else if (typeof element === 'string') {
    makeDefault = primitiveDefault(element);
  } else {
    const struct = element;
    makeDefault = () => Object.fromEntries(struct.fields.map((f) => [f.name, f.makeDefault()]));
  }

  return {
    name: spec.name,
    path,
    isArray,
    element,
    versions,
    nullableVersions,
    taggedVersions,
    tag: spec.tag,
    omittable:
      spec.default !== undefined ||
      spec.tag !== undefined ||
      spec.type === 'records' ||
      (nullableVersions !== null && (spec.type === 'string' || spec.type === 'bytes')),
    makeDefault,
  };
}
