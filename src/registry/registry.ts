/**
 * The schema registry's operations, as the REST API exposes them: each checks
 * its input, writes its change to the store (acknowledged) and only then
 * applies it, so what a client was told is what a restart reads back.
 */
import {parseAvroSchema, avroType} from './avro-schema.js';
import {checkCompatibility, DEFAULT_COMPATIBILITY, isCompatibilityLevel, violationMessage, type CompatibilityLevel, type CompatibilityVerdict} from './compatibility/levels.js';
import * as E from './errors.js';
import {RegistryState} from './registry-state.js';
import type {SchemaStore} from './schema-store.js';
import {decodeRecord, encodeRecord, type RegistryRecord, type SchemaVersionRecord} from './store-records.js';

export const SUPPORTED_SCHEMA_TYPES = ['AVRO'] as const;

export interface SubjectVersion {
  subject: string;
  id: number;
  version: number;
  schema: string;
}

/** A version as the API names it: a number from 1, or "latest" (-1 means latest too, as Confluent accepts). */
export type VersionRef = number | 'latest';

export function parseVersionRef(text: string): VersionRef {
  if (text === 'latest' || text === '-1') return 'latest';
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(n) || n < 1 || n > 2 ** 31 - 1) throw E.invalidVersion(text);
  return n;
}

const asView = (v: SchemaVersionRecord): SubjectVersion => ({subject: v.subject, id: v.id, version: v.version, schema: v.schema});

export class SchemaRegistry {
  private readonly state = new RegistryState();
  /** Changes are written one at a time, in order. */
  private writing: Promise<unknown> = Promise.resolve();

  private constructor(private readonly store: SchemaStore) {}

  /** Reads the store whole, then serves. */
  static async open(store: SchemaStore): Promise<SchemaRegistry> {
    const registry = new SchemaRegistry(store);
    for (const entry of await store.readAll()) {
      const record = decodeRecord(entry);
      if (record) registry.state.apply(record);
    }
    return registry;
  }

  close(): Promise<void> {
    return this.store.close();
  }

  subjects(opts: {deleted?: boolean} = {}): string[] {
    return this.state.subjectNames(opts);
  }

  versions(subject: string, opts: {deleted?: boolean} = {}): number[] {
    const versions = this.state.versions(subject, opts);
    if (versions.length === 0) throw E.subjectNotFound(subject);
    return versions.map((v) => v.version);
  }

  version(subject: string, ref: VersionRef, opts: {deleted?: boolean} = {}): SubjectVersion {
    return asView(this.findVersion(subject, ref, opts));
  }

  private findVersion(subject: string, ref: VersionRef, opts: {deleted?: boolean}): SchemaVersionRecord {
    const all = this.state.versions(subject, {deleted: true});
    const visible = opts.deleted ? all : all.filter((v) => !v.deleted);
    if (visible.length === 0) throw E.subjectNotFound(subject);
    const found = ref === 'latest' ? visible.at(-1) : visible.find((v) => v.version === ref);
    if (!found) throw E.versionNotFound(subject, ref);
    return found;
  }

  schemaById(id: number): {schema: string} {
    const holder = this.state.holdersOf(id)[0];
    if (!holder) throw E.schemaNotFound(`Schema ${id} not found`);
    return {schema: holder.schema};
  }

  subjectVersionsOfId(id: number, opts: {deleted?: boolean} = {}): Array<{subject: string; version: number}> {
    const holders = this.state.holdersOf(id);
    if (holders.length === 0) throw E.schemaNotFound(`Schema ${id} not found`);
    return holders.filter((v) => opts.deleted || !v.deleted).map((v) => ({subject: v.subject, version: v.version}));
  }

  /** The subject's version holding this schema (same canonical text), if any. */
  lookup(subject: string, schemaText: string, opts: {schemaType?: string; deleted?: boolean} = {}): SubjectVersion {
    if (this.state.versions(subject, {deleted: opts.deleted}).length === 0) throw E.subjectNotFound(subject);
    const {canonical} = this.parse(schemaText, opts.schemaType);
    const found = this.state.versions(subject, {deleted: opts.deleted}).find((v) => v.schema === canonical);
    if (!found) throw E.schemaNotFound();
    return asView(found);
  }

  levelOf(subject: string | null): CompatibilityLevel {
    return (subject === null ? undefined : this.state.config(subject)) ?? this.state.config(null) ?? DEFAULT_COMPATIBILITY;
  }

  /** Checks `schemaText` against one version, or against what the subject's level covers. */
  checkCompatibility(subject: string, ref: VersionRef | undefined, schemaText: string, opts: {schemaType?: string} = {}): CompatibilityVerdict & {messages: string[]} {
    const {type} = this.parse(schemaText, opts.schemaType);
    const level = this.levelOf(subject);
    let earlier = this.state.versions(subject);
    if (ref !== undefined) earlier = [this.findVersion(subject, ref, {})];
    const verdict = checkCompatibility(
      type,
      earlier.map((v) => ({version: v.version, type: avroType(JSON.parse(v.schema))})),
      // One named version is checked in the level's directions only, not transitively.
      ref === undefined ? level : (level.replace('_TRANSITIVE', '') as CompatibilityLevel),
    );
    return {...verdict, level, messages: verdict.violations.map(violationMessage)};
  }

