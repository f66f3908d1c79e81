import avro from 'avsc';
import {describe, expect, it} from 'vitest';
import {resolutionViolations} from './avro-resolution.js';

const T = (schema: unknown) => avro.Type.forSchema(schema as avro.Schema);
const record = (fields: unknown[], name = 'Order') => ({type: 'record', name, namespace: 'shop', fields});

/** avsc's own resolver: whether it can build a reader for this writer. */
function avscCanRead(reader: avro.Type, writer: avro.Type): boolean {
  try {
    reader.createResolver(writer);
    return true;
  } catch {
    return false;
  }
}

/** The checker's verdict, asserted to agree with avsc's resolver. */
function violations(reader: unknown, writer: unknown) {
  const r = T(reader);
  const w = T(writer);
  const found = resolutionViolations(r, w);
  expect(found.length === 0, `checker and avsc disagree on ${JSON.stringify(reader)} <- ${JSON.stringify(writer)}`).toBe(avscCanRead(r, w));
  return found.map(({kind, path, field}) => ({kind, path, field}));
}

describe('Avro schema resolution: every violation, with its path', () => {
  it('an added field needs a default; a removed one is ignored', () => {
    const v1 = record([{name: 'id', type: 'string'}, {name: 'total', type: 'double'}]);
    expect(violations(record([...v1.fields, {name: 'currency', type: 'string', default: 'EUR'}]), v1)).toEqual([]);
    expect(violations(record([...v1.fields, {name: 'currency', type: 'string'}]), v1)).toEqual([
      {kind: 'READER_FIELD_MISSING_DEFAULT_VALUE', path: '/fields/2', field: 'currency'},
    ]);
    expect(violations(record([v1.fields[0]]), v1)).toEqual([]);
  });

  it('reports every violation, not only the first', () => {
    const writer = record([{name: 'id', type: 'string'}, {name: 'qty', type: 'long'}, {name: 'state', type: {type: 'enum', name: 'State', symbols: ['NEW', 'PAID', 'SHIPPED']}}]);
    const reader = record([
      {name: 'id', type: 'int'},
      {name: 'qty', type: 'int'},
      {name: 'state', type: {type: 'enum', name: 'State', symbols: ['NEW', 'PAID']}},
      {name: 'note', type: 'string'},
    ]);
    expect(violations(reader, writer)).toEqual([
      {kind: 'TYPE_MISMATCH', path: '/fields/0/type', field: 'id'},
      {kind: 'TYPE_MISMATCH', path: '/fields/1/type', field: 'qty'},
      {kind: 'MISSING_ENUM_SYMBOLS', path: '/fields/2/type/symbols', field: 'state'},
      {kind: 'READER_FIELD_MISSING_DEFAULT_VALUE', path: '/fields/3', field: 'note'},
    ]);
  });

  it('promotes int to long, float and double, and string to bytes; never back', () => {
    for (const [w, r] of [['int', 'long'], ['int', 'double'], ['long', 'float'], ['float', 'double'], ['string', 'bytes'], ['bytes', 'string']]) {
      expect(violations(r, w)).toEqual([]);
    }
    expect(violations('int', 'long')).toEqual([{kind: 'TYPE_MISMATCH', path: '/', field: ''}]);
    expect(violations(record([{name: 'n', type: 'int'}]), record([{name: 'n', type: 'long'}]))).toEqual([{kind: 'TYPE_MISMATCH', path: '/fields/0/type', field: 'n'}]);
  });

  it('an enum reader with a default reads unknown symbols', () => {
    const writer = {type: 'enum', name: 'E', symbols: ['A', 'B', 'C']};
    expect(violations({type: 'enum', name: 'E', symbols: ['A', 'B'], default: 'A'}, writer)).toEqual([]);
  });

  it('unions: each writer branch must be readable; a non-union writer needs a matching reader branch', () => {
    expect(violations(['null', 'string', 'int'], ['null', 'string'])).toEqual([]);
    expect(violations(['null', 'string'], ['null', 'string', 'int'])).toEqual([{kind: 'MISSING_UNION_BRANCH', path: '/2', field: ''}]);
    expect(violations(['null', 'long'], 'int')).toEqual([]);
    expect(violations(['null', 'string'], 'int')).toEqual([{kind: 'MISSING_UNION_BRANCH', path: '/', field: ''}]);
    expect(violations('string', ['null', 'string'])).toEqual([{kind: 'TYPE_MISMATCH', path: '/', field: ''}]);
    const optional = record([{name: 'email', type: ['null', 'string'], default: null}]);
    expect(violations(optional, record([]))).toEqual([]);
  });

  it('named types must match by name or alias; fixed sizes must match', () => {
    expect(violations(record([], 'Invoice'), record([], 'Order'))).toEqual([{kind: 'NAME_MISMATCH', path: '/name', field: ''}]);
    expect(violations({...record([], 'Invoice'), aliases: ['Order']}, record([], 'Order'))).toEqual([]);
    expect(violations({type: 'fixed', name: 'Hash', size: 16}, {type: 'fixed', name: 'Hash', size: 32})).toEqual([{kind: 'FIXED_SIZE_MISMATCH', path: '/size', field: ''}]);
  });

  it('walks arrays, maps, nested records and renamed fields by alias', () => {
    const line = (price: string) => ({type: 'record', name: 'Line', fields: [{name: 'price', type: price}]});
    const writer = record([{name: 'lines', type: {type: 'array', items: line('double')}}, {name: 'tags', type: {type: 'map', values: 'long'}}]);
    const reader = record([{name: 'lines', type: {type: 'array', items: line('float')}}, {name: 'tags', type: {type: 'map', values: 'int'}}]);
    expect(violations(reader, writer)).toEqual([
      {kind: 'TYPE_MISMATCH', path: '/fields/0/type/items/fields/0/type', field: 'lines[].price'},
      {kind: 'TYPE_MISMATCH', path: '/fields/1/type/values', field: 'tags{}'},
    ]);
    expect(violations(record([{name: 'amount', type: 'double', aliases: ['total']}]), record([{name: 'total', type: 'double'}]))).toEqual([]);
  });

  it('terminates on recursive types', () => {
    const list = {type: 'record', name: 'Node', fields: [{name: 'value', type: 'int'}, {name: 'next', type: ['null', 'Node'], default: null}]};
    const wider = {type: 'record', name: 'Node', fields: [{name: 'value', type: 'long'}, {name: 'next', type: ['null', 'Node'], default: null}]};
    expect(violations(wider, list)).toEqual([]);
    expect(violations(list, wider).length).toBeGreaterThan(0);
  });
});
