import {execFile} from 'node:child_process';
import {join} from 'node:path';

const SCRIPT = join(import.meta.dirname, '..', 'fixtures', 'python-avro.py');

function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('/usr/bin/python3', [SCRIPT, ...args], {timeout: 60_000}, (error, stdout, stderr) => (error ? reject(new Error(`python-avro ${args[0]}: ${stderr || error.message}`)) : resolve(stdout)));
  });
}

/** Registers `schema` under `subject`, then writes each value with Apache Avro (Python) and confluent-kafka; answers the schema id. */
export async function pythonAvroProduce(bootstrap: string, registry: string, topic: string, subject: string, schema: string, values: unknown[]): Promise<number> {
  const out = await run(['produce', bootstrap, registry, topic, subject, schema, ...values.map((v) => JSON.stringify(v))]);
  return (JSON.parse(out.trim()) as {id: number}).id;
}

/** Decodes Confluent-framed Avro with Apache Avro (Python), fetching each schema from the registry by id. */
export async function pythonAvroDecode(registry: string, values: Buffer[]): Promise<unknown[]> {
  const out = await run(['decode', registry, ...values.map((v) => v.toString('hex'))]);
  return out.trim().split('\n').map((l) => JSON.parse(l) as unknown);
}

/** The same, each value resolved to `readerSchema` by Apache Avro's schema resolution; a value it cannot resolve answers {error}. */
export async function pythonAvroResolve(registry: string, readerSchema: string, values: Buffer[]): Promise<unknown[]> {
  const out = await run(['resolve', registry, readerSchema, ...values.map((v) => v.toString('hex'))]);
  return out.trim().split('\n').map((l) => JSON.parse(l) as unknown);
}
