/**
 * AlterConfigs (key 33), v0–v1: the non-incremental form, so the configs given
 * for a topic replace all of its overrides (what is not named returns to its
 * default), as in Kafka. Values are validated; retention and segment changes
 * apply to the live logs at once. Broker configs are read-only here
 * (INVALID_REQUEST). validate_only checks without changing anything.
 */
import {AlterConfigsRequestSchema, AlterConfigsResponseSchema, type AlterConfigsRequest, type AlterConfigsResponse} from '../protocol/messages/alter-configs.js';
import {ErrorCode} from '../protocol/errors.js';
import {defineHandler} from './types.js';
import {configMap, failureOf, ResourceType} from './admin-util.js';
import {allowed} from '../security/authorize.js';

export const alterConfigsHandler = defineHandler<AlterConfigsRequest, AlterConfigsResponse>({
  apiKey: 33,
  name: 'AlterConfigs',
  minVersion: 0,
  maxVersion: 1,
  request: AlterConfigsRequestSchema,
  response: AlterConfigsResponseSchema,
  handle(req, ctx) {
    const {broker} = ctx;
    const responses = req.resources.map((r) => {
      const base = {resourceType: r.resourceType, resourceName: r.resourceName};
      if (r.resourceType !== ResourceType.TOPIC) {
        return {...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: 'Only topic configs can be altered on the embedded broker; broker settings are flags of `kpat up`.'};
      }
      if (!allowed(ctx, 'ALTER_CONFIGS', 'TOPIC', r.resourceName)) {
        return {...base, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED, errorMessage: `${ctx.session.principal} may not ALTER_CONFIGS topic ${r.resourceName}.`};
      }
      try {
        broker.topics.replaceConfigs(r.resourceName, configMap(r.configs), req.validateOnly);
        return {...base, errorCode: ErrorCode.NONE, errorMessage: null};
      } catch (error) {
        return {...base, ...failureOf(error)};
      }
    });
    return {throttleTimeMs: 0, responses};
  },
});
