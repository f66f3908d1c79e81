/**
 * DescribeConfigs (key 32), v0–v2.
 * - Topic resources: every known topic config with its effective value; values set
 *   on the topic have source DYNAMIC_TOPIC_CONFIG (1), the rest DEFAULT_CONFIG (5)
 *   (v0: is_default). configuration_keys narrows the list; unknown topic →
 *   UNKNOWN_TOPIC_OR_PARTITION for that resource.
 * - Broker resources (type 4, name "" or this node's id): the broker's settings,
 *   read-only, source STATIC_BROKER_CONFIG (4).
 * - Synonyms (v1+) list the entry itself when asked for.
 */
import {DescribeConfigsRequestSchema, DescribeConfigsResponseSchema, type DescribeConfigsRequest, type DescribeConfigsResponse} from '../protocol/messages/describe-configs.js';
import {ErrorCode} from '../protocol/errors.js';
import type {BrokerConfig} from '../config.js';
import {effectiveTopicConfigs} from '../topic-config.js';
import {defineHandler} from './types.js';
import {ResourceType} from './admin-util.js';

type Result = DescribeConfigsResponse['results'][number];
type Entry = Result['configs'][number];

const Source = {TOPIC: 1, STATIC_BROKER: 4, DEFAULT: 5} as const;

function brokerEntries(config: BrokerConfig): Array<{name: string; value: string}> {
  return [
    {name: 'broker.id', value: String(config.nodeId)},
    {name: 'node.id', value: String(config.nodeId)},
    {name: 'auto.create.topics.enable', value: String(config.autoCreateTopics)},
    {name: 'num.partitions', value: String(config.defaultPartitions)},
    {name: 'default.replication.factor', value: '1'},
    {name: 'log.dirs', value: config.dataDir},
    {name: 'log.retention.ms', value: String(config.retentionMs)},
    {name: 'log.retention.bytes', value: String(config.retentionBytes)},
    {name: 'log.segment.bytes', value: String(config.segmentBytes)},
    {name: 'log.retention.check.interval.ms', value: String(config.retentionCheckIntervalMs)},
    {name: 'message.max.bytes', value: String(config.messageMaxBytes)},
    {name: 'socket.request.max.bytes', value: String(config.maxRequestBytes)},
    {name: 'group.min.session.timeout.ms', value: String(config.groupMinSessionTimeoutMs)},
    {name: 'group.max.session.timeout.ms', value: String(config.groupMaxSessionTimeoutMs)},
    {name: 'group.initial.rebalance.delay.ms', value: '0'},
    {name: 'offsets.topic.replication.factor', value: '1'},
  ];
}

export const describeConfigsHandler = defineHandler<DescribeConfigsRequest, DescribeConfigsResponse>({
  apiKey: 32,
  name: 'DescribeConfigs',
  minVersion: 0,
  maxVersion: 2,
  request: DescribeConfigsRequestSchema,
  response: DescribeConfigsResponseSchema,
  handle(req, {broker}) {
    const results = req.resources.map((r): Result => {
      const wanted = r.configurationKeys ? new Set(r.configurationKeys) : null;
      const entry = (name: string, value: string, source: number, readOnly: boolean): Entry => ({
        name,
        value,
        readOnly,
        isDefault: source === Source.DEFAULT,
        configSource: source,
        isSensitive: false,
        synonyms: req.includeSynonyms ? [{name, value, source}] : [],
      });
      const base = {resourceType: r.resourceType, resourceName: r.resourceName};
      if (r.resourceType === ResourceType.TOPIC) {
        const topic = broker.topics.get(r.resourceName);
        if (!topic) {
          return {...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `Topic '${r.resourceName}' does not exist.`, configs: []};
        }
        const configs = effectiveTopicConfigs(topic.configs, broker.config)
          .filter((c) => !wanted || wanted.has(c.name))
          .map((c) => entry(c.name, c.value, c.isDefault ? Source.DEFAULT : Source.TOPIC, false));
        return {...base, errorCode: ErrorCode.NONE, errorMessage: null, configs};
      }
      if (r.resourceType === ResourceType.BROKER && (r.resourceName === '' || r.resourceName === String(broker.config.nodeId))) {
        const configs = brokerEntries(broker.config)
          .filter((c) => !wanted || wanted.has(c.name))
          .map((c) => entry(c.name, c.value, Source.STATIC_BROKER, true));
        return {...base, errorCode: ErrorCode.NONE, errorMessage: null, configs};
      }
      return {...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Unsupported resource type ${r.resourceType} or name "${r.resourceName}".`, configs: []};
    });
    return {throttleTimeMs: 0, results};
  },
});
