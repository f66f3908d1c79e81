/**
 * What the broker tells an observer (the metrics endpoint) about its requests. The one call
 * sits where every request passes (server.ts dispatch), so observing costs one call per
 * request; an observer must stay cheap, as it runs on the request path.
 */
export interface BrokerObserver {
  /** A request answered by its handler: the API's name, the decoded request and response, the handler's time. */
  requestDone(api: string, request: unknown, response: unknown, seconds: number): void;
}
