import avro from 'avsc';
import {describe, expect, it} from 'vitest';
import {diffSchemas} from './schema-diff.js';

const T = (schema: unknown) => avro.Type.forSchema(schema as avro.Schema);
const order = (fields: unknown[]) => T({type: 'record', name: 'Order', fields});

describe('diffSchemas', () => {
  it('lists added, removed and retyped fields and changed defaults, by path', () => {
    const from = order([
      {name: 'id', type: 'string'},
      {name: 'qty', type: 'int', default: 1},
      {name: 'note', type: 'string'},
      {name: 'lines', type: {type: 'array', items: {type: 'record', name: 'Line', fields: [{name: 'price', type: 'float'}]}}},
    ]);
    const to = order([
      {name: 'id', type: 'string'},
      {name: 'qty', type: 'long', default: 2},
      {name: 'lines', type: {type: 'array', items: {type: 'record', name: 'Line', fields: [{name: 'price', type: 'double'}, {name: 'sku', type: 'string', default: ''}]}}},
      {name: 'email', type: ['null', 'string'], default: null},
    ]);
    expect(diffSchemas(from, to)).toEqual([
      {kind: 'field-removed', field: 'note', from: 'string'},
      {kind: 'default-changed', field: 'qty', from: '1', to: '2'},
      {kind: 'type-changed', field: 'qty', from: 'int', to: 'long'},
      {kind: 'type-changed', field: 'lines[].price', from: 'float', to: 'double'},
      {kind: 'field-added', field: 'lines[].sku', to: 'string = ""'},
      {kind: 'field-added', field: 'email', to: '[null, string] = null'},
    ]);
  });

  it('reports enum symbols, union branches and fixed sizes', () => {
    const from = order([
      {name: 'state', type: {type: 'enum', name: 'State', symbols: ['NEW', 'PAID']}},
      {name: 'ref', type: ['null', 'string']},
      {name: 'hash', type: {type: 'fixed', name: 'Hash', size: 16}},
    ]);
    const to = order([
      {name: 'state', type: {type: 'enum', name: 'State', symbols: ['NEW', 'SHIPPED']}},
      {name: 'ref', type: ['null', 'string', 'long']},
      {name: 'hash', type: {type: 'fixed', name: 'Hash', size: 32}},
    ]);
    expect(diffSchemas(from, to)).toEqual([
      {kind: 'symbols-added', field: 'state', to: 'SHIPPED'},
      {kind: 'symbols-removed', field: 'state', from: 'PAID'},
      {kind: 'branches-added', field: 'ref', to: 'long'},
      {kind: 'size-changed', field: 'hash', from: '16', to: '32'},
    ]);
    expect(diffSchemas(from, from)).toEqual([]);
  });
});
