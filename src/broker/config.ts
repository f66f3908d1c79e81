import {z} from 'zod';

/** Settings of one embedded broker process (`kpat broker start` flags map onto these). */
export const BrokerConfigSchema = z.object({
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(9092),
  /** Host written into Metadata; defaults to `host` (or 127.0.0.1 when bound to 0.0.0.0). */
  advertisedHost: z.string().optional(),
  dataDir: z.string(),
  nodeId: z.number().int().default(1),
  clusterId: z.string().default('kpat-local'),
  fsync: z.enum(['always', 'never']).default('always'),
  autoCreateTopics: z.boolean().default(true),
  defaultPartitions: z.number().int().min(1).default(1),
  segmentBytes: z.number().int().min(1024).default(64 * 1024 * 1024),
  indexIntervalBytes: z.number().int().min(1).default(4096),
  retentionMs: z.number().int().default(7 * 24 * 3600 * 1000),
  retentionBytes: z.number().int().default(-1),
  retentionCheckIntervalMs: z.number().int().min(10).default(30_000),
  /** How often the log cleaner looks for compacted partitions to clean (Kafka's log.cleaner.backoff.ms). */
  logCleanerIntervalMs: z.number().int().min(10).default(15_000),
  /** Tests only: a pause between writing a cleaned segment and swapping it in, to crash mid-clean. */
  logCleanerSwapDelayMs: z.number().int().min(0).default(0),
  /** Segment files kept open at once across all partitions (least recently used closed first). */
  maxOpenLogFiles: z.number().int().min(4).default(128),
  maxRequestBytes: z.number().int().min(1024).default(100 * 1024 * 1024),
  messageMaxBytes: z.number().int().min(1024).default(1024 * 1024 + 12),
  groupMinSessionTimeoutMs: z.number().int().default(6000),
  groupMaxSessionTimeoutMs: z.number().int().default(1_800_000),
  /** A TLS listener instead of plaintext: PEM files; `ca` verifies client certificates. */
  tls: z
    .object({
      certFile: z.string(),
      keyFile: z.string(),
      caFile: z.string().optional(),
      /** required: mutual TLS, the client's certificate subject is its principal. */
      clientAuth: z.enum(['none', 'required']).default('none'),
    })
    .optional(),
  /** A SASL listener (SASL_PLAINTEXT, or SASL_SSL with tls): the mechanisms it offers. */
  sasl: z.object({mechanisms: z.array(z.enum(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'])).min(1)}).optional(),
  /** Users whose SCRAM credentials are (re)set at start; only their salted forms are stored. */
  users: z.array(z.object({user: z.string().min(1), password: z.string().min(1)})).default([]),
  /** Enforce ACLs on every request (Kafka's authorizer, allow.everyone.if.no.acl.found=false). */
  acl: z.boolean().default(false),
  /** Principals ACLs never restrict ("User:admin"). */
  superUsers: z.array(z.string()).default([]),
});

export type BrokerConfigInput = z.input<typeof BrokerConfigSchema>;
export type BrokerConfig = z.output<typeof BrokerConfigSchema>;

export function brokerConfig(input: BrokerConfigInput): BrokerConfig {
  return BrokerConfigSchema.parse(input);
}
