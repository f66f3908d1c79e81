import type {Connection} from './connection.js';
import {LiveValue} from '../core/event-stream.js';
import {TopicPoller, type ConnectionStatus, type TopicSnapshot} from './topic-poller.js';

/**
 * Pollers for several topics at once (a scenario's), published as one list of
 * snapshots and one connection status. Topics can be given once they are known.
 */
export class TopicPollerSet {
  readonly snapshots = new LiveValue<readonly TopicSnapshot[]>([]);
  readonly connection: LiveValue<ConnectionStatus>;
  private pollers: TopicPoller[] = [];

  constructor(
    private readonly conn: Connection,
    private readonly intervalMs = 1000,
  ) {
    this.connection = new LiveValue<ConnectionStatus>({brokers: conn.brokers, state: 'connecting'});
  }

  /** Polls `topics`; with `groups`, only those groups are shown (each on the topics it reads). */
  watch(topics: readonly string[], groups?: readonly string[]): void {
    for (const topic of topics) {
      const poller = new TopicPoller(this.conn, {topic, intervalMs: this.intervalMs, onlyGroups: groups});
      poller.snapshots.subscribe(() => this.snapshots.set(this.pollers.map((p) => p.snapshots.current())));
      poller.connection.subscribe((c) => this.connection.set(c));
      this.pollers.push(poller);
      poller.start();
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.pollers.map((p) => p.stop()));
  }
}
