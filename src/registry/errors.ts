/**
 * The registry's errors as Confluent Schema Registry answers them: an HTTP status
 * plus an `error_code` clients switch on (40401 subject not found …) and a message.
 */
export class RegistryError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'RegistryError';
  }

  toJSON(): {error_code: number; message: string} {
    return {error_code: this.errorCode, message: this.message};
  }
}

export const subjectNotFound = (subject: string) => new RegistryError(404, 40401, `Subject '${subject}' not found.`);
export const versionNotFound = (subject: string, version: number | string) =>
  new RegistryError(404, 40402, `Version ${version} not found for subject '${subject}'.`);
export const schemaNotFound = (what = 'Schema not found') => new RegistryError(404, 40403, what);
export const subjectSoftDeleted = (subject: string) =>
  new RegistryError(404, 40404, `Subject '${subject}' was soft deleted. Set permanent=true to delete permanently`);
export const subjectNotSoftDeleted = (subject: string) =>
  new RegistryError(404, 40405, `Subject '${subject}' was not deleted first before being permanently deleted`);
export const versionSoftDeleted = (subject: string, version: number) =>
  new RegistryError(404, 40406, `Subject '${subject}' Version ${version} was soft deleted. Set permanent=true to delete permanently`);
export const versionNotSoftDeleted = (subject: string, version: number) =>
  new RegistryError(404, 40407, `Subject '${subject}' Version ${version} was not deleted first before being permanently deleted`);
export const subjectCompatibilityNotConfigured = (subject: string) =>
  new RegistryError(404, 40408, `Subject '${subject}' does not have subject-level compatibility configured`);
export const incompatibleSchema = (subject: string, level: string, details: string[]) =>
  new RegistryError(409, 409, `Schema being registered is incompatible with an earlier schema for subject "${subject}" (${level}), details: [${details.join(', ')}]`);
export const invalidSchema = (why: string) => new RegistryError(422, 42201, `Invalid schema: ${why}`);
export const invalidVersion = (given: string) =>
  new RegistryError(422, 42202, `The specified version '${given}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`);
export const invalidCompatibilityLevel = (given: string) =>
  new RegistryError(422, 42203, `Invalid compatibility level: '${given}'. Valid values are NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE`);
export const unprocessable = (why: string) => new RegistryError(422, 422, why);
export const storeError = (why: string) => new RegistryError(500, 50001, `Error in the backend data store: ${why}`);
export const routeNotFound = () => new RegistryError(404, 404, 'HTTP 404 Not Found');
export const methodNotAllowed = () => new RegistryError(405, 405, 'HTTP 405 Method Not Allowed');
export const badRequest = (why: string) => new RegistryError(400, 400, why);
