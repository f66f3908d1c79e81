import {describe, expect, it} from 'vitest';
import {recordMatches, type ConsumedRecord} from './records.js';

const record = (over: Partial<ConsumedRecord> = {}): ConsumedRecord => ({
  topic: 't',
  partition: 0,
  offset: 0,
  timestamp: 0,
  key: Buffer.from('Order-42'),
  value: Buffer.from('{"status":"placed"}'),
  headers: {source: Buffer.from('checkout'), tags: [Buffer.from('vip'), Buffer.from('eu')]},
  ...over,
});

describe('recordMatches', () => {
  it('finds the text in key, value or a header as name=value, ignoring case', () => {
    expect(recordMatches(record(), 'order-42')).toBe(true);
    expect(recordMatches(record(), 'PLACED')).toBe(true);
    expect(recordMatches(record(), 'source=check')).toBe(true);
    expect(recordMatches(record(), 'tags=eu')).toBe(true);
    expect(recordMatches(record(), 'shipped')).toBe(false);
  });

  it('matches everything with an empty filter and copes with null key and value', () => {
    expect(recordMatches(record({key: null, value: null, headers: {}}), '')).toBe(true);
    expect(recordMatches(record({key: null, value: null, headers: {}}), 'x')).toBe(false);
  });
});
