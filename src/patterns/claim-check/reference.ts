import {z} from 'zod';
import type {ConsumedRecord} from '../../kafka/records.js';
import {headerText} from '../headers.js';

/**
 * The header that marks a record whose value is a claim-check reference
 * (its value: the reference format's version). Records without it are read as
 * they are, so plain consumers see inline payloads unchanged.
 */
export const CLAIM_CHECK_HEADER = 'kpat-claim-check';
export const REFERENCE_VERSION = '1';

/** What a marked record carries instead of its payload (JSON). */
export const ClaimCheckReferenceSchema = z.object({
  /** Where the blob is (file:///…/<sha256> or s3://bucket/prefix/…/<sha256>). */
  uri: z.string().min(1),
  /** sha-256 of the stored bytes, hex. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Size of the stored bytes. */
  size: z.number().int().min(0),
  contentType: z.string(),
  /** How the stored bytes were compressed: the payload is what decompressing them gives. */
  compression: z.enum(['none', 'gzip']),
});

export type ClaimCheckReference = z.infer<typeof ClaimCheckReferenceSchema>;
export type BlobCompression = ClaimCheckReference['compression'];

export const isClaimCheck = (record: Pick<ConsumedRecord, 'headers'>): boolean => headerText(record, CLAIM_CHECK_HEADER) !== undefined;

export const encodeReference = (ref: ClaimCheckReference): Buffer => Buffer.from(JSON.stringify(ref));

/** The reference a marked record carries; throws naming what is wrong with it. */
export function parseReference(value: Buffer | null): ClaimCheckReference {
  if (value === null) throw new Error('the record is marked as a claim check but has no value');
  let json: unknown;
  try {
    json = JSON.parse(value.toString('utf8'));
  } catch (error) {
    throw new Error(`the claim-check reference is not JSON: ${(error as Error).message}`);
  }
  const parsed = ClaimCheckReferenceSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`the claim-check reference is not valid: ${issue.path.join('.') || 'value'}: ${issue.message}`);
  }
  return parsed.data;
}
