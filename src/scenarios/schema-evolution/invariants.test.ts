import {describe, expect, it} from 'vitest';
import {EVOLUTION_INVARIANTS, type EvolutionFacts} from './invariants.js';
import type {AvroRecordJson} from './schema.js';
import type {ReadResult} from './versioned-consumer.js';

// The report's checks on facts made by hand: each one fails when what it guards goes wrong,
// so a run that passes them says something.

const record = (fields: Array<{name: string; type: string; default?: unknown}>): AvroRecordJson => ({type: 'record', name: 'Order', fields});
const schemas = {
  v1: record([{name: 'orderId', type: 'string'}, {name: 'amount', type: 'double'}]),
  v2: record([{name: 'orderId', type: 'string'}, {name: 'amount', type: 'double'}, {name: 'currency', type: 'string', default: 'EUR'}]),
  v4: record([{name: 'orderId', type: 'string'}, {name: 'amount', type: 'double'}, {name: 'currency', type: 'string'}]),
};
const orderA = {orderId: 'a', amount: 10, currency: 'USD'};
const orderB = {orderId: 'b', amount: 20, currency: 'GBP'};

/** The facts, with the consumers' reads as maps a test may change. */
function facts(): Omit<EvolutionFacts, 'reads'> & {reads: Map<string, Map<string, ReadResult>>} {
  return {
    attempts: [
      {version: 'v1', level: 'BACKWARD', attempt: {expect: 'accepted', violations: []}, outcome: 'accepted', violations: []},
      {version: 'v4', level: 'BACKWARD_TRANSITIVE', attempt: {expect: 'refused', violations: ['READER_FIELD_MISSING_DEFAULT_VALUE']}, outcome: 'refused', violations: [{kind: 'READER_FIELD_MISSING_DEFAULT_VALUE', message: ''}]},
    ],
    ids: new Map([['v1', 1], ['v2', 2]]),
    schemas,
    records: [
      {at: '0@0', key: 'a', schemaId: 1},
      {at: '0@1', key: 'b', schemaId: 2},
    ],
    produced: new Map([
      ['a', {writer: 'v1', order: orderA}],
      ['b', {writer: 'v2', order: orderB}],
    ]),
    readers: {v2: ['v1', 'v2'], v4: ['v2']},
    reads: new Map<string, Map<string, ReadResult>>([
      [
        'v2',
        new Map<string, ReadResult>([
          ['0@0', {ok: true, schemaId: 1, value: {orderId: 'a', amount: 10, currency: 'EUR'}, defaulted: true}],
          ['0@1', {ok: true, schemaId: 2, value: {orderId: 'b', amount: 20, currency: 'GBP'}, defaulted: false}],
        ]),
      ],
      [
        'v4',
        new Map<string, ReadResult>([
          ['0@0', {ok: false, schemaId: 1, reason: 'no matching field for default-less Order.currency'}],
          ['0@1', {ok: true, schemaId: 2, value: {orderId: 'b', amount: 20, currency: 'GBP'}, defaulted: false}],
        ]),
      ],
    ]),
  };
}

const judge = (f: EvolutionFacts) => Object.fromEntries(EVOLUTION_INVARIANTS.map((check) => check(f)).map((i) => [i.name, i.ok]));
const detailOf = (f: EvolutionFacts, name: string) => EVOLUTION_INVARIANTS.map((check) => check(f)).find((i) => i.name === name)!.detail;

describe('the schema-evolution invariants', () => {
  it('hold for reads as Avro resolves them: the default filled in, v4 failing on the v1 record only', () => {
    expect(Object.values(judge(facts())).every(Boolean)).toBe(true);
  });

  it('decoded-values-match fails on a value that is not the one produced, and on a default not filled in', () => {
    const wrongValue = facts();
    wrongValue.reads.get('v2')!.set('0@1', {ok: true, schemaId: 2, value: {orderId: 'b', amount: 21, currency: 'GBP'}, defaulted: false});
    expect(judge(wrongValue)['decoded-values-match']).toBe(false);
    expect(detailOf(wrongValue, 'decoded-values-match')).toMatch(/v2 reading v2 record 0@1: amount = 21, expected 20/);
    const noDefault = facts();
    noDefault.reads.get('v2')!.set('0@0', {ok: true, schemaId: 1, value: {orderId: 'a', amount: 10, currency: 'USD'}, defaulted: true});
    expect(detailOf(noDefault, 'decoded-values-match')).toMatch(/currency = "USD", expected "EUR"/);
  });

  it('every-record-read-by-its-readers fails when a reader missed one; unreadable-where-expected when a reader read what it cannot', () => {
    const missed = facts();
    missed.reads.get('v2')!.delete('0@0');
    expect(judge(missed)['every-record-read-by-its-readers']).toBe(false);
    const readAnyway = facts();
    readAnyway.reads.get('v4')!.set('0@0', {ok: true, schemaId: 1, value: {orderId: 'a', amount: 10, currency: ''}, defaulted: true});
    expect(judge(readAnyway)['unreadable-where-expected']).toBe(false);
  });

  it('written-only-with-registered-versions fails on a record framed with another version’s id; registry-outcomes on other violation kinds', () => {
    const misframed = facts();
    misframed.records[1] = {at: '0@1', key: 'b', schemaId: 1};
    expect(judge(misframed)['written-only-with-registered-versions']).toBe(false);
    const otherKind = facts();
    otherKind.attempts[1]!.violations = [{kind: 'TYPE_MISMATCH', message: ''}];
    expect(detailOf(otherKind, 'registry-outcomes-as-expected')).toMatch(/v4 under BACKWARD_TRANSITIVE: refused for TYPE_MISMATCH, expected READER_FIELD_MISSING_DEFAULT_VALUE/);
  });
});
