/** What the outbox relays tell their subscribers: what was published, what failed, which crash made a duplicate. */
export type RelayEvent =
  /** A batch published and marked (polling) or acknowledged (logical replication). */
  | {type: 'relay-published'; at: number; relay: string; events: number; eventIds: string[]; oldestCreatedAt: number | null}
  /** Publishing failed (the broker unreachable …): the rows stay pending and are tried again. */
  | {type: 'relay-publish-failed'; at: number; relay: string; events: number; error: string}
  /** The relay died after publishing and before marking: those events will be published again. */
  | {type: 'relay-crashed'; at: number; relay: string; events: number}
  | {type: 'relay-restarted'; at: number; relay: string};

export type RelayFormat = 'event' | 'change';

/** Seeded faults a relay meets: called after a batch is published and before it is marked; true = crash there. */
export interface RelayFaults {
  crashAfterPublish?(batch: number, relay: string): boolean;
}

/** Thrown by a relay's fault hook to die between publish and mark. */
export class RelayCrash extends Error {
  constructor(readonly events: number) {
    super(`relay crashed after publishing ${events} events, before marking them`);
  }
}
