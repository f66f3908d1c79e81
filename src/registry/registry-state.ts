import type {CompatibilityLevel} from './compatibility/levels.js';
import type {RegistryRecord, SchemaVersionRecord} from './store-records.js';

/**
 * What the registry knows, rebuilt by applying its records in order: the
 * versions of each subject (soft-deleted ones kept, flagged), compatibility
 * settings, and the highest id ever handed out.
 */
export class RegistryState {
  private readonly subjects = new Map<string, Map<number, SchemaVersionRecord>>();
  private readonly configs = new Map<string | null, CompatibilityLevel>();
  private highestId = 0;

  apply(record: RegistryRecord): void {
    if (record.kind === 'config') {
      if (record.level) this.configs.set(record.subject, record.level);
      else this.configs.delete(record.subject);
    } else if (record.kind === 'high-water') {
      this.highestId = Math.max(this.highestId, record.id);
    } else if (record.value) {
      const versions = this.subjects.get(record.subject) ?? new Map<number, SchemaVersionRecord>();
      versions.set(record.version, record.value);
      this.subjects.set(record.subject, versions);
      this.highestId = Math.max(this.highestId, record.value.id);
    } else {
      const versions = this.subjects.get(record.subject);
      versions?.delete(record.version);
      if (versions?.size === 0) this.subjects.delete(record.subject);
    }
  }

  /** A subject's versions, oldest first; soft-deleted ones only when asked. */
  versions(subject: string, opts: {deleted?: boolean} = {}): SchemaVersionRecord[] {
    const all = [...(this.subjects.get(subject)?.values() ?? [])].sort((a, b) => a.version - b.version);
    return opts.deleted ? all : all.filter((v) => !v.deleted);
  }

  subjectNames(opts: {deleted?: boolean} = {}): string[] {
    return [...this.subjects.keys()].filter((s) => this.versions(s, opts).length > 0).sort();
  }

  /** Any version, soft-deleted or not, until it is permanently deleted. */
  hasSubject(subject: string): boolean {
    return this.subjects.has(subject);
  }

  /** Every version record that holds this id (any subject, soft-deleted included). */
  holdersOf(id: number): SchemaVersionRecord[] {
    const out: SchemaVersionRecord[] = [];
    for (const versions of this.subjects.values()) for (const v of versions.values()) if (v.id === id) out.push(v);
    return out.sort((a, b) => (a.subject === b.subject ? a.version - b.version : a.subject < b.subject ? -1 : 1));
  }

  /** The id already given to this canonical schema text, anywhere. */
  idOf(canonical: string): number | undefined {
    for (const versions of this.subjects.values()) for (const v of versions.values()) if (v.schema === canonical) return v.id;
    return undefined;
  }

  get nextId(): number {
    return this.highestId + 1;
  }

  get maxId(): number {
    return this.highestId;
  }

  config(subject: string | null): CompatibilityLevel | undefined {
    return this.configs.get(subject);
  }
}
