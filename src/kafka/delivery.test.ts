import type {RecordMetadata} from 'kafkajs';
import {describe, expect, it} from 'vitest';
import {DeliveryCheck} from './delivery.js';

// What verify() makes of send() results that do not acknowledge every partition written to.

const ok = (partition: number, baseOffset = '0'): RecordMetadata => ({topicName: 't', partition, errorCode: 0, baseOffset});
const sent = [{topic: 't', messages: [{value: 'a', partition: 0}, {value: 'b', partition: 1}, {value: 'c', partition: 1}]}];

describe('DeliveryCheck.verify', () => {
  it('accepts a result acknowledging every partition written to', () => {
    expect(() => new DeliveryCheck().verify(sent, [ok(0), ok(1, '5')], -1)).not.toThrow();
  });

  it('rejects a partition missing from the result, an error code, or no base offset', () => {
    const check = new DeliveryCheck();
    expect(() => check.verify(sent, [ok(0)], -1)).toThrow('2 records to t partition 1 not acknowledged: the broker did not answer for it');
    expect(() => check.verify(sent, [ok(0), {...ok(1), errorCode: 6}], 1)).toThrow('the broker answered error code 6');
    expect(() => check.verify(sent, [ok(0), {topicName: 't', partition: 1, errorCode: 0}], -1)).toThrow('the broker assigned no offset');
    expect(() => check.verify(sent, [ok(0), ok(1, '-1')], -1)).toThrow('the broker assigned no offset');
  });

  it('has nothing to check with acks=0, where the broker answers nothing', () => {
    expect(() => new DeliveryCheck().verify(sent, [], 0)).not.toThrow();
  });
});
