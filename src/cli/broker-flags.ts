import {Flags} from '@oclif/core';
import {BROKER_OPTIONS} from '../stack/broker-options.js';

const o = BROKER_OPTIONS;

/** Flags shared by `kpat up` and `kpat broker start`, from the broker's one table of options. */
export const brokerFlags = {
  port: Flags.integer({char: o.port.char, summary: o.port.summary, default: o.port.default, min: o.port.min, max: o.port.max}),
  host: Flags.string({summary: o.host.summary, default: o.host.default}),
  'data-dir': Flags.string({char: o['data-dir'].char, summary: o['data-dir'].summary}),
  fsync: Flags.string({summary: o.fsync.summary, options: [...o.fsync.options], default: o.fsync.default}),
  'auto-create-topics': Flags.boolean({summary: o['auto-create-topics'].summary, default: o['auto-create-topics'].default, allowNo: true}),
  'default-partitions': Flags.integer({summary: o['default-partitions'].summary, default: o['default-partitions'].default, min: o['default-partitions'].min, max: o['default-partitions'].max}),
  'registry-port': Flags.integer({summary: o['registry-port'].summary, min: o['registry-port'].min, max: o['registry-port'].max}),
  'metrics-port': Flags.integer({summary: o['metrics-port'].summary, min: o['metrics-port'].min, max: o['metrics-port'].max}),
  'max-open-log-files': Flags.integer({summary: o['max-open-log-files'].summary, default: o['max-open-log-files'].default, min: o['max-open-log-files'].min, max: o['max-open-log-files'].max}),
  'advertised-host': Flags.string({summary: o['advertised-host'].summary}),
  tls: Flags.boolean({summary: o.tls.summary, default: false, helpGroup: 'SECURITY'}),
  'tls-cert': Flags.string({summary: o['tls-cert'].summary, helpGroup: 'SECURITY'}),
  'tls-key': Flags.string({summary: o['tls-key'].summary, helpGroup: 'SECURITY'}),
  'tls-ca': Flags.string({summary: o['tls-ca'].summary, helpGroup: 'SECURITY'}),
  'tls-client-auth': Flags.string({summary: o['tls-client-auth'].summary, options: [...o['tls-client-auth'].options], default: o['tls-client-auth'].default, helpGroup: 'SECURITY'}),
  sasl: Flags.string({summary: o.sasl.summary, multiple: true, delimiter: ',', options: [...o.sasl.options], helpGroup: 'SECURITY'}),
  user: Flags.string({summary: o.user.summary, multiple: true, helpGroup: 'SECURITY'}),
  acl: Flags.boolean({summary: o.acl.summary, default: false, helpGroup: 'SECURITY'}),
  'super-user': Flags.string({summary: o['super-user'].summary, multiple: true, helpGroup: 'SECURITY'}),
};
