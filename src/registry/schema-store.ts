/**
 * Where the registry keeps its changes: an ordered log of keyed records, the
 * latest per key winning (a compacted topic, as Confluent's `_schemas`). The
 * registry reads it whole on start and appends each change before answering.
 * Keys and values are JSON text; a null value deletes the key.
 */
export interface StoreEntry {
  key: string;
  value: string | null;
}

export interface SchemaStore {
  /** Every entry written so far, oldest first. */
  readAll(): Promise<StoreEntry[]>;
  /** Resolves once the entries are durable (acknowledged); rejects when they may not be. */
  append(entries: StoreEntry[]): Promise<void>;
  close(): Promise<void>;
}

/** Keeps entries in memory: for a registry that need not outlive its process. */
export class MemorySchemaStore implements SchemaStore {
  private readonly entries: StoreEntry[] = [];

  async readAll(): Promise<StoreEntry[]> {
    return [...this.entries];
  }

  async append(entries: StoreEntry[]): Promise<void> {
    this.entries.push(...entries);
  }

  async close(): Promise<void> {}
}
