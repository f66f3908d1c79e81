import type {z} from 'zod';
import type {ConsumedRecord} from '../kafka/records.js';
import {DeserializationError, ValidationError, defaultIsRetryable} from './failures.js';

/**
 * A record handler as the patterns wrap it: bytes are decoded (JSON by
 * default), validated with a zod schema, then handed to `handle`. Each step's
 * failure has its own class, so the pattern knows where the record goes.
 */
export interface RecordHandler<T> {
  decode?: (value: Buffer | null, record: ConsumedRecord) => unknown;
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
    await handler.handle(decodeRecord(handler, record), record, attempt);
    return OK;
  } catch (error) {
    return failure(handler, error);
  }
}
