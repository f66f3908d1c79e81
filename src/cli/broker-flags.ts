import {Flags} from '@oclif/core';

/** Flags shared by `kpat up` and `kpat broker start`. */
export const brokerFlags = {
  port: Flags.integer({char: 'p', summary: 'Port to listen on (0 = any free port).', default: 9092, min: 0, max: 65535}),
  host: Flags.string({summary: 'Address to listen on.', default: '127.0.0.1'}),
  'data-dir': Flags.string({char: 'd', summary: 'Where topics and offsets are stored. Default: $KPAT_HOME/data (~/.kpat/data).'}),
  fsync: Flags.string({
    summary: 'always: acknowledge acks=1/-1 writes only after fsync (no acknowledged write is lost). never: rely on the OS page cache (faster; a machine crash can lose recent writes).',
    options: ['always', 'never'],
    default: 'always',
  }),
  'auto-create-topics': Flags.boolean({summary: 'Create unknown topics on first use, like auto.create.topics.enable.', default: true, allowNo: true}),
  'default-partitions': Flags.integer({summary: 'Partitions of an auto-created topic.', default: 1, min: 1}),
  'max-open-log-files': Flags.integer({
    summary: 'Segment files kept open at once across all partitions; others are reopened on use. Keep it well under the open-file limit (ulimit -n).',
    default: 128,
    min: 4,
  }),
};
