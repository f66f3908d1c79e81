import {describe, expect, it} from 'vitest';
import {violationsIn} from './registration.js';

// The scenario names a refusal's violations from the registry's own words, so that it reads
// Confluent's registry as well as kpat's: both put each violation in an {errorType:'…', …} object.

describe('violationsIn', () => {
  it("reads every violation of a Confluent 409, and none of the old schema's text after them", () => {
    const message =
      'Schema being registered is incompatible with an earlier schema for subject "orders-value", details: [' +
      "{errorType:'NAME_MISMATCH', description:'The name of the schema has changed (path '/name')', additionalInfo:'expected: shop.Order'}, " +
      "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'priority' at path '/fields/4' in the new schema has no default value and is missing in the old schema', additionalInfo:'priority'}, " +
      "{oldSchemaVersion: 2}, {oldSchema: '{\"type\":\"record\",\"name\":\"Order\",\"fields\":[{\"name\":\"orderId\",\"type\":\"string\"}]}'}, {compatibility: 'BACKWARD'}]";
    const found = violationsIn([message]);
    expect(found.map((v) => v.kind)).toEqual(['NAME_MISMATCH', 'READER_FIELD_MISSING_DEFAULT_VALUE']);
    expect(found[1]!.message).toMatch(/^\{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE'.*additionalInfo:'priority'\}$/);
  });

  it("reads Confluent 7.1's Incompatibility{…} details and kpat's verbose check messages", () => {
    const old = 'Schema being registered is incompatible with an earlier schema for subject "t-value", details: [Incompatibility{type:TYPE_MISMATCH, location:/fields/2/type, message:reader type: DOUBLE not compatible with writer type: STRING, reader:"double", writer:"string"}]';
    expect(violationsIn([old]).map((v) => v.kind)).toEqual(['TYPE_MISMATCH']);
    const verbose = ["{errorType:'MISSING_ENUM_SYMBOLS', description:'The new schema cannot read data written with the old schema (version 1) at field 'status': reader enum Status lacks symbol SHIPPED (and has no default)', additionalInfo:'path /fields/1/type/symbols'}"];
    expect(violationsIn(verbose).map((v) => v.kind)).toEqual(['MISSING_ENUM_SYMBOLS']);
  });

  it('finds none in a bare refusal (Confluent before 7.1)', () => {
    expect(violationsIn(['Schema being registered is incompatible with an earlier schema'])).toEqual([]);
  });
});
