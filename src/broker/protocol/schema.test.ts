import {describe, expect, expectTypeOf, it} from 'vitest';
import {ErrorCode, KafkaProtocolError} from './errors.js';
import {ProtocolDecodeError, Reader, ZERO_UUID} from './primitives.js';
import {type Decoded, type Encodable, type FieldSpec, decodeMessage, defineMessage, encodeMessage} from './schema.js';

/** Exercises every feature the real schemas need, flexible versions and tags included. */
const Sample = defineMessage({
  name: 'SampleMessage',
  apiKey: 1000,
  validVersions: '0-3',
  flexibleVersions: '2+',
  fields: [
    {name: 'id', type: 'int32', versions: '0+'},
    {name: 'label', type: 'string', versions: '1+', nullableVersions: '1+'},
    {name: 'offset', type: 'int64', versions: '0+', default: -1n},
    {name: 'legacy', type: 'int16', versions: '0', default: 7},
    {
      name: 'items',
      type: '[]Item',
      versions: '0+',
      fields: [
        {name: 'key', type: 'string', versions: '0+'},
        {name: 'data', type: 'bytes', versions: '0+'},
        {name: 'note', type: 'string', versions: '3+', taggedVersions: '3+', tag: 0, default: ''},
      ],
    },
    {name: 'numbers', type: '[]int32', versions: '0+', nullableVersions: '1+'},
    {name: 'topicId', type: 'uuid', versions: '1+'},
    {name: 'flag', type: 'bool', versions: '2+', taggedVersions: '2+', tag: 1, default: false},
    {name: 'hint', type: 'string', versions: '2+', taggedVersions: '2+', tag: 0, nullableVersions: '2+', default: null},
  ],
});

const TOPIC_ID = '0123abcd-4567-89ef-0123-456789abcdef';
const value: Encodable<typeof Sample> = {
  id: 1,
  label: 'x',
  offset: 5n,
  legacy: 9,
  items: [{key: 'k', data: Buffer.from([0xaa]), note: 'n'}],
  numbers: [2],
  topicId: TOPIC_ID,
  flag: true,
  hint: 'h',
};

const encodeHex = (version: number, v: Encodable<typeof Sample> = value) =>
  encodeMessage(Sample, version, v).toBuffer().toString('hex');
const decodeHex = (version: number, hexBytes: string) => {
  const reader = new Reader(Buffer.from(hexBytes, 'hex'));
  const decoded = decodeMessage(Sample, version, reader);
  expect(reader.remaining).toBe(0);
  return decoded;
};

const V0 = '00000001' + '0000000000000005' + '0009' + '00000001' + '00016b' + '00000001aa' + '00000001' + '00000002';
// Compact lengths are N+1; each struct ends with a tagged section; tags are written in tag order.
const V2_FIELDS =
  '00000001' + '0278' + '0000000000000005' + '02' + '026b' + '02aa' + '00' + '02' + '00000002' +
  '0123abcd456789ef0123456789abcdef';
const V2_TAGS = '02' + ('00' + '02' + '0268') + ('01' + '01' + '01'); // count, (tag, size, data)...
const V2 = V2_FIELDS + V2_TAGS;
const V3 = V2.replace('026b02aa00', '026b02aa' + '01' + '00' + '02' + '026e');

