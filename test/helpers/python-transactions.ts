import {spawn} from 'node:child_process';
import {join} from 'node:path';

const SCRIPT = join(import.meta.dirname, '..', 'fixtures', 'python-transactions.py');

export interface PythonRun {
  code: number | null;
  stdout: string;
  stderr: string;
  report: {errors: string[]; firstCommitted?: boolean; firstError?: {fatal: boolean; code: number}};
}

/**
 * Runs a transactional confluent-kafka-python (librdkafka) scenario from
 * test/fixtures/python-transactions.py; `onLine` sees each stdout line as it comes.
 */
export function pythonTransactions(
  bootstrap: string,
  mode: string,
  topic: string,
  txid: string,
  onLine: (line: string, stdin: NodeJS.WritableStream) => void = () => {},
): Promise<PythonRun> {
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/python3', [SCRIPT, mode, bootstrap, topic, txid], {stdio: ['pipe', 'pipe', 'pipe']});
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      const before = stdout.split('\n').length - 1;
      stdout += d;
      const lines = stdout.split('\n');
      for (let i = before; i < lines.length - 1; i++) onLine(lines[i]!, child.stdin);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => {
      clearTimeout(timer);
      const last = stdout.trimEnd().split('\n').pop() ?? '{}';
      resolve({code, stdout, stderr, report: JSON.parse(last.startsWith('{') ? last : '{"errors":["no report"]}') as PythonRun['report']});
    });
  });
}
