/**
 * CreateTopics (key 19), v0–v4.
 * - num_partitions -1 (v4) means the broker default; replication factor must be
 *   -1 or 1 on this single node (else INVALID_REPLICATION_FACTOR); explicit
 *   assignments must name only this node and give the partition count.
 * - Configs are validated like Kafka (unknown name or bad value → INVALID_CONFIG).
 * - validate_only (v1+) checks everything and creates nothing.
 * - error_message (v1+) says what was wrong.
 */
import {CreateTopicsRequestSchema, CreateTopicsResponseSchema, type CreateTopicsRequest, type CreateTopicsResponse} from '../protocol/messages/create-topics.js';
import {ErrorCode, KafkaProtocolError} from '../protocol/errors.js';
import {defineHandler} from './types.js';
import {configMap, failureOf} from './admin-util.js';
import {allowed, allowedOnCluster} from '../security/authorize.js';

export const createTopicsHandler = defineHandler<CreateTopicsRequest, CreateTopicsResponse>({
  apiKey: 19,
  name: 'CreateTopics',
  minVersion: 0,
  maxVersion: 4,
  request: CreateTopicsRequestSchema,
  response: CreateTopicsResponseSchema,
  async handle(req, ctx) {
    const {broker} = ctx;
    const topics: CreateTopicsResponse['topics'] = [];
    const mayCreateAny = allowedOnCluster(ctx, 'CREATE');
    for (const t of req.topics) {
      try {
        if (!mayCreateAny && !allowed(ctx, 'CREATE', 'TOPIC', t.name)) throw new KafkaProtocolError(ErrorCode.TOPIC_AUTHORIZATION_FAILED, `${ctx.session.principal} may not CREATE topic ${t.name}.`);
        const nodeId = broker.config.nodeId;
        let partitions = t.numPartitions === -1 ? broker.config.defaultPartitions : t.numPartitions;
        if (t.assignments.length > 0) {
          if (t.numPartitions !== -1 || t.replicationFactor !== -1) {
            throw new KafkaProtocolError(ErrorCode.INVALID_REQUEST, 'Give either assignments or num_partitions/replication_factor, not both.');
          }
          if (t.assignments.some((a) => a.brokerIds.some((b) => b !== nodeId))) {
            throw new KafkaProtocolError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `This cluster has one broker, id ${nodeId}.`);
          }
          partitions = t.assignments.length;
        } else if (t.replicationFactor !== -1 && t.replicationFactor !== 1) {
          throw new KafkaProtocolError(
            ErrorCode.INVALID_REPLICATION_FACTOR,
            `Replication factor: ${t.replicationFactor} larger than available brokers: 1.`,
          );
        }
        const configs = configMap(t.configs);
        if (req.validateOnly) broker.topics.validateCreate(t.name, partitions, configs);
        else await broker.topics.create(t.name, partitions, configs);
        topics.push({name: t.name, errorCode: ErrorCode.NONE, errorMessage: null});
      } catch (error) {
        topics.push({name: t.name, ...failureOf(error)});
      }
    }
    return {throttleTimeMs: 0, topics};
  },
});
