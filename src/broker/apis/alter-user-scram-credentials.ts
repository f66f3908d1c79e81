/**
 * AlterUserScramCredentials (key 51), v0. Needs ALTER on the cluster. Upsertions
 * carry salt, iterations (4096–16384, else UNACCEPTABLE_CREDENTIAL) and the salted
 * password, from which StoredKey and ServerKey are derived and stored; deleting a
 * credential the user does not have → RESOURCE_NOT_FOUND; a user named twice
 * → DUPLICATE_RESOURCE, as Kafka answers.
 */
import {AlterUserScramCredentialsRequestSchema, AlterUserScramCredentialsResponseSchema, type AlterUserScramCredentialsRequest, type AlterUserScramCredentialsResponse} from '../protocol/messages/alter-user-scram-credentials.js';
import {ErrorCode} from '../protocol/errors.js';
import {allowedOnCluster} from '../security/authorize.js';
import {credentialFromSalted, MAX_ITERATIONS, MIN_ITERATIONS, type ScramMechanism} from '../security/scram.js';
import {defineHandler} from './types.js';

const MECHANISMS: Record<number, ScramMechanism> = {1: 'SCRAM-SHA-256', 2: 'SCRAM-SHA-512'};

export const alterUserScramCredentialsHandler = defineHandler<AlterUserScramCredentialsRequest, AlterUserScramCredentialsResponse>({
  apiKey: 51,
  name: 'AlterUserScramCredentials',
  minVersion: 0,
  maxVersion: 0,
  request: AlterUserScramCredentialsRequestSchema,
  response: AlterUserScramCredentialsResponseSchema,
  handle(req, ctx) {
    const users = [...new Set([...req.deletions.map((d) => d.name), ...req.upsertions.map((u) => u.name)])];
    if (!allowedOnCluster(ctx, 'ALTER')) {
      return {throttleTimeMs: 0, results: users.map((user) => ({user, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: `${ctx.session.principal} may not ALTER the cluster`}))};
    }
    const store = ctx.broker.credentials;
    const results: AlterUserScramCredentialsResponse['results'] = [];
    for (const user of users) {
      const dels = req.deletions.filter((d) => d.name === user);
      const ups = req.upsertions.filter((u) => u.name === user);
      const mechs = [...dels, ...ups].map((x) => x.mechanism);
      const result = (errorCode: number, errorMessage: string | null) => results.push({user, errorCode, errorMessage});
      if (new Set(mechs).size !== mechs.length) {
        result(ErrorCode.DUPLICATE_RESOURCE, `user ${user} is named more than once for one mechanism`);
        continue;
      }
      const unknown = mechs.find((m) => !MECHANISMS[m]);
      if (unknown !== undefined) {
        result(ErrorCode.UNSUPPORTED_SASL_MECHANISM, `unknown SCRAM mechanism ${unknown}`);
        continue;
      }
      const weak = ups.find((u) => u.iterations < MIN_ITERATIONS || u.iterations > MAX_ITERATIONS);
      if (weak) {
        result(ErrorCode.UNACCEPTABLE_CREDENTIAL, `iterations must be ${MIN_ITERATIONS}–${MAX_ITERATIONS}, got ${weak.iterations}`);
        continue;
      }
      const missing = dels.find((d) => !store.get(user, MECHANISMS[d.mechanism]!));
      if (missing) {
        result(ErrorCode.RESOURCE_NOT_FOUND, `user ${user} has no ${MECHANISMS[missing.mechanism]} credential`);
        continue;
      }
      for (const d of dels) store.delete(user, MECHANISMS[d.mechanism]!);
      for (const u of ups) {
        const m = MECHANISMS[u.mechanism]!;
        store.upsert(user, m, credentialFromSalted(m, u.saltedPassword, u.salt, u.iterations));
      }
      ctx.broker.logger(`SCRAM credentials of user ${JSON.stringify(user)} changed by ${ctx.session.principal} (${[...dels.map((d) => `-${MECHANISMS[d.mechanism]}`), ...ups.map((u) => `+${MECHANISMS[u.mechanism]}`)].join(' ')})`);
      result(ErrorCode.NONE, null);
    }
    return {throttleTimeMs: 0, results};
  },
});
