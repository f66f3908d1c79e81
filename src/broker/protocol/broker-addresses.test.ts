import {describe, expect, it} from 'vitest';
import {brokerAddresses, rewriteBrokerAddresses} from './broker-addresses.js';
import {FindCoordinatorResponseSchemaAllVersions, MetadataResponseSchemaAllVersions} from './messages/index.js';
import {decodeMessage, encodeMessage} from './schema.js';

const moved = (b: {host: string; port: number; nodeId: number}) => ({host: 'proxy.local', port: 40000 + b.nodeId});

function metadata(brokers: Array<{nodeId: number; host: string; port: number}>) {
  return {
    throttleTimeMs: 7,
    brokers: brokers.map((b) => ({...b, rack: `rack-${b.nodeId}`})),
    clusterId: 'cluster-1',
    controllerId: 2,
    topics: [
      {
        errorCode: 0,
        name: 'orders.v1',
        topicId: '0123456789abcdef0123456789abcdef',
        isInternal: false,
        partitions: [{errorCode: 0, partitionIndex: 0, leaderId: 2, leaderEpoch: 5, replicaNodes: [1, 2], isrNodes: [2], offlineReplicas: [1]}],
        topicAuthorizedOperations: 248,
      },
    ],
    clusterAuthorizedOperations: 12,
  };
}

const BROKERS = [
  {nodeId: 1, host: 'kafka-1.internal', port: 9092},
  {nodeId: 2, host: 'kafka-2.internal', port: 9093},
];

describe('Metadata responses: broker addresses rewritten, every other byte kept', () => {
  for (let version = 0; version <= 12; version++) {
    it(`v${version}${version >= 9 ? ' (flexible)' : ''}`, () => {
      const body = encodeMessage(MetadataResponseSchemaAllVersions, version, metadata(BROKERS)).toBuffer();
      expect(brokerAddresses(3, version, body)).toEqual(BROKERS);

      const rewritten = rewriteBrokerAddresses(3, version, body, moved);
      const expected = encodeMessage(MetadataResponseSchemaAllVersions, version, metadata(BROKERS.map((b) => ({...b, ...moved(b)})))).toBuffer();
      expect(rewritten.equals(expected)).toBe(true);
      const decoded = decodeMessage(MetadataResponseSchemaAllVersions, version, rewritten);
      expect(decoded.brokers.map((b) => `${b.nodeId}@${b.host}:${b.port}`)).toEqual(['1@proxy.local:40001', '2@proxy.local:40002']);
      expect(decoded.topics[0]!.name).toBe('orders.v1');
    });
  }
});

describe('FindCoordinator responses: coordinator addresses rewritten', () => {
  for (let version = 0; version <= 3; version++) {
    it(`v${version}${version >= 3 ? ' (flexible)' : ''}`, () => {
      const response = {throttleTimeMs: 3, errorCode: 0, errorMessage: null, nodeId: 2, host: 'kafka-2.internal', port: 9093, coordinators: []};
      const body = encodeMessage(FindCoordinatorResponseSchemaAllVersions, version, response).toBuffer();
      const rewritten = rewriteBrokerAddresses(10, version, body, moved);
      const expected = encodeMessage(FindCoordinatorResponseSchemaAllVersions, version, {...response, host: 'proxy.local', port: 40002}).toBuffer();
      expect(rewritten.equals(expected)).toBe(true);
      expect(decodeMessage(FindCoordinatorResponseSchemaAllVersions, version, rewritten)).toMatchObject({nodeId: 2, host: 'proxy.local', port: 40002});
    });
  }

  it('v4 (batched keys): every coordinator in the list; a "none" answer stays as it is', () => {
    // The single-coordinator fields are not on the wire in v4; the schema's one shape still wants them.
    const response = {
      ...{errorCode: 0, nodeId: 0, host: '', port: 0},
      throttleTimeMs: 0,
      coordinators: [
        {key: 'payments', nodeId: 1, host: 'kafka-1.internal', port: 9092, errorCode: 0, errorMessage: null},
        {key: 'audit', nodeId: -1, host: '', port: -1, errorCode: 15, errorMessage: 'not available'},
        {key: 'orders', nodeId: 2, host: 'kafka-2.internal', port: 9093, errorCode: 0, errorMessage: null},
      ],
    };
    const body = encodeMessage(FindCoordinatorResponseSchemaAllVersions, 4, response).toBuffer();
    expect(brokerAddresses(10, 4, body)).toEqual(BROKERS);
    const rewritten = rewriteBrokerAddresses(10, 4, body, moved);
    const decoded = decodeMessage(FindCoordinatorResponseSchemaAllVersions, 4, rewritten);
    expect(decoded.coordinators.map((c) => `${c.key} ${c.nodeId}@${c.host}:${c.port} ${c.errorCode}`)).toEqual([
      'payments 1@proxy.local:40001 0',
      'audit -1@:-1 15',
      'orders 2@proxy.local:40002 0',
    ]);
  });

  it('a v0-v3 "coordinator not available" answer names no broker and is left alone', () => {
    const response = {errorCode: 15, errorMessage: null, nodeId: -1, host: '', port: -1, coordinators: []};
    const body = encodeMessage(FindCoordinatorResponseSchemaAllVersions, 3, response).toBuffer();
    expect(brokerAddresses(10, 3, body)).toEqual([]);
    expect(rewriteBrokerAddresses(10, 3, body, moved).equals(body)).toBe(true);
  });
});

describe('bytes the codec does not know survive', () => {
  it('an unknown tagged field on a Metadata v12 broker entry and at the end of the body is copied as it came', () => {
    const body = encodeMessage(MetadataResponseSchemaAllVersions, 12, metadata(BROKERS.slice(0, 1))).toBuffer();
    // Broker entry: throttle (4) + array length (1) + nodeId (4) + host + port (4) + rack, then its tagged section (one 0 byte).
    const host = 1 + BROKERS[0]!.host.length;
    const rack = 1 + 'rack-1'.length;
    const taggedAt = 4 + 1 + 4 + host + 4 + rack;
    expect(body[taggedAt]).toBe(0);
    const unknownTag = Buffer.from([1, 99, 2, 0xab, 0xcd]); // one field: tag 99, 2 bytes
    const withTag = Buffer.concat([body.subarray(0, taggedAt), unknownTag, body.subarray(taggedAt + 1)]);
    const rewritten = rewriteBrokerAddresses(3, 12, withTag, moved);
    expect(rewritten.includes(unknownTag)).toBe(true);
    expect(decodeMessage(MetadataResponseSchemaAllVersions, 12, rewritten).brokers[0]).toMatchObject({host: 'proxy.local', port: 40001, rack: 'rack-1'});
  });
});
