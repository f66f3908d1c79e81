import {ErrorCode, KafkaProtocolError} from './protocol/errors.js';

const LEGAL = /^[a-zA-Z0-9._-]+$/;

/** Kafka's topic name rules: 1–249 chars of [a-zA-Z0-9._-], not "." or "..". */
export function validateTopicName(name: string): void {
  if (name.length === 0 || name.length > 249 || name === '.' || name === '..' || !LEGAL.test(name)) {
    throw new KafkaProtocolError(
      ErrorCode.INVALID_TOPIC_EXCEPTION,
      `Topic name "${name}" is illegal: use 1-249 characters of a-z A-Z 0-9 . _ -`,
    );
  }
}

export function partitionDirName(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/** Splits `orders.v1-3` into its topic and partition (the last dash separates them). */
export function parsePartitionDirName(dir: string): {topic: string; partition: number} | null {
  const m = /^(.+)-(\d+)$/.exec(dir);
  if (!m || !m[1] || !m[2]) return null;
  return {topic: m[1], partition: Number(m[2])};
}
