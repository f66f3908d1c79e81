/**
 * Metadata (key 3), v0–v6.
 * - One broker: this node, at the advertised host and the bound port; it leads
 *   every partition and is the whole replica set and ISR; it is the controller.
 * - All topics: a null list (v1+) or an empty list on v0.
 * - Unknown topics are created with the default partition count when the broker
 *   allows auto-creation and the request does (allow_auto_topic_creation, v4+;
 *   older versions always ask); an illegal name → INVALID_TOPIC_EXCEPTION.
 */
import {MetadataRequestSchema, MetadataResponseSchema, type MetadataRequest, type MetadataResponse} from '../protocol/messages/metadata.js';
import {ErrorCode, KafkaProtocolError} from '../protocol/errors.js';
import type {Topic} from '../topics.js';
import {defineHandler} from './types.js';
import {allowed} from '../security/authorize.js';
import {CLUSTER_NAME} from '../security/acl.js';

type TopicResponse = MetadataResponse['topics'][number];

export const metadataHandler = defineHandler<MetadataRequest, MetadataResponse>({
  apiKey: 3,
  name: 'Metadata',
  minVersion: 0,
  maxVersion: 6,
  request: MetadataRequestSchema,
  response: MetadataResponseSchema,
  async handle(req, ctx) {
    const {broker, apiVersion} = ctx;
    const nodeId = broker.config.nodeId;
    const describe = (topic: Topic): TopicResponse => ({
      errorCode: ErrorCode.NONE,
      name: topic.name,
      isInternal: false,
      partitions: topic.partitions.map((_, i) => ({
        errorCode: ErrorCode.NONE,
        partitionIndex: i,
        leaderId: nodeId,
        replicaNodes: [nodeId],
        isrNodes: [nodeId],
        offlineReplicas: [],
      })),
    });
    const failed = (name: string, errorCode: number): TopicResponse => ({errorCode, name, isInternal: false, partitions: []});

    const all = req.topics === null || (apiVersion === 0 && req.topics.length === 0);
    let topics: TopicResponse[];
    if (all) {
      // As Kafka: topics the client may not DESCRIBE are left out of "all topics".
      topics = broker.topics.list().filter((t) => allowed(ctx, 'DESCRIBE', 'TOPIC', t.name)).map(describe);
    } else {
      const mayCreate = broker.config.autoCreateTopics && (apiVersion < 4 || req.allowAutoTopicCreation);
      topics = [];
      for (const {name} of req.topics ?? []) {
        const existing = broker.topics.get(name);
        if (!allowed(ctx, 'DESCRIBE', 'TOPIC', name)) {
          topics.push(failed(name, ErrorCode.TOPIC_AUTHORIZATION_FAILED));
        } else if (existing) {
          topics.push(describe(existing));
        } else if (!mayCreate || !(allowed(ctx, 'CREATE', 'CLUSTER', CLUSTER_NAME) || allowed(ctx, 'CREATE', 'TOPIC', name))) {
          topics.push(failed(name, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
        } else {
          try {
            topics.push(describe(await broker.topics.create(name, broker.config.defaultPartitions, {})));
          } catch (error) {
            if (!(error instanceof KafkaProtocolError)) throw error;
            // Created by a concurrent request meanwhile: describe it.
            const raced = broker.topics.get(name);
            topics.push(raced ? describe(raced) : failed(name, error.code));
          }
        }
      }
    }
    return {
      throttleTimeMs: 0,
      brokers: [{nodeId, host: broker.advertised.host, port: broker.advertised.port, rack: null}],
      clusterId: broker.config.clusterId,
      controllerId: nodeId,
      topics,
    };
  },
});
