/** The request bodies the REST API takes, checked with zod before anything acts on them. */
import {z} from 'zod';
import * as E from '../errors.js';

const SchemaBody = z.object({
  schema: z.string().min(1, 'the schema is empty'),
  schemaType: z.string().optional(),
  references: z.array(z.unknown()).max(0, 'schema references are not supported').optional(),
});
const ConfigBody = z.object({compatibility: z.string()});
const ModeBody = z.object({mode: z.string()});

export type SchemaRequest = z.infer<typeof SchemaBody>;

function parsed<T>(schema: z.ZodType<T>, body: unknown, fail: (why: string) => E.RegistryError): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw fail(`${issue?.path.length ? `${issue.path.join('.')}: ` : ''}${issue?.message ?? 'invalid body'}`);
}

export const schemaBody = (body: unknown) => parsed(SchemaBody, body, E.invalidSchema);
export const configBody = (body: unknown) => parsed(ConfigBody, body, (why) => E.invalidCompatibilityLevel(why));
export const modeBody = (body: unknown) => parsed(ModeBody, body, E.unprocessable);
