/**
 * CreatePartitions (key 37), v0–v1. Grows a topic to `count` partitions (never
 * shrinks: INVALID_PARTITIONS); assignments may name only this node;
 * validate_only checks without changing anything.
 */
import {CreatePartitionsRequestSchema, CreatePartitionsResponseSchema, type CreatePartitionsRequest, type CreatePartitionsResponse} from '../protocol/messages/create-partitions.js';
import {ErrorCode, KafkaProtocolError} from '../protocol/errors.js';
import {defineHandler} from './types.js';
import {failureOf} from './admin-util.js';
import {allowed} from '../security/authorize.js';

export const createPartitionsHandler = defineHandler<CreatePartitionsRequest, CreatePartitionsResponse>({
  apiKey: 37,
  name: 'CreatePartitions',
  minVersion: 0,
  maxVersion: 1,
  request: CreatePartitionsRequestSchema,
  response: CreatePartitionsResponseSchema,
  async handle(req, ctx) {
    const {broker} = ctx;
    const results: CreatePartitionsResponse['results'] = [];
    for (const t of req.topics) {
      try {
        if (!allowed(ctx, 'ALTER', 'TOPIC', t.name)) throw new KafkaProtocolError(ErrorCode.TOPIC_AUTHORIZATION_FAILED, `${ctx.session.principal} may not ALTER topic ${t.name}.`);
        if (t.assignments?.some((a) => a.brokerIds.some((b) => b !== broker.config.nodeId))) {
          throw new KafkaProtocolError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `This cluster has one broker, id ${broker.config.nodeId}.`);
        }
        if (req.validateOnly) broker.topics.validateAddPartitions(t.name, t.count);
        else await broker.topics.addPartitions(t.name, t.count);
        results.push({name: t.name, errorCode: ErrorCode.NONE, errorMessage: null});
      } catch (error) {
        results.push({name: t.name, ...failureOf(error)});
      }
    }
    return {throttleTimeMs: 0, results};
  },
});
