import {bufferToText, type ConsumedRecord} from '../kafka/records.js';

/** Short, one-line renderings of a record's parts, shared by the live tail and the plain lines. */

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;
const utf8 = new TextDecoder('utf-8', {fatal: true});

/** Text when the bytes are printable UTF-8, else null. */
function asText(bytes: Buffer): string | null {
  try {
    const text = utf8.decode(bytes);
    return CONTROL.test(text) ? null : text;
  } catch {
    return null;
  }
}

/** Binary shown as its first bytes in hex and its length: `0x00ff12… (300 B)`. */
function hexPreview(bytes: Buffer, maxBytes = 16): string {
  const head = bytes.subarray(0, maxBytes).toString('hex');
  return `0x${head}${bytes.length > maxBytes ? '…' : ''} (${bytes.length} B)`;
}

/** Compact JSON when the value parses as an object or array, else its text on one line, else hex with its length. */
export function previewValue(value: Buffer | null): string {
  if (value === null) return 'null';
  const text = asText(value);
  if (text === null) return hexPreview(value);
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.stringify(JSON.parse(trimmed));
    } catch {
      // not JSON after all: show the text
    }
  }
  return oneLine(text);
}

export function previewKey(key: Buffer | null): string {
  if (key === null) return '';
  const text = asText(key);
  return text === null ? hexPreview(key, 8) : oneLine(text);
}

/** `name=value` of the first header, then how many more: `source=cli +2`. */
export function headersSummary(headers: ConsumedRecord['headers']): string {
  const pairs = Object.entries(headers).flatMap(([name, v]) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((one) => `${name}=${bufferToText(one)}`)));
  if (pairs.length === 0) return '';
  return oneLine(pairs[0]!) + (pairs.length > 1 ? ` +${pairs.length - 1}` : '');
}

/** Local wall-clock time with milliseconds: `14:03:07.250`. */
export function recordTime(timestamp: number): string {
  const d = new Date(timestamp);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

export const recordPosition = (r: Pick<ConsumedRecord, 'partition' | 'offset'>) => `${r.partition}@${r.offset}`;

const oneLine = (text: string) => text.replace(/\r?\n/g, '⏎').replace(/\t/g, ' ');
