import type {ZodError} from 'zod';
import type {FailureReason} from './events.js';

/**
 * How a handler's failure is classified decides where the record goes:
 * bytes that do not parse and values that fail validation can never succeed
 * (dead-letter at once); a TransientError is worth retrying; anything else is
 * retryable unless the pattern's `isRetryable` says otherwise.
 */
export class DeserializationError extends Error {
  override name = 'DeserializationError';
}

export class ValidationError extends Error {
  override name = 'ValidationError';
  constructor(
    message: string,
    readonly issues: ZodError['issues'] = [],
  ) {
    super(message);
  }
}

/** A failure that retrying will not fix (a business rule, a permanent refusal). */
export class NonRetryableError extends Error {
  override name = 'NonRetryableError';
}

/** A failure retrying will not fix that names its own dead-letter reason (a claim check's blob gone …). */
export class ReasonedFailure extends NonRetryableError {
  constructor(
    readonly reason: FailureReason,
    message: string,
  ) {
    super(message);
  }
}

/** A failure that may pass on a later attempt (a timeout, a dependency that is down). */
export class TransientError extends Error {
  override name = 'TransientError';
}

export function defaultIsRetryable(error: unknown): boolean {
  return !(error instanceof DeserializationError || error instanceof ValidationError || error instanceof NonRetryableError);
}

/** The reason recorded when a failure is not retried. */
export function terminalReason(error: unknown): FailureReason {
  if (error instanceof DeserializationError) return 'deserialization';
  if (error instanceof ValidationError) return 'validation';
  if (error instanceof ReasonedFailure) return error.reason;
  return 'non-retryable';
}
