import {ApiKey} from '../../broker/protocol/messages/index.js';

/** Keys kpat's broker does not serve but clients send to real clusters. */
const OTHER_APIS: Record<number, string> = {
  4: 'LeaderAndIsr',
  17: 'SaslHandshake',
  23: 'OffsetForLeaderEpoch',
  29: 'DescribeAcls',
  36: 'SaslAuthenticate',
  44: 'IncrementalAlterConfigs',
  47: 'OffsetDelete',
  60: 'DescribeCluster',
  68: 'ConsumerGroupHeartbeat',
};

const NAMES = new Map<number, string>([
  ...Object.entries(OTHER_APIS).map(([key, name]) => [Number(key), name] as const),
  ...Object.entries(ApiKey).map(([name, key]) => [key as number, name] as const),
]);

/** Kafka's name for an API key ("Produce"), or "api-N" for one not listed. */
export function apiName(apiKey: number): string {
  return NAMES.get(apiKey) ?? `api-${apiKey}`;
}

/** The API key for a name, ignoring case ("produce" → 0); undefined when unknown. */
export function apiKeyOf(name: string): number | undefined {
  const wanted = name.toLowerCase();
  for (const [key, known] of NAMES) if (known.toLowerCase() === wanted) return key;
  return undefined;
}
