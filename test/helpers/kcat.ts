import {spawn, spawnSync} from 'node:child_process';

/** kcat is required by the interop tests; .ci/run installs it (Debian package kcat). */
export function kcatPath(): string {
  const found = spawnSync('sh', ['-c', 'command -v kcat'], {encoding: 'utf8'});
  const path = found.stdout.trim();
  if (!path) throw new Error('kcat is not installed: apt-get install -y kcat (the interop tests need it)');
  return path;
}

/** Runs kcat without blocking the event loop (the broker under test runs in this process). */
export function kcat(args: string[], input?: string, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(kcatPath(), args, {stdio: ['pipe', 'pipe', 'pipe']});
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`kcat ${args.join(' ')} exited ${code ?? signal}: ${err}`));
    });
    child.stdin.end(input ?? '');
  });
}
