import {z} from 'zod';

/**
 * The shapes of what users give kpat to reach a cluster (flags, environment,
 * kpat.config.json), loaded by connection.ts only when one of them is given.
 */

/** TLS and SASL options for real clusters. ca/cert/key hold PEM text once resolved; the config file gives file paths. */
export const TlsSchema = z.object({
  enabled: z.boolean().default(true),
  ca: z.string().optional(),
  cert: z.string().optional(),
  key: z.string().optional(),
  rejectUnauthorized: z.boolean().default(true),
});

export const SaslSchema = z.object({
  mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
  username: z.string().min(1),
  password: z.string(),
});

export const BrokerListSchema = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s.length > 0))
  .refine((list) => list.length > 0, 'at least one host:port')
  .refine((list) => list.every((b) => /^[^\s:]+:\d{1,5}$/.test(b) || /^\[[^\]]+\]:\d{1,5}$/.test(b)), {
    message: 'each broker must be host:port, e.g. localhost:9092',
  });

export const ConfigFileSchema = z
  .object({
    brokers: BrokerListSchema.optional(),
    clientId: z.string().optional(),
    tls: z.union([z.boolean(), TlsSchema]).optional(),
    sasl: SaslSchema.optional(),
    /** The schema registry's URL, e.g. http://localhost:8081. */
    registry: z.url({protocol: /^https?$/, message: 'registry must be an http(s) URL, e.g. http://localhost:8081'}).optional(),
  })
  .strict();

export type Tls = z.infer<typeof TlsSchema>;
export type Sasl = z.infer<typeof SaslSchema>;
export type ConfigFile = z.infer<typeof ConfigFileSchema>;
