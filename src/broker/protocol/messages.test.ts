/**
 * Registry checks and a schema-driven round trip of every API, version and direction:
 * a sample value with every on-wire field set to something non-default must survive
 * encode → decode → encode byte for byte, and malformed input must only ever raise
 * ProtocolDecodeError (never a crash of another kind).
 */
import {describe, expect, it} from 'vitest';
import {API_SCHEMAS, ApiKey, apiSchemas} from './messages/index.js';
import {ProtocolDecodeError} from './primitives.js';
import {type MessageSchema, decodeMessage, encodeMessage} from './schema.js';
import {type CompiledField, type CompiledStruct, inRange} from './schema-compile.js';

const ADVERTISED: Record<keyof typeof ApiKey, [number, number]> = {
  Produce: [3, 7],
  Fetch: [4, 11],
  ListOffsets: [0, 3],
  Metadata: [0, 6],
  OffsetCommit: [0, 7],
  OffsetFetch: [0, 5],
  FindCoordinator: [0, 2],
  JoinGroup: [0, 5],
  Heartbeat: [0, 3],
  LeaveGroup: [0, 3],
  SyncGroup: [0, 3],
  DescribeGroups: [0, 4],
  ListGroups: [0, 2],
  ApiVersions: [0, 3],
  CreateTopics: [0, 4],
  DeleteTopics: [0, 1],
  DeleteRecords: [0, 1],
  InitProducerId: [0, 1],
  AddPartitionsToTxn: [0, 1],
  AddOffsetsToTxn: [0, 1],
  EndTxn: [0, 1],
  TxnOffsetCommit: [0, 2],
  DescribeConfigs: [0, 2],
  AlterConfigs: [0, 1],
  CreatePartitions: [0, 1],
  DeleteGroups: [0, 1],
  SaslHandshake: [0, 1],
  SaslAuthenticate: [0, 2],
  DescribeAcls: [0, 1],
  CreateAcls: [0, 1],
  DeleteAcls: [0, 1],
  DescribeUserScramCredentials: [0, 0],
  AlterUserScramCredentials: [0, 0],
};

describe('registry', () => {
  it('advertises exactly the agreed ranges', () => {
    const actual = Object.fromEntries(
      Object.values(API_SCHEMAS).map((api) => [api.name, [api.minVersion, api.maxVersion]]),
    );
    expect(actual).toEqual(ADVERTISED);
    for (const [name, key] of Object.entries(ApiKey)) expect(apiSchemas(key)?.name).toBe(name);
    expect(apiSchemas(7)).toBeUndefined();
  });

  it('only ApiVersions v3, SaslAuthenticate v2 and the SCRAM credential APIs are flexible within the advertised ranges', () => {
    const flexible = Object.values(API_SCHEMAS).flatMap((api) =>
      range(api.minVersion, api.maxVersion)
        .filter((v) => inRange(api.request.flexibleVersions, v))
        .map((v) => `${api.name} v${v}`),
    );
    expect(flexible).toEqual(['ApiVersions v3', 'SaslAuthenticate v2', 'DescribeUserScramCredentials v0', 'AlterUserScramCredentials v0']);
  });
});

function range(min: number, max: number): number[] {
  return Array.from({length: max - min + 1}, (_, i) => min + i);
}

/** Builds a value whose every on-wire field differs from its default, so skipping one shows. */
function sampleStruct(struct: CompiledStruct, version: number, seed: {n: number}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of struct.fields) {
    if (!inRange(field.versions, version)) continue;
    out[field.name] = field.isArray
      ? [sampleElement(field, version, seed), sampleElement(field, version, seed)]
      : sampleElement(field, version, seed);
  }
  return out;
}

function sampleElement(field: CompiledField, version: number, seed: {n: number}): unknown {
  const n = ++seed.n;
  switch (field.element) {
    case 'int8':
      return n % 100;
    case 'int16':
    case 'uint16':
      return 1000 + n;
    case 'int32':
      return 100_000 + n;
    case 'float64':
      return n + 0.5;
    case 'int64':
      return BigInt(n) * 10_000_000_000n;
    case 'bool':
      return n % 2 === 0; // both values show up across fields
    case 'string':
      return `${field.name}-${n}-é`;
    case 'bytes':
    case 'records':
      return Buffer.from([n, n + 1, n + 2]);
    case 'uuid':
      return `0000000${n % 10}-0000-0000-0000-00000000000${n % 10}`;
    default:
      return sampleStruct(field.element, version, seed);
  }
}

/** xorshift32: deterministic noise for the mutation fuzz. */
function noise(seed: number): () => number {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

const cases = Object.values(API_SCHEMAS).flatMap((api) =>
  range(api.minVersion, api.maxVersion).flatMap((version) =>
    (['request', 'response'] as const).map((direction) => ({
      label: `${api.name} ${direction} v${version}`,
      schema: api[direction] as MessageSchema,
      version,
    })),
  ),
);

for (const {label, schema, version} of cases) describe(label, () => {
  const value = sampleStruct(schema.struct, version, {n: 0});
  const bytes = encodeMessage(schema, version, value).toBuffer();

  it('round-trips byte for byte', () => {
    const decoded = decodeMessage(schema, version, bytes);
    expect(decoded).toMatchObject(value);
    expect(encodeMessage(schema, version, decoded).toBuffer().toString('hex')).toBe(bytes.toString('hex'));
  });

  it('throws ProtocolDecodeError for every truncation', () => {
    for (let end = 0; end < bytes.length; end++) {
      expect(() => decodeMessage(schema, version, bytes.subarray(0, end))).toThrow(ProtocolDecodeError);
    }
  });

  it('survives random corruption without crashing any other way', () => {
    const random = noise(version * 7919 + bytes.length);
    for (let round = 0; round < 200 && bytes.length > 0; round++) {
      const mutated = Buffer.from(bytes);
      for (let flips = 1 + Math.floor(random() * 3); flips > 0; flips--) {
        mutated[Math.floor(random() * mutated.length)] = Math.floor(random() * 256);
      }
      try {
        decodeMessage(schema, version, mutated);
      } catch (error) {
        expect(error).toBeInstanceOf(ProtocolDecodeError);
      }
    }
  });
});
