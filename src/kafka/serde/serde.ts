/**
 * How a record's key or value turns into bytes and back. Patterns and commands
 * take a Serde so the same code reads JSON checked by zod or Avro in the
 * Confluent wire format.
 */
export interface SerdeContext {
  topic: string;
  /** Which half of the record: Avro subjects are `<topic>-key` / `<topic>-value`. */
  part: 'key' | 'value';
}

export interface Serde<T> {
  serialize(value: T, ctx: SerdeContext): Buffer | Promise<Buffer>;
  deserialize(bytes: Buffer, ctx: SerdeContext): T | Promise<T>;
}
