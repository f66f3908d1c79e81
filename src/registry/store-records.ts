/**
 * The registry's records in its store, shaped like Confluent's `_schemas` topic:
 * a SCHEMA record per subject version, a CONFIG record per compatibility
 * setting (subject null = global), and ID_HIGH_WATER so an id is never handed
 * out twice even after every schema holding it was permanently deleted.
 */
import {z} from 'zod';
import type {StoreEntry} from './schema-store.js';
import {COMPATIBILITY_LEVELS, type CompatibilityLevel} from './compatibility/levels.js';

const SchemaKey = z.object({keytype: z.literal('SCHEMA'), subject: z.string(), version: z.number().int(), magic: z.number().int()});
const ConfigKey = z.object({keytype: z.literal('CONFIG'), subject: z.string().nullable(), magic: z.number().int()});
const HighWaterKey = z.object({keytype: z.literal('ID_HIGH_WATER'), magic: z.number().int()});
const Key = z.discriminatedUnion('keytype', [SchemaKey, ConfigKey, HighWaterKey]);

const SchemaValue = z.object({subject: z.string(), version: z.number().int(), id: z.number().int(), schema: z.string(), deleted: z.boolean().default(false)});
const ConfigValue = z.object({compatibilityLevel: z.enum(COMPATIBILITY_LEVELS)});
const HighWaterValue = z.object({id: z.number().int()});

export interface SchemaVersionRecord {
  subject: string;
  version: number;
  id: number;
  schema: string;
  deleted: boolean;
}

export type RegistryRecord =
  | {kind: 'schema'; subject: string; version: number; value: SchemaVersionRecord | null}
  | {kind: 'config'; subject: string | null; level: CompatibilityLevel | null}
  | {kind: 'high-water'; id: number};

export function encodeRecord(r: RegistryRecord): StoreEntry {
  switch (r.kind) {
    case 'schema':
      return {key: JSON.stringify({keytype: 'SCHEMA', subject: r.subject, version: r.version, magic: 1}), value: r.value && JSON.stringify(r.value)};
    case 'config':
      return {key: JSON.stringify({keytype: 'CONFIG', subject: r.subject, magic: 0}), value: r.level && JSON.stringify({compatibilityLevel: r.level})};
    case 'high-water':
      return {key: JSON.stringify({keytype: 'ID_HIGH_WATER', magic: 0}), value: JSON.stringify({id: r.id})};
  }
}

/** The record an entry holds; undefined for keys this registry does not know (another tool's records are skipped). */
export function decodeRecord(entry: StoreEntry): RegistryRecord | undefined {
  const key = Key.safeParse(safeJson(entry.key));
  if (!key.success) return undefined;
  const k = key.data;
  const raw = entry.value === null ? null : safeJson(entry.value);
  if (k.keytype === 'SCHEMA') return {kind: 'schema', subject: k.subject, version: k.version, value: raw === null ? null : SchemaValue.parse(raw)};
  if (k.keytype === 'CONFIG') return {kind: 'config', subject: k.subject, level: raw === null ? null : ConfigValue.parse(raw).compatibilityLevel};
  return raw === null ? undefined : {kind: 'high-water', id: HighWaterValue.parse(raw).id};
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
