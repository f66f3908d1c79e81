import {z} from 'zod';
import {DurationSchema} from '../../core/duration.js';

/**
 * The claim-check scenario file: documents of mixed sizes on one topic (some
 * far over its max.message.bytes), two consumer groups and a replay reading
 * the same references, and the faults the blob store meets.
 */
export const ClaimCheckScenarioSchema = z.strictObject({
  kind: z.literal('claim-check'),
  name: z.string(),
  description: z.string(),
  topic: z.string().min(1),
  partitions: z.number().int().min(1),
  /** The topic's max.message.bytes (Kafka's default 1048588). */
  maxMessageBytes: z.number().int().min(4096),
  groups: z.strictObject({primary: z.string().min(1), secondary: z.string().min(1)}),
  /** Where blobs go (s3://bucket/prefix, file:///path, a folder); default blobs/ in the local stack's data. Each run writes under runs/<run id>/ in it. */
  blobStore: z.string().optional(),
  /** An S3-compatible service for an s3:// store (path-style addressing is the default with an endpoint). */
  s3: z.strictObject({endpoint: z.string().optional(), pathStyle: z.boolean().optional()}).optional(),
  workload: z.strictObject({
    documents: z.number().int().min(4),
    rate: z.number().min(0),
    seed: z.number().int(),
    /** Share of documents between the limit and twice it. */
    largeShare: z.number().min(0).max(1),
    /** Share of documents several times the limit. */
    hugeShare: z.number().min(0).max(1),
    /** Documents sent again with the same bytes under another id (one blob, two records). */
    duplicates: z.number().int().min(0),
  }),
  faults: z.strictObject({
    /** Uploads whose produce never happens (a crash in between): orphans for gc. */
    orphans: z.number().int().min(0),
    /** Blobs deleted before the consumers read them. */
    deleted: z.number().int().min(0),
    /** Blobs whose bytes are changed before the consumers read them. */
    corrupted: z.number().int().min(0),
  }),
  /** gc keeps unreferenced blobs younger than this. */
  gcGrace: DurationSchema,
  timeout: DurationSchema,
});

export type ClaimCheckScenario = z.output<typeof ClaimCheckScenarioSchema>;

/** The three readers of the same references. */
export const PASSES = ['primary', 'secondary', 'replay'] as const;
export type Pass = (typeof PASSES)[number];
