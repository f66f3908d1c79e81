import {startRegistryBeside, type HostedRegistry} from '../../src/stack/registry-host.js';
import type {TestBroker} from './broker.js';

/** The schema registry beside a test broker, on any free port, with the broker's _schemas topic as its store. */
export function startTestRegistry(broker: TestBroker): Promise<HostedRegistry> {
  return startRegistryBeside(broker.broker, {host: '127.0.0.1', port: 0});
}

export const REGISTRY_JSON = 'application/vnd.schemaregistry.v1+json';

export interface HttpAnswer {
  status: number;
  contentType: string | null;
  body: unknown;
}

/** One request to the registry's REST API, as any HTTP client sends it. */
export async function call(url: string, method: string, path: string, body?: unknown, contentType = REGISTRY_JSON): Promise<HttpAnswer> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? {} : {'Content-Type': contentType},
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return {status: res.status, contentType: res.headers.get('content-type'), body: text ? (JSON.parse(text) as unknown) : null};
}

/** The Avro schema the serde and Avro CLI tests write orders with (a nullable field with a default included). */
export const ORDER_SCHEMA = JSON.stringify({
  type: 'record',
  name: 'Order',
  namespace: 'shop',
  fields: [
    {name: 'orderId', type: 'string'},
    {name: 'amount', type: 'double'},
    {name: 'note', type: ['null', 'string'], default: null},
  ],
});
