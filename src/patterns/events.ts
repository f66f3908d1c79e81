/** Where a record lives: enough to find it again in the log. */
export interface RecordRef {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
}

/** Why a record was dead-lettered; a claim check's blob that is gone or whose bytes changed has its own reason. */
export type FailureReason = 'deserialization' | 'validation' | 'non-retryable' | 'retries-exhausted' | 'blob-missing' | 'sha256-mismatch';

export interface ErrorInfo {
  name: string;
  message: string;
}

/** What happened to which record, as the dead-letter and retry-ladder patterns report it. */
export type PatternEvent =
  | {type: 'handled'; at: number; group: string; record: RecordRef; recordId: string | null; attempt: number}
  | {type: 'attempt-failed'; at: number; group: string; record: RecordRef; attempt: number; retryable: boolean; error: ErrorInfo}
  | {type: 'retry-scheduled'; at: number; group: string; record: RecordRef; retryTopic: string; attempt: number; dueAt: number; error: ErrorInfo}
  | {type: 'retry-held'; at: number; group: string; record: RecordRef; dueAt: number}
  | {type: 'dead-lettered'; at: number; group: string; record: RecordRef; dltTopic: string; reason: FailureReason; attempts: number; error: ErrorInfo}
  /** Not the participant's work (its filter refused it): committed past, never handled, retried or dead-lettered. */
  | {type: 'skipped'; at: number; group: string; record: RecordRef; reason: string};

export function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof Error) return {name: error.name, message: error.message};
  return {name: 'Error', message: String(error)};
}
