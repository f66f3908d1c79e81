import {Registry} from 'prom-client';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {registerBrokerMetrics, responseError} from '../../src/stack/metrics/broker-metrics.js';
import {startTestBroker, type TestBroker} from '../helpers/broker.js';
import {parseExposition, sampleValue} from '../helpers/prometheus.js';

let tb: TestBroker;
beforeAll(async () => {
  tb = await startTestBroker();
});
afterAll(async () => tb.stop());

const batch = Buffer.alloc(120);
const produceRequest = (topic: string) => ({topicData: [{name: topic, partitionData: [{index: 0, records: batch}, {index: 1, records: null}]}]});
const produceResponse = (...codes: number[]) => ({responses: [{name: 't', partitionResponses: codes.map((errorCode, index) => ({index, errorCode}))}]});

describe('the broker\'s request metrics', () => {
  it('count each request under its first error, on the Produce and Fetch fast paths as in any other response', async () => {
    const registry = new Registry();
    const observer = registerBrokerMetrics(registry, tb.broker.ctx);
    observer.requestDone('Produce', produceRequest('orders.v1'), produceResponse(0, 0), 0.001);
    observer.requestDone('Produce', produceRequest('orders.v1'), produceResponse(0, 3), 0.002);
    observer.requestDone('Fetch', {}, {errorCode: 0, responses: [{topic: 'orders.v1', partitions: [{errorCode: 1, records: batch}]}]}, 0.5);
    observer.requestDone('Heartbeat', {}, {errorCode: 27}, 0.0001);
    const exp = parseExposition(await registry.metrics());
    expect(sampleValue(exp, 'kpat_requests_total', {api: 'Produce', error: 'NONE'})).toBe(1);
    expect(sampleValue(exp, 'kpat_requests_total', {api: 'Produce', error: 'UNKNOWN_TOPIC_OR_PARTITION'})).toBe(1);
    expect(sampleValue(exp, 'kpat_requests_total', {api: 'Fetch', error: 'OFFSET_OUT_OF_RANGE'})).toBe(1);
    expect(sampleValue(exp, 'kpat_requests_total', {api: 'Heartbeat', error: 'REBALANCE_IN_PROGRESS'})).toBe(1);
    expect(sampleValue(exp, 'kpat_topic_bytes_in_total', {topic: 'orders.v1'})).toBe(240);
    expect(sampleValue(exp, 'kpat_topic_bytes_out_total', {topic: 'orders.v1'})).toBe(120);
    // Cumulative buckets, as Prometheus expects: 1 ms is in le=0.001, 2 ms is not.
    expect(sampleValue(exp, 'kpat_request_duration_seconds_bucket', {api: 'Produce', le: '0.001'})).toBe(1);
    expect(sampleValue(exp, 'kpat_request_duration_seconds_bucket', {api: 'Produce', le: '0.0025'})).toBe(2);
    expect(sampleValue(exp, 'kpat_request_duration_seconds_bucket', {api: 'Produce', le: '+Inf'})).toBe(2);
    expect(sampleValue(exp, 'kpat_request_duration_seconds_count', {api: 'Produce'})).toBe(2);
    expect(sampleValue(exp, 'kpat_request_duration_seconds_sum', {api: 'Produce'})).toBeCloseTo(0.003, 9);
    expect(exp.types.get('kpat_request_duration_seconds')).toBe('histogram');
  });

  it('finds an error code nested in any response shape', () => {
    expect(responseError({topics: [{name: 'a', partitions: [{errorCode: 0}, {errorCode: 36}]}]})).toBe(36);
    expect(responseError({errorCode: 0, groups: []})).toBe(0);
    expect(responseError(Symbol('no response'))).toBe(0);
  });
});
