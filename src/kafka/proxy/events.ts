/**
 * What the proxy reports: connections coming and going, and every fault it injects, as
 * facts a view or a test can read; counters come as a snapshot (stats()).
 */
export type FaultKind = 'drop-response' | 'delay' | 'cut';

export type ProxyEvent =
  | {type: 'connection-opened'; connection: number; client: string; upstream: string}
  | {type: 'connection-closed'; connection: number; upstream: string}
  /** A new listener standing in for one broker of the cluster. */
  | {type: 'broker-listener'; nodeId: number; upstream: string; address: string}
  | {
      type: 'fault';
      fault: FaultKind;
      connection: number;
      /** The request's API name; null for a cut ordered by cutAll(). */
      api: string | null;
      correlationId: number | null;
      delayMs?: number;
    };

export interface ProxyStats {
  connectionsOpened: number;
  connectionsOpen: number;
  /** Requests seen per API name. */
  requests: Record<string, number>;
  responsesDropped: number;
  responsesDelayed: number;
  connectionsCut: number;
  /** Metadata and FindCoordinator responses whose broker addresses were rewritten. */
  addressesRewritten: number;
}

export function emptyStats(): ProxyStats {
  return {connectionsOpened: 0, connectionsOpen: 0, requests: {}, responsesDropped: 0, responsesDelayed: 0, connectionsCut: 0, addressesRewritten: 0};
}