  /** Registers a schema under a subject: its existing id when already there, else a new version (after the compatibility check). */
  register(subject: string, schemaText: string, opts: {schemaType?: string} = {}): Promise<{id: number}> {
    return this.serialized(async () => {
      const {canonical} = this.parse(schemaText, opts.schemaType);
      const live = this.state.versions(subject);
      const existing = live.find((v) => v.schema === canonical);
      if (existing) return {id: existing.id};
      const verdict = this.checkCompatibility(subject, undefined, canonical);
      if (!verdict.compatible) {
        throw E.incompatibleSchema(subject, verdict.level, verdict.messages);
      }
      const id = this.state.idOf(canonical) ?? this.state.nextId;
      const version = (this.state.versions(subject, {deleted: true}).at(-1)?.version ?? 0) + 1;
      await this.write([{kind: 'schema', subject, version, value: {subject, version, id, schema: canonical, deleted: false}}]);
      return {id};
    });
  }

  /** Soft delete marks every live version deleted; permanent removes a soft-deleted subject for good. */
  deleteSubject(subject: string, opts: {permanent?: boolean} = {}): Promise<number[]> {
    return this.serialized(async () => {
      const all = this.state.versions(subject, {deleted: true});
      if (all.length === 0) throw E.subjectNotFound(subject);
      const live = all.filter((v) => !v.deleted);
      if (opts.permanent) {
        if (live.length > 0) throw E.subjectNotSoftDeleted(subject);
        await this.write([
          {kind: 'high-water', id: this.state.maxId},
          ...all.map((v): RegistryRecord => ({kind: 'schema', subject, version: v.version, value: null})),
          ...(this.state.config(subject) ? [{kind: 'config', subject, level: null} as const] : []),
        ]);
        return all.map((v) => v.version);
      }
      if (live.length === 0) throw E.subjectSoftDeleted(subject);
      await this.write(live.map((v) => ({kind: 'schema', subject, version: v.version, value: {...v, deleted: true}})));
      return live.map((v) => v.version);
    });
  }

  deleteVersion(subject: string, ref: VersionRef, opts: {permanent?: boolean} = {}): Promise<number> {
    return this.serialized(async () => {
      const all = this.state.versions(subject, {deleted: true});
      if (all.length === 0) throw E.subjectNotFound(subject);
      // "latest" names the latest live version (soft-deleted ones are out of the way).
      const target = ref === 'latest' ? (opts.permanent ? all : all.filter((v) => !v.deleted)).at(-1) : all.find((v) => v.version === ref);
      if (!target) throw E.versionNotFound(subject, ref);
      if (opts.permanent) {
        if (!target.deleted) throw E.versionNotSoftDeleted(subject, target.version);
        await this.write([{kind: 'high-water', id: this.state.maxId}, {kind: 'schema', subject, version: target.version, value: null}]);
      } else {
        if (target.deleted) throw E.versionSoftDeleted(subject, target.version);
        await this.write([{kind: 'schema', subject, version: target.version, value: {...target, deleted: true}}]);
      }
      return target.version;
    });
  }

  /** The subject's own level; with defaultToGlobal, the global one when it has none. */
  config(subject: string | null, opts: {defaultToGlobal?: boolean} = {}): {compatibilityLevel: CompatibilityLevel} {
    if (subject === null) return {compatibilityLevel: this.levelOf(null)};
    const own = this.state.config(subject);
    if (own) return {compatibilityLevel: own};
    if (opts.defaultToGlobal) return {compatibilityLevel: this.levelOf(null)};
    throw E.subjectCompatibilityNotConfigured(subject);
  }

  setConfig(subject: string | null, level: string): Promise<{compatibility: CompatibilityLevel}> {
    return this.serialized(async () => {
      if (!isCompatibilityLevel(level)) throw E.invalidCompatibilityLevel(level);
      await this.write([{kind: 'config', subject, level}]);
      return {compatibility: level};
    });
  }

  /** Removes a subject's level (the global one then applies) or resets the global one to BACKWARD; answers the level removed. */
  deleteConfig(subject: string | null): Promise<{compatibilityLevel: CompatibilityLevel}> {
    return this.serialized(async () => {
      const previous = this.levelOf(subject);
      if (subject !== null && !this.state.config(subject)) {
        if (!this.state.hasSubject(subject)) throw E.subjectNotFound(subject);
        throw E.subjectCompatibilityNotConfigured(subject);
      }
      if (this.state.config(subject)) await this.write([{kind: 'config', subject, level: null}]);
      return {compatibilityLevel: previous};
    });
  }

  private parse(text: string, schemaType = 'AVRO') {
    if (schemaType !== 'AVRO') throw E.invalidSchema(`schema type ${schemaType} is not supported here (only AVRO)`);
    return parseAvroSchema(text);
  }

  private async write(records: RegistryRecord[]): Promise<void> {
    try {
      await this.store.append(records.map(encodeRecord));
    } catch (error) {
      throw E.storeError((error as Error).message);
    }
    for (const r of records) this.state.apply(r);
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.writing.then(fn, fn);
    this.writing = run.catch(() => {});
    return run;
  }
}
