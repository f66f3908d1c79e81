import type {z} from 'zod';
import type {Serde, SerdeContext} from './serde.js';
import {SchemaMismatchError, UndecodableBytesError} from './errors.js';

/** JSON text checked by a zod schema (none: any JSON): what the patterns read by default. */
export class JsonSerde<T = unknown> implements Serde<T> {
  constructor(private readonly schema?: z.ZodType<T>) {}

  serialize(value: T, _ctx?: SerdeContext): Buffer {
    return Buffer.from(JSON.stringify(this.check(value)));
  }

  deserialize(bytes: Buffer, _ctx?: SerdeContext): T {
    let parsed: unknown;
    try {
      // toString() without arguments is UTF-8 and skips the encoding lookup: this runs per record.
      parsed = JSON.parse(bytes.toString());
    } catch (error) {
      throw new UndecodableBytesError(`value is not valid JSON: ${(error as Error).message}`);
    }
    return this.check(parsed);
  }

  private check(value: unknown): T {
    if (!this.schema) return value as T;
    const parsed = this.schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const first = parsed.error.issues[0];
    const path = first?.path.join('.') ?? '';
    throw new SchemaMismatchError(`value fails its schema: ${path ? `${path}: ` : ''}${first?.message ?? 'invalid'}`, path);
  }
}
