import {mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {z} from 'zod';
import {kpatHome} from '../../stack/paths.js';
import {ConfigError} from '../../core/errors.js';

const UndoEntrySchema = z.object({
  id: z.string(),
  /** When the replay was executed (ISO 8601). */
  at: z.string(),
  /** The cluster it ran against: an entry is only ever restored there. */
  clusterId: z.string(),
  brokers: z.array(z.string()),
  /** What the replay did, for people. */
  target: z.string(),
  /** The committed offsets just before it, per partition it covered (null: nothing was committed). */
  offsets: z.array(z.object({topic: z.string(), partition: z.number().int(), offset: z.number().int().nullable()})),
  /** The group had committed nothing at all before (undo may delete it). */
  groupWasNew: z.boolean().default(false),
});

const UndoFileSchema = z.object({group: z.string(), entries: z.array(UndoEntrySchema)});

export type UndoEntry = z.output<typeof UndoEntrySchema>;

/** How many executed replays per group can be undone, newest first. */
const KEEP = 10;

/**
 * Offsets saved before each executed replay, so `--undo` can put them back:
 * $KPAT_HOME/replay/<group>.json, newest entry last, a short history per group.
 */
export class UndoStore {
  constructor(readonly dir: string = join(kpatHome(), 'replay')) {}

  fileOf(group: string): string {
    return join(this.dir, `${encodeURIComponent(group)}.json`);
  }

  entries(group: string): UndoEntry[] {
    const file = this.fileOf(group);
    let raw: string;
    try {
      raw = readFileSync(file, 'utf8');
    } catch {
      return [];
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new ConfigError(`${file} is not valid JSON — fix or remove it (it only holds offsets saved for --undo)`);
    }
    const parsed = UndoFileSchema.safeParse(json);
    if (!parsed.success) throw new ConfigError(`${file} is not a kpat undo file — fix or remove it`);
    return parsed.data.entries;
  }

  /** The newest entry saved on this cluster. */
  latest(group: string, clusterId: string): UndoEntry | null {
    return this.entries(group).filter((e) => e.clusterId === clusterId).at(-1) ?? null;
  }

  save(group: string, entry: UndoEntry): void {
    this.write(group, [...this.entries(group), entry].slice(-KEEP));
  }

  remove(group: string, id: string): void {
    this.write(group, this.entries(group).filter((e) => e.id !== id));
  }

  // Written aside and renamed into place, so a crash never leaves half a file.
  private write(group: string, entries: UndoEntry[]): void {
    mkdirSync(this.dir, {recursive: true});
    const file = this.fileOf(group);
    writeFileSync(`${file}.tmp`, JSON.stringify({group, entries}, null, 2) + '\n');
    renameSync(`${file}.tmp`, file);
  }
}
