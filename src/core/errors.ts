/**
 * Errors that carry their own exit code and a message naming the fix. Commands
 * map them to exit codes in one place (the base command).
 */
export class KpatError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad usage or configuration: exit 2. */
export class ConfigError extends KpatError {
  constructor(message: string) {
    super(message, 2);
  }
}

/** An operation failed (broker unreachable, Kafka error): exit 1. */
export class OperationError extends KpatError {
  constructor(message: string) {
    super(message, 1);
  }
}

/** No broker answers: refused, not found, unreachable, timed out; `message` names which when known. */
export class NoBrokerError extends OperationError {
  constructor(brokers?: string[], message?: string) {
    super(
      message ??
        (brokers
          ? `no broker at ${brokers.join(',')} — run \`kpat up\` or pass --brokers`
          : 'no broker configured and no local stack running — run `kpat up` or pass --brokers'),
    );
  }
}

/** A topic that is not there, and where to look. */
export class NoSuchTopicError extends OperationError {
  constructor(readonly topic: string) {
    super(`topic ${topic} does not exist — \`kpat topics\` lists them`);
  }
}

export const noSuchTopic = (topic: string) => new NoSuchTopicError(topic);

/** A partition the topic does not have, and which it has. */
export const noSuchPartition = (topic: string, partition: number, partitions: number) =>
  new OperationError(`topic ${topic} has no partition ${partition} (it has ${partitions}: ${partitions === 1 ? '0' : `0-${partitions - 1}`})`);

/** A scenario ran but an invariant failed: exit 3. */
export class InvariantError extends KpatError {
  constructor(message: string) {
    super(message, 3);
  }
}
