import type {z} from 'zod';
import type {ConsumedRecord} from '../kafka/records.js';
import {SchemaMismatchError, SerdeError} from '../kafka/serde/errors.js';
import type {Serde} from '../kafka/serde/serde.js';
import {DeserializationError, ValidationError, defaultIsRetryable} from './failures.js';

/**
 * A record handler as the patterns wrap it: bytes are decoded (JSON by
 * default), validated with a zod schema, then handed to `handle`. Each step's
 * failure has its own class, so the pattern knows where the record goes.
 */
export interface RecordHandler<T> {
  decode?: (value: Buffer | null, record: ConsumedRecord) => unknown;
  /** Reads the value instead of `decode` (e.g. an AvroSerde); what it cannot read is a DeserializationError. */
  serde?: Serde<unknown>;
  schema?: z.ZodType<T>;
  handle: (value: T, record: ConsumedRecord, attempt: number) => Promise<void>;
  isRetryable?: (error: unknown) => boolean;
}

export type HandlerResult = {ok: true} | {ok: false; error: unknown; retryable: boolean};

export function decodeJson(value: Buffer | null): unknown {
  if (value === null) throw new DeserializationError('the record has no value (a tombstone)');
  try {
    // toString() without arguments is UTF-8 and skips the encoding lookup: this runs per record.
    return JSON.parse(value.toString());
  } catch (error) {
    throw new DeserializationError(`value is not valid JSON: ${(error as Error).message}`);
  }
}

function validate<T>(schema: z.ZodType<T> | undefined, decoded: unknown): T {
  if (!schema) return decoded as T;
  const parsed = schema.safeParse(decoded);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
  throw new ValidationError(`value fails its schema: ${where}${first?.message ?? 'invalid'}`, parsed.error.issues);
}

/** The handler's input from a record's bytes; throws DeserializationError or ValidationError. */
export function decodeRecord<T>(handler: RecordHandler<T>, record: ConsumedRecord): T {
  return validate(handler.schema, (handler.decode ?? decodeJson)(record.value, record));
}

/**
 * The handler's input read by its serde, then checked by `schema`. Bytes the
 * serde cannot read (unknown schema id, bad magic byte, corrupt payload) can
 * never succeed; a registry that does not answer stays a retryable failure.
 */
export async function deserializeRecord<T>(serde: Serde<unknown>, schema: z.ZodType<T> | undefined, record: ConsumedRecord): Promise<T> {
  if (record.value === null) throw new DeserializationError('the record has no value (a tombstone)');
  let decoded: unknown;
  try {
    decoded = await serde.deserialize(record.value, {topic: record.topic, part: 'value'});
  } catch (error) {
    if (error instanceof SchemaMismatchError) throw new ValidationError(error.message);
    if (error instanceof SerdeError) throw new DeserializationError(error.message, {cause: error});
    throw error;
  }
  return validate(schema, decoded);
}

/** decodeRecord, or deserializeRecord when the handler has a serde. */
export function readRecord<T>(handler: RecordHandler<T>, record: ConsumedRecord): T | Promise<T> {
  return handler.serde ? deserializeRecord(handler.serde, handler.schema, record) : decodeRecord(handler, record);
}

/** A failed attempt, and whether retrying it may help. */
export function failure<T>(handler: RecordHandler<T>, error: unknown): HandlerResult {
  const retryable = !(error instanceof DeserializationError || error instanceof ValidationError) && (handler.isRetryable ?? defaultIsRetryable)(error);
  return {ok: false, error, retryable};
}

// One shared success result: this runs for every record.
export const OK: HandlerResult = {ok: true};

/** One attempt at a record: never throws, says whether the failure is worth retrying. */
export async function runHandler<T>(handler: RecordHandler<T>, record: ConsumedRecord, attempt: number): Promise<HandlerResult> {
  try {
    await handler.handle(await readRecord(handler, record), record, attempt);
    return OK;
  } catch (error) {
    return failure(handler, error);
  }
}
