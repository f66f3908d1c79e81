/**
 * DeleteTopics (key 20), v0–v1. Deletes the topic and its partition folders, and
 * every group's committed offsets for it; unknown → UNKNOWN_TOPIC_OR_PARTITION.
 */
import {DeleteTopicsRequestSchema, DeleteTopicsResponseSchema, type DeleteTopicsRequest, type DeleteTopicsResponse} from '../protocol/messages/delete-topics.js';
import {ErrorCode} from '../protocol/errors.js';
import {defineHandler} from './types.js';
import {failureOf} from './admin-util.js';
import {allowed} from '../security/authorize.js';
import {KafkaProtocolError} from '../protocol/errors.js';

export const deleteTopicsHandler = defineHandler<DeleteTopicsRequest, DeleteTopicsResponse>({
  apiKey: 20,
  name: 'DeleteTopics',
  minVersion: 0,
  maxVersion: 1,
  request: DeleteTopicsRequestSchema,
  response: DeleteTopicsResponseSchema,
  async handle(req, ctx) {
    const {broker} = ctx;
    const responses: DeleteTopicsResponse['responses'] = [];
    for (const name of req.topicNames) {
      try {
        if (!allowed(ctx, 'DELETE', 'TOPIC', name)) throw new KafkaProtocolError(ErrorCode.TOPIC_AUTHORIZATION_FAILED, `${ctx.session.principal} may not DELETE topic ${name}.`);
        await broker.topics.delete(name);
        broker.groups.topicDeleted(name);
        responses.push({name, errorCode: ErrorCode.NONE});
      } catch (error) {
        responses.push({name, errorCode: failureOf(error).errorCode});
      }
    }
    return {throttleTimeMs: 0, responses};
  },
});
