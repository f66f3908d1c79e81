import {OperationError} from '../../core/errors.js';

/** Bytes that a serde could not read or a value it could not write; the message says why. */
export class SerdeError extends OperationError {}

/** The first byte is not the Confluent wire format's magic byte 0 (or the bytes are too short to hold a schema id). */
export class BadMagicByteError extends SerdeError {}

/** The schema id in the bytes is not in the registry. */
export class UnknownSchemaIdError extends SerdeError {
  constructor(readonly schemaId: number) {
    super(`schema id ${schemaId} is not in the schema registry — was the record written against another registry?`);
  }
}

/** The payload does not decode with its schema (or is not JSON). */
export class UndecodableBytesError extends SerdeError {}

/** A value that does not match its schema; `path` names the field. */
export class SchemaMismatchError extends SerdeError {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}
