import avro from 'avsc';
import {invalidSchema} from './errors.js';

export interface ParsedSchema {
  /** The schema as stored and returned: its JSON without insignificant whitespace. */
  canonical: string;
  type: avro.Type;
}

/**
 * Parses and validates an Avro schema's text. The canonical text keeps every
 * attribute (docs, defaults, logical types, enum defaults) and drops only
 * whitespace, so the same schema sent twice maps to one id, while schemas that
 * differ in a default stay distinct (as Confluent's registry does).
 */
export function parseAvroSchema(text: string): ParsedSchema {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalidSchema(`not JSON (${(error as Error).message})`);
  }
  return {canonical: JSON.stringify(json), type: avroType(json)};
}

/** The avsc type of already-parsed schema JSON; an invalid schema is a 42201. */
export function avroType(json: unknown): avro.Type {
  try {
    // Logical types are resolved by their underlying type, as Avro's schema resolution does.
    return avro.Type.forSchema(json as avro.Schema);
  } catch (error) {
    throw invalidSchema((error as Error).message);
  }
}
