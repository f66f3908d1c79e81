/**
 * DescribeConfigs (key 32), v0–v2.
 * - Topic resources: every topic config of Kafka 3.7 in Kafka's order (see topic-config.ts),
 *   with its effective value, config source (DYNAMIC_TOPIC_CONFIG 1 when set on the topic,
 *   STATIC_BROKER_CONFIG 4 when this broker's own setting rules, else DEFAULT_CONFIG 5), v0's
 *   is_default, read_only false, is_sensitive false, and (v1+, when asked) Kafka's synonyms.
 *   configuration_keys narrows the list (null or empty: all); unknown topic →
 *   UNKNOWN_TOPIC_OR_PARTITION for that resource.
 * - Compacted topics also answer kpat.cleaner.dirty.bytes, kpat.cleaner.dirty.ratio and
 *   kpat.cleaner.last.cleaned.ms (read-only), only when asked for by name (log/cleaner-report.ts).
 * - Broker resources (type 4, name "" or this node's id): the broker's settings,
 *   read-only, source STATIC_BROKER_CONFIG (4), each its own synonym.
 */
import {DescribeConfigsRequestSchema, DescribeConfigsResponseSchema, type DescribeConfigsRequest, type DescribeConfigsResponse} from '../protocol/messages/describe-configs.js';
import {ErrorCode} from '../protocol/errors.js';
import type {BrokerConfig} from '../config.js';
import {ConfigSource, describeTopicConfigs, topicConfigValue} from '../topic-config.js';
import {CLEANER_ENTRY_NAMES, cleanerEntries} from '../log/cleaner-report.js';
import {isCompactPolicy} from '../log/compaction-policy.js';
import {defineHandler} from './types.js';
import {ResourceType} from './admin-util.js';
import {allowed, allowedOnCluster} from '../security/authorize.js';

type Result = DescribeConfigsResponse['results'][number];
type Entry = Result['configs'][number];

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
    {name: 'log.cleaner.backoff.ms', value: String(config.logCleanerIntervalMs)},
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
  handle(req, ctx) {
    const {broker} = ctx;
    const results = req.resources.map((r): Result => {
      const wanted = r.configurationKeys && r.configurationKeys.length > 0 ? new Set(r.configurationKeys) : null;
      const entry = (name: string, value: string, source: number, readOnly: boolean, synonyms: Entry['synonyms']): Entry => ({
        name,
        value,
        readOnly,
        isDefault: source === ConfigSource.DEFAULT_CONFIG,
        configSource: source,
        isSensitive: false,
        synonyms: req.includeSynonyms ? synonyms : [],
      });
      const base = {resourceType: r.resourceType, resourceName: r.resourceName};
      if (r.resourceType === ResourceType.TOPIC && !allowed(ctx, 'DESCRIBE_CONFIGS', 'TOPIC', r.resourceName)) {
        return {...base, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED, errorMessage: `${ctx.session.principal} may not DESCRIBE_CONFIGS topic ${r.resourceName}.`, configs: []};
      }
      if (r.resourceType === ResourceType.BROKER && !allowedOnCluster(ctx, 'DESCRIBE_CONFIGS')) {
        return {...base, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: `${ctx.session.principal} may not DESCRIBE_CONFIGS the cluster.`, configs: []};
      }
      if (r.resourceType === ResourceType.TOPIC) {
        const topic = broker.topics.get(r.resourceName);
        if (!topic) {
          return {...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `Topic '${r.resourceName}' does not exist.`, configs: []};
        }
        const configs = describeTopicConfigs(topic.configs, broker.config)
          .filter((c) => !wanted || wanted.has(c.name))
          .map((c) => entry(c.name, c.value, c.source, false, c.synonyms));
        if (wanted && CLEANER_ENTRY_NAMES.some((name) => wanted.has(name)) && isCompactPolicy(topicConfigValue('cleanup.policy', topic.configs, broker.config))) {
          for (const c of cleanerEntries(topic.partitions)) {
            if (wanted.has(c.name)) configs.push(entry(c.name, c.value, ConfigSource.DEFAULT_CONFIG, true, []));
          }
        }
        return {...base, errorCode: ErrorCode.NONE, errorMessage: null, configs};
      }
      if (r.resourceType === ResourceType.BROKER && (r.resourceName === '' || r.resourceName === String(broker.config.nodeId))) {
        const configs = brokerEntries(broker.config)
          .filter((c) => !wanted || wanted.has(c.name))
          .map((c) => entry(c.name, c.value, ConfigSource.STATIC_BROKER_CONFIG, true, [{name: c.name, value: c.value, source: ConfigSource.STATIC_BROKER_CONFIG}]));
        return {...base, errorCode: ErrorCode.NONE, errorMessage: null, configs};
      }
      return {...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Unsupported resource type ${r.resourceType} or name "${r.resourceName}".`, configs: []};
    });
    return {throttleTimeMs: 0, results};
  },
});
