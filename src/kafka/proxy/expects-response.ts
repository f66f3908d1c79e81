import {decodeRequestHeader} from '../../broker/protocol/header.js';
import {ApiKey} from '../../broker/protocol/messages/index.js';
import {Reader} from '../../broker/protocol/primitives.js';

const PRODUCE_FLEXIBLE_FROM = 9;

/**
 * Whether the broker answers this request: every one does except a Produce with acks=0,
 * whose response the proxy must neither wait for nor count as dropped.
 */
export function expectsResponse(frame: Buffer): boolean {
  const reader = new Reader(frame);
  const header = decodeRequestHeader(reader);
  if (header.apiKey !== ApiKey.Produce) return true;
  if (header.apiVersion >= 3) {
    if (header.apiVersion >= PRODUCE_FLEXIBLE_FROM) reader.readCompactNullableString();
    else reader.readNullableString(); // transactionalId
  }
  return reader.readInt16() !== 0;
}
