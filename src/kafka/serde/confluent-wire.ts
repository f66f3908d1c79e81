import {BadMagicByteError} from './errors.js';

/**
 * The Confluent wire format: magic byte 0, the schema id as a 4-byte
 * big-endian int, then the Avro binary encoding.
 */
export const MAGIC_BYTE = 0;
export const WIRE_HEADER_BYTES = 5;

export function frame(schemaId: number, payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(WIRE_HEADER_BYTES + payload.length);
  out[0] = MAGIC_BYTE;
  out.writeInt32BE(schemaId, 1);
  payload.copy(out, WIRE_HEADER_BYTES);
  return out;
}

/** True when the bytes look framed (magic byte and room for an id); says nothing of whether the id exists. */
export const looksFramed = (bytes: Buffer): boolean => bytes.length >= WIRE_HEADER_BYTES && bytes[0] === MAGIC_BYTE;

export function unframe(bytes: Buffer): {schemaId: number; payload: Buffer} {
  if (bytes.length < WIRE_HEADER_BYTES) {
    throw new BadMagicByteError(`${bytes.length} bytes are too short for the Confluent wire format (magic byte 0 and a 4-byte schema id)`);
  }
  if (bytes[0] !== MAGIC_BYTE) {
    throw new BadMagicByteError(`first byte is ${bytes[0]}, not the Confluent wire format's magic byte 0 — the record was not written by an Avro serializer`);
  }
  return {schemaId: bytes.readInt32BE(1), payload: bytes.subarray(WIRE_HEADER_BYTES)};
}
