import {describe, expect, it} from 'vitest';
import {headersSummary, previewKey, previewValue, recordTime} from './record-format.js';
import {sparkline, formatRate, fit} from './kit/format.js';

describe('previewValue', () => {
  it('compacts JSON objects and arrays', () => {
    expect(previewValue(Buffer.from('{\n  "orderId": "o-1",\n  "items": [1, 2]\n}\n'))).toBe('{"orderId":"o-1","items":[1,2]}');
    expect(previewValue(Buffer.from(' [1, {"a": null}] '))).toBe('[1,{"a":null}]');
  });

  it('shows text on one line, including text that only looks like JSON', () => {
    expect(previewValue(Buffer.from('hello, kafka'))).toBe('hello, kafka');
    expect(previewValue(Buffer.from('{not json'))).toBe('{not json');
    expect(previewValue(Buffer.from('two\nlines\tand a tab'))).toBe('two⏎lines and a tab');
    expect(previewValue(Buffer.from('42'))).toBe('42');
  });

  it('shows binary as hex with its length', () => {
    expect(previewValue(Buffer.from([0, 1, 2, 0xff]))).toBe('0x000102ff (4 B)');
    expect(previewValue(Buffer.alloc(300, 0xab))).toBe(`0x${'ab'.repeat(16)}… (300 B)`);
    expect(previewValue(Buffer.from([0xc3, 0x28]))).toBe('0xc328 (2 B)'); // invalid UTF-8
  });

  it('says null for a tombstone and nothing for a missing key', () => {
    expect(previewValue(null)).toBe('null');
    expect(previewKey(null)).toBe('');
    expect(previewKey(Buffer.from('o-7'))).toBe('o-7');
  });
});

describe('headersSummary and recordTime', () => {
  it('shows the first header and how many more', () => {
    expect(headersSummary({})).toBe('');
    expect(headersSummary({source: Buffer.from('cli')})).toBe('source=cli');
    expect(headersSummary({source: Buffer.from('cli'), trace: [Buffer.from('a'), Buffer.from('b')], gone: undefined})).toBe('source=cli +2');
  });

  it('gives local time with milliseconds', () => {
    const t = new Date(2024, 0, 2, 3, 4, 5, 67).getTime();
    expect(recordTime(t)).toBe('03:04:05.067');
  });
});

describe('sparkline, formatRate, fit', () => {
  it('scales bars between the minimum and maximum of the last `width` values', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8)).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([100, 104, 107], 3)).toBe('▁▅█');
    expect(sparkline([9, 9, 1, 2], 2)).toBe('▁█');
    expect(sparkline([0, 0, 0], 5)).toBe('▁▁▁');
    expect(sparkline([7, 7], 5)).toBe('▄▄');
    expect(sparkline([], 5)).toBe('');
  });

  it('formats rates and cuts text with an ellipsis', () => {
    expect([0, 12.34, 250, 12_345, 2_500_000].map(formatRate)).toEqual(['0.0', '12.3', '250', '12.3k', '2.5M']);
    expect(fit('abcdef', 4)).toBe('abc…');
    expect(fit('abc', 4)).toBe('abc');
  });
});