describe('generic codec', () => {
  it('v0: classic encodings, later fields skipped, defaults on decode', () => {
    expect(encodeHex(0)).toBe(V0);
    expect(decodeHex(0, V0)).toEqual({
      id: 1,
      label: null,
      offset: 5n,
      legacy: 9,
      items: [{key: 'k', data: Buffer.from([0xaa]), note: ''}],
      numbers: [2],
      topicId: ZERO_UUID,
      flag: false,
      hint: null,
    });
  });

  it('v2: compact encodings and tagged fields', () => {
    expect(encodeHex(2)).toBe(V2);
    expect(decodeHex(2, V2)).toEqual({...value, legacy: 7, items: [{key: 'k', data: Buffer.from([0xaa]), note: ''}]});
  });

  it('v3: tagged fields inside array elements', () => {
    expect(encodeHex(3)).toBe(V3);
    expect(decodeHex(3, V3)).toEqual({...value, legacy: 7});
  });

  it('leaves tagged fields holding their default off the wire', () => {
    const bytes = encodeHex(2, {...value, flag: false, hint: null});
    expect(bytes).toBe(V2_FIELDS + '00');
    expect(decodeHex(2, bytes)).toMatchObject({flag: false, hint: null});
  });

  it('skips unknown tags', () => {
    const withUnknown = V2_FIELDS + '03' + '00020268' + '010101' + '0903abcdef';
    expect(decodeHex(2, withUnknown)).toMatchObject({flag: true, hint: 'h'});
  });

  it('rejects a tagged field whose size does not match its value', () => {
    const padded = V2_FIELDS + '02' + '0003' + '026800' + '010101';
    expect(() => decodeHex(2, padded)).toThrow(ProtocolDecodeError);
  });

  it('fills omitted optional fields with their defaults', () => {
    const minimal = {id: 1, items: [], numbers: null, topicId: TOPIC_ID};
    expect(decodeHex(2, encodeHex(2, minimal))).toEqual({
      id: 1,
      label: null,
      offset: -1n,
      legacy: 7,
      items: [],
      numbers: null,
      topicId: TOPIC_ID,
      flag: false,
      hint: null,
    });
  });

  it('accepts numbers for int64 fields', () => {
    expect(encodeHex(0, {...value, offset: 5})).toBe(V0);
  });

  it('decodes a nullable array as null', () => {
    expect(encodeHex(1, {...value, numbers: null})).toContain('ffffffff');
    expect(decodeHex(1, encodeHex(1, {...value, numbers: null})).numbers).toBeNull();
  });

  it('refuses to encode what the version cannot carry', () => {
    expect(() => encodeHex(0, {...value, numbers: null})).toThrow(/SampleMessage.numbers cannot be null in v0/);
    const {id: _id, ...withoutId} = value;
    expect(() => encodeMessage(Sample, 0, withoutId as never)).toThrow(/SampleMessage.id is required/);
    expect(() => encodeHex(0, {...value, items: [{key: null as never, data: Buffer.alloc(0)}]})).toThrow(TypeError);
    expect(() => encodeHex(0, {...value, numbers: [null as never]})).toThrow(/null element/);
  });

  it('answers UNSUPPORTED_VERSION outside validVersions', () => {
    const attempt = () => decodeMessage(Sample, 4, Buffer.alloc(0));
    expect(attempt).toThrow(KafkaProtocolError);
    try {
      attempt();
    } catch (error) {
      expect((error as KafkaProtocolError).code).toBe(ErrorCode.UNSUPPORTED_VERSION);
    }
    expect(() => encodeMessage(Sample, -1, value)).toThrow(KafkaProtocolError);
  });

  it('throws ProtocolDecodeError for every truncation', () => {
    for (const [version, full] of [
      [0, V0],
      [2, V2],
      [3, V3],
    ] as const) {
      const bytes = Buffer.from(full, 'hex');
      for (let end = 0; end < bytes.length; end++) {
        expect(() => decodeMessage(Sample, version, bytes.subarray(0, end))).toThrow(ProtocolDecodeError);
      }
    }
  });

  it('infers the decoded and encodable types from the schema', () => {
    expectTypeOf<Decoded<typeof Sample>>().toEqualTypeOf<{
      id: number;
      label: string | null;
      offset: bigint;
      legacy: number;
      items: {key: string; data: Buffer; note: string}[];
      numbers: number[] | null;
      topicId: string;
      flag: boolean;
      hint: string | null;
    }>();
    expectTypeOf<Encodable<typeof Sample>>().toEqualTypeOf<{
      id: number;
      items: {key: string; data: Uint8Array; note?: string}[];
      numbers: number[] | null;
      topicId: string;
      label?: string | null;
      offset?: bigint | number;
      legacy?: number;
      flag?: boolean;
      hint?: string | null;
    }>();
  });
});

describe('schema validation at definition time', () => {
  const define = (fields: readonly FieldSpec[], flexibleVersions: 'none' | '2+' = 'none') => () =>
    defineMessage({name: 'Bad', apiKey: 1000, validVersions: '0-3', flexibleVersions, fields});

  it.each([
    ['a malformed version range', [{name: 'a', type: 'int32', versions: '1-0'}]],
    ['a struct without fields', [{name: 'a', type: '[]Thing', versions: '0+'}]],
    ['a primitive with fields', [{name: 'a', type: 'int32', versions: '0+', fields: []}]],
    ['a nullable int', [{name: 'a', type: 'int32', versions: '0+', nullableVersions: '0+'}]],
    ['a tag without taggedVersions', [{name: 'a', type: 'int32', versions: '0+', tag: 0}]],
    ['a tag in non-flexible versions', [{name: 'a', type: 'int32', versions: '0+', taggedVersions: '0+', tag: 0}]],
    ['a default of the wrong type', [{name: 'a', type: 'int32', versions: '0+', default: 'x'}]],
    ['a null default on a non-nullable field', [{name: 'a', type: 'string', versions: '0+', default: null}]],
    [
      'duplicate names',
      [
        {name: 'a', type: 'int32', versions: '0+'},
        {name: 'a', type: 'int8', versions: '0+'},
      ],
    ],
  ] as Array<[string, FieldSpec[]]>)('rejects %s', (_what, fields) => {
    expect(define(fields)).toThrow(Error);
  });

  it('rejects duplicate tags', () => {
    const fields: FieldSpec[] = [
      {name: 'a', type: 'int32', versions: '2+', taggedVersions: '2+', tag: 0},
      {name: 'b', type: 'int32', versions: '2+', taggedVersions: '2+', tag: 0},
    ];
    expect(define(fields, '2+')).toThrow(/duplicate tag/);
  });

  it('rejects an open-ended validVersions', () => {
    expect(() => defineMessage({name: 'Bad', apiKey: 1, validVersions: '0+', flexibleVersions: 'none', fields: []})).toThrow(
      /closed range/,
    );
  });
});
