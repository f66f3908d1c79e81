/** A violation the registry named: its kind (READER_FIELD_MISSING_DEFAULT_VALUE …) and its message as the registry phrased it. */
export interface NamedViolation {
  kind: string;
  message: string;
}

/** What one consumer version has read so far: records decoded, records it cannot read, defaults it filled in. */
export interface ConsumerCounts {
  read: number;
  unreadable: number;
  defaulted: number;
}

/** What the schema-evolution scenario tells its views besides the common scenario events. */
export type EvolutionKindEvent =
  /** A step of the story begins: the schema version it tries. */
  | {type: 'evolution-step'; at: number; version: string; description: string}
  /** The subject's compatibility level was set (PUT /config/{subject}). */
  | {type: 'evolution-compatibility'; at: number; subject: string; level: string}
  /** The registry's answer to registering a version: its id and subject version, or the refusal (HTTP 409) with every violation. */
  | {
      type: 'evolution-registration';
      at: number;
      subject: string;
      version: string;
      level: string;
      outcome: 'accepted' | 'refused';
      expected: 'accepted' | 'refused';
      id?: number;
      registryVersion?: number;
      violations: NamedViolation[];
    }
  /** Producers and consumers per version, as they are now. */
  | {type: 'evolution-counts'; at: number; producers: Record<string, number>; consumers: Record<string, ConsumerCounts>}
  /** The first record of a writer version a consumer version cannot read, and why (once per pair). */
  | {type: 'evolution-unreadable'; at: number; reader: string; writer: string; partition: number; offset: number; reason: string};
