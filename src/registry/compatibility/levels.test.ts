import avro from 'avsc';
import {describe, expect, it} from 'vitest';
import {checkCompatibility, upgradeOrder, violationMessage, type CompatibilityLevel, type EarlierVersion} from './levels.js';

const T = (fields: unknown[]) => avro.Type.forSchema({type: 'record', name: 'User', fields} as avro.Schema);
const id = {name: 'id', type: 'string'};
const history = (...types: avro.Type[]): EarlierVersion[] => types.map((type, i) => ({version: i + 1, type}));
const verdict = (candidate: avro.Type, earlier: EarlierVersion[], level: CompatibilityLevel) => {
  const v = checkCompatibility(candidate, earlier, level);
  return {compatible: v.compatible, checked: v.checked, broken: v.violations.map((x) => `${x.direction} v${x.version} ${x.kind} ${x.field}`)};
};

describe('compatibility levels', () => {
  const v1 = T([id]);
  const withDefault = T([id, {name: 'email', type: 'string', default: ''}]);
  const withoutDefault = T([id, {name: 'email', type: 'string'}]);

  it('BACKWARD: the new schema must read the latest; an added field needs a default', () => {
    expect(verdict(withDefault, history(v1), 'BACKWARD')).toEqual({compatible: true, checked: [1], broken: []});
    expect(verdict(withoutDefault, history(v1), 'BACKWARD')).toEqual({compatible: false, checked: [1], broken: ['backward v1 READER_FIELD_MISSING_DEFAULT_VALUE email']});
    // Removing a field is backward compatible: the new reader ignores it.
    expect(verdict(v1, history(withoutDefault), 'BACKWARD').compatible).toBe(true);
  });

  it('FORWARD: the latest must read the new schema; removing a field without a default breaks it', () => {
    expect(verdict(withoutDefault, history(v1), 'FORWARD').compatible).toBe(true);
    expect(verdict(v1, history(withoutDefault), 'FORWARD')).toEqual({compatible: false, checked: [1], broken: ['forward v1 READER_FIELD_MISSING_DEFAULT_VALUE email']});
    expect(verdict(v1, history(withDefault), 'FORWARD').compatible).toBe(true);
  });

  it('FULL needs both directions; int to long is backward only', () => {
    const intAge = T([id, {name: 'age', type: 'int'}]);
    const longAge = T([id, {name: 'age', type: 'long'}]);
    expect(verdict(longAge, history(intAge), 'BACKWARD').compatible).toBe(true);
    expect(verdict(longAge, history(intAge), 'FULL')).toEqual({compatible: false, checked: [1], broken: ['forward v1 TYPE_MISMATCH age']});
    expect(verdict(intAge, history(longAge), 'BACKWARD').broken).toEqual(['backward v1 TYPE_MISMATCH age']);
    expect(verdict(withDefault, history(v1), 'FULL').compatible).toBe(true);
  });

  it('a chain compatible step by step can break transitively, and only the transitive level sees it', () => {
    // v1 → v2 adds email with a default; v3 drops the default: v3 reads v2, not v1.
    const earlier = history(v1, withDefault);
    expect(verdict(withoutDefault, earlier, 'BACKWARD')).toEqual({compatible: true, checked: [2], broken: []});
    expect(verdict(withoutDefault, earlier, 'BACKWARD_TRANSITIVE')).toEqual({compatible: false, checked: [1, 2], broken: ['backward v1 READER_FIELD_MISSING_DEFAULT_VALUE email']});
    // Forward: v1 has email without default, v2 gives it one, v3 removes it: v1 cannot read v3.
    const fwd = history(withoutDefault, withDefault);
    expect(verdict(v1, fwd, 'FORWARD').compatible).toBe(true);
    expect(verdict(v1, fwd, 'FORWARD_TRANSITIVE').broken).toEqual(['forward v1 READER_FIELD_MISSING_DEFAULT_VALUE email']);
    expect(verdict(v1, fwd, 'FULL_TRANSITIVE').broken).toEqual(['forward v1 READER_FIELD_MISSING_DEFAULT_VALUE email']);
  });

  it('NONE checks nothing', () => {
    expect(verdict(T([{name: 'id', type: 'int'}]), history(v1), 'NONE')).toEqual({compatible: true, checked: [], broken: []});
  });

  it('says which side upgrades first', () => {
    expect(upgradeOrder('BACKWARD')).toMatch(/consumers first/);
    expect(upgradeOrder('FORWARD_TRANSITIVE')).toMatch(/producers first/);
    expect(upgradeOrder('FULL')).toMatch(/any order/);
  });

  it('phrases a violation as Confluent verbose messages do: error type, description, path', () => {
    const [v] = checkCompatibility(withoutDefault, history(v1), 'BACKWARD').violations;
    expect(violationMessage(v!)).toBe(
      "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The new schema cannot read data written with the old schema (version 1) at field 'email': field email is new to the reader and has no default', additionalInfo:'path /fields/1'}",
    );
  });
});
