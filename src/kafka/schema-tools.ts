/**
 * What `kpat schema` does beyond plain REST calls: read a schema file, check it
 * against a subject's history with the same rules the embedded registry applies
 * (so the verdict explains every violation, against any Confluent-compatible
 * registry), diff two versions, and the reader × writer compatibility matrix.
 */
import {readFileSync} from 'node:fs';
import type avro from 'avsc';
import {ConfigError} from '../core/errors.js';
import {parseAvroSchema, avroType} from '../registry/avro-schema.js';
import {resolutionViolations} from '../registry/compatibility/avro-resolution.js';
import {checkCompatibility, isCompatibilityLevel, type CompatibilityLevel, type CompatibilityVerdict} from '../registry/compatibility/levels.js';
import {RegistryError} from '../registry/errors.js';
import {diffSchemas, type SchemaChange} from './schema-diff.js';
import type {RegistryClient, SubjectVersion} from './registry-client.js';

export interface SchemaFile {
  path: string;
  /** The schema's JSON text without insignificant whitespace. */
  text: string;
  type: avro.Type;
}

/** Reads and validates an .avsc file; anything wrong with it is a usage error (exit 2). */
export function readSchemaFile(path: string): SchemaFile {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`cannot read ${path} (${code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable')}) — give the path of an Avro schema (.avsc)`);
  }
  try {
    const {canonical, type} = parseAvroSchema(raw);
    return {path, text: canonical, type};
  } catch (error) {
    if (error instanceof RegistryError) throw new ConfigError(`${path} is not a valid Avro schema: ${error.message.replace(/^Invalid schema: /, '')}`);
    throw error;
  }
}

const typeOf = (v: SubjectVersion) => avroType(JSON.parse(v.schema));

export interface SubjectSummary {
  subject: string;
  versions: number[];
  latest: {version: number; id: number};
  compatibility: string;
}

export async function listSubjects(client: RegistryClient): Promise<SubjectSummary[]> {
  const subjects = await client.subjects();
  return Promise.all(
    subjects.map(async (subject) => {
      const [versions, latest, compatibility] = await Promise.all([client.versions(subject), client.version(subject, 'latest'), client.compatibility(subject)]);
      return {subject, versions, latest: {version: latest.version, id: latest.id}, compatibility};
    }),
  );
}

export interface CheckResult extends CompatibilityVerdict {
  subject: string;
  /** Where the level came from: --mode, or the registry's setting for the subject. */
  levelSource: 'flag' | 'registry';
  /** The file's schema is already this version of the subject. */
  registeredAs?: {version: number; id: number};
}

/** Checks a schema file against a subject's live versions at a level (given, else the subject's own). */
export async function checkSchemaFile(client: RegistryClient, subject: string, file: SchemaFile, mode?: CompatibilityLevel): Promise<CheckResult> {
  const history = await client.history(subject);
  const level = mode ?? (await client.compatibility(subject));
  if (!isCompatibilityLevel(level)) throw new ConfigError(`the registry gives subject ${subject} compatibility ${level}, which kpat does not know — pass --mode`);
  const verdict = checkCompatibility(file.type, history.map((v) => ({version: v.version, type: typeOf(v)})), level);
  const same = history.find((v) => JSON.stringify(JSON.parse(v.schema)) === file.text);
  return {...verdict, subject, levelSource: mode ? 'flag' : 'registry', ...(same ? {registeredAs: {version: same.version, id: same.id}} : {})};
}

export async function diffVersions(client: RegistryClient, subject: string, from: number | 'latest', to: number | 'latest') {
  const [a, b] = await Promise.all([client.version(subject, from), client.version(subject, to)]);
  return {subject, from: {version: a.version, id: a.id}, to: {version: b.version, id: b.id}, changes: diffSchemas(typeOf(a), typeOf(b)) as SchemaChange[]};
}

export interface MatrixCell {
  reader: number;
  writer: number;
  compatible: boolean;
  violations: number;
}

export interface CompatibilityMatrix {
  subject: string;
  versions: number[];
  cells: MatrixCell[];
  /** Incompatible pairs whose every step between is compatible: what only a _TRANSITIVE level catches. */
  hiddenBreaks: MatrixCell[];
}

/** Can version r read data written with version w, for every pair of the subject's live versions. */
export async function compatibilityMatrix(client: RegistryClient, subject: string): Promise<CompatibilityMatrix> {
  const history = await client.history(subject);
  if (history.length === 0) await client.versions(subject); // throws the registry's "subject not found"
  const types = new Map(history.map((v) => [v.version, typeOf(v)]));
  const versions = history.map((v) => v.version);
  const cells: MatrixCell[] = [];
  for (const reader of versions) {
    for (const writer of versions) {
      const n = reader === writer ? 0 : resolutionViolations(types.get(reader)!, types.get(writer)!).length;
      cells.push({reader, writer, compatible: n === 0, violations: n});
    }
  }
  const at = (r: number, w: number) => cells.find((c) => c.reader === versions[r] && c.writer === versions[w])!;
  const hiddenBreaks = cells.filter((c) => {
    const r = versions.indexOf(c.reader);
    const w = versions.indexOf(c.writer);
    if (c.compatible || Math.abs(r - w) < 2) return false;
    // Each adjacent step in the same direction (reader newer or older than writer) is compatible.
    const step = r > w ? 1 : -1;
    for (let i = w; i !== r; i += step) if (!at(i + step, i).compatible) return false;
    return true;
  });
  return {subject, versions, cells, hiddenBreaks};
}
