import type {BrokerConfig} from '../config.js';
import type {MessageSchema} from '../protocol/schema.js';
import type {TopicStore} from '../topics.js';
import type {AppendSignal} from '../append-signal.js';
import type {GroupCoordinator} from '../groups/coordinator.js';
import type {ProducerIdAllocator} from '../txn/producer-ids.js';
import type {ProducerStateRegistry} from '../txn/producer-registry.js';
import type {TxnCoordinator} from '../txn/txn-coordinator.js';
import type {BrokerObserver} from '../observer.js';
import type {Session} from '../security/session.js';
import type {CredentialStore} from '../security/credentials.js';
import type {Authorizer} from '../security/authorizer.js';

/** Returned by a handler when the client expects no answer (Produce with acks=0). */
export const NO_RESPONSE = Symbol('no-response');

/** State shared by every handler; it lives on the one event loop, so handlers never race on it. */
export interface BrokerContext {
  config: BrokerConfig;
  topics: TopicStore;
  appended: AppendSignal;
  /** The address clients should use, with the bound port (port 0 resolved). */
  advertised: {host: string; port: number};
  logger: (line: string) => void;
  /** Set while shutting down: long polls return at once. */
  closing: boolean;
  groups: GroupCoordinator;
  /** Producer ids for InitProducerId, never reused. */
  producerIds: ProducerIdAllocator;
  /** Idempotent producer state per partition (sequence checks and deduplication in Produce). */
  producers: ProducerStateRegistry;
  /** Transactional ids, their producers and open transactions. */
  txns: TxnCoordinator;
  /** Told about every request answered (the metrics endpoint sets it); none by default. */
  observer?: BrokerObserver;
  /** SCRAM credentials (users.json in the data dir). */
  credentials: CredentialStore;
  /** ACLs (acls.json in the data dir), enforced when the broker runs with them on. */
  authorizer: Authorizer;
}

export interface RequestContext {
  apiVersion: number;
  clientId: string | null;
  correlationId: number;
  /** The client's address as Kafka shows it ("/127.0.0.1"). */
  clientHost: string;
  /** Who the client is (principal) and its SASL state. */
  session: Session;
  broker: BrokerContext;
}

export interface ApiHandler {
  apiKey: number;
  name: string;
  minVersion: number;
  maxVersion: number;
  request: MessageSchema;
  response: MessageSchema;
  // Requests and responses are the codec's plain objects; each handler file types its own.
  handle(request: never, ctx: RequestContext): unknown;
}

/** Lets a handler file keep its precise request/response types while the registry stays uniform. */
export function defineHandler<Req, Res>(h: {
  apiKey: number;
  name: string;
  minVersion: number;
  maxVersion: number;
  request: MessageSchema;
  response: MessageSchema;
  handle(request: Req, ctx: RequestContext): Res | typeof NO_RESPONSE | Promise<Res | typeof NO_RESPONSE>;
}): ApiHandler {
  return h as unknown as ApiHandler;
}
