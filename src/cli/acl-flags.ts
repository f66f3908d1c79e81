import {Flags} from '@oclif/core';

/** kafka-acls' flags for naming who, what and on which resource. */
export const aclResourceFlags = {
  topic: Flags.string({summary: 'The topic (or topic prefix with --resource-pattern-type prefixed).', helpGroup: 'RESOURCE'}),
  group: Flags.string({summary: 'The consumer group (or prefix).', helpGroup: 'RESOURCE'}),
  'transactional-id': Flags.string({summary: 'The transactional id (or prefix).', helpGroup: 'RESOURCE'}),
  cluster: Flags.boolean({summary: 'The cluster (admin operations: create topics, ACLs, users).', helpGroup: 'RESOURCE'}),
  'resource-pattern-type': Flags.string({summary: 'literal: the exact name (* for all); prefixed: every name starting with it.', options: ['literal', 'prefixed'], default: 'literal', helpGroup: 'RESOURCE'}),
};

export const aclPrincipalFlags = {
  'allow-principal': Flags.string({summary: 'Principal allowed, e.g. User:alice (repeatable; User:* for everyone).', multiple: true}),
  'deny-principal': Flags.string({summary: 'Principal denied (a deny wins over any allow; repeatable).', multiple: true}),
  operation: Flags.string({summary: 'read, write, create, delete, alter, describe, describe-configs, alter-configs, idempotent-write, cluster-action or all (repeatable).', multiple: true}),
  host: Flags.string({summary: 'Client address the rule applies to.', default: '*'}),
};
