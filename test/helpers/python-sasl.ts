import {spawn} from 'node:child_process';
import {join} from 'node:path';

const SCRIPT = join(import.meta.dirname, '..', 'fixtures', 'python-sasl.py');

export type PythonClient = 'confluent' | 'kafka-python';

/** Produces one record and reads it back over SASL_SSL with a Python client (test/fixtures/python-sasl.py). */
export function pythonSaslRoundTrip(
  client: PythonClient,
  opts: {bootstrap: string; ca: string; mechanism: string; user: string; password: string; topic: string},
): Promise<{ok: boolean; value?: string; error?: string; stderr: string}> {
  return new Promise((resolve) => {
    const args = [SCRIPT, client, opts.bootstrap, opts.ca, opts.mechanism, opts.user, opts.password, opts.topic];
    const child = spawn('/usr/bin/python3', args, {stdio: ['ignore', 'pipe', 'pipe']});
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', () => {
      clearTimeout(timer);
      const last = stdout.trimEnd().split('\n').pop() ?? '';
      resolve({...(last.startsWith('{') ? (JSON.parse(last) as {ok: boolean}) : {ok: false, error: 'no report'}), stderr});
    });
  });
}
