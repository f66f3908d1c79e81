import {KafkaProtocolError} from '../protocol/errors.js';

/** The error code and message an admin API answers for a failed item. */
export function failureOf(error: unknown): {errorCode: number; errorMessage: string | null} {
  if (error instanceof KafkaProtocolError) return {errorCode: error.code, errorMessage: error.message};
  throw error;
}

/** name/value config entries as a map; a null value means "unset". */
export function configMap(entries: ReadonlyArray<{name: string; value: string | null}>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const {name, value} of entries) if (value !== null) out[name] = value;
  return out;
}

/** Kafka's ConfigResource types. */
export const ResourceType = {TOPIC: 2, BROKER: 4} as const;
