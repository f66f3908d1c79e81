import {spawn, type ChildProcess} from 'node:child_process';
import {findRunJs} from '../../src/stack/control.js';

/** bin/run.js of this checkout, whether this file runs from test/ or dist/test/. */
export const RUN_JS = findRunJs();

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (bin/run.js → dist) as a user would, without a TTY. */
export function runCli(args: string[], opts: {env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number; cwd?: string; onOutput?: (stdout: string, stderr: string) => void; onSpawn?: (child: ChildProcess) => void} = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [RUN_JS, ...args], {
      env: {...process.env, CI: 'true', FORCE_COLOR: '0', ...opts.env},
      stdio: ['pipe', 'pipe', 'pipe'],
      cwd: opts.cwd,
    });
    opts.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      opts.onOutput?.(stdout, stderr);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      opts.onOutput?.(stdout, stderr);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({code, stdout, stderr});
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** The built CLI started in the background: its output so far, and its end; kill() sends SIGKILL (a crash). */
export function startCli(args: string[], opts: {env?: NodeJS.ProcessEnv; timeoutMs?: number} = {}): {output(): CliResult; kill(): void; done: Promise<CliResult>} {
  let stdout = '';
  let stderr = '';
  let kill = () => {};
  const done = runCli(args, {
    ...opts,
    onOutput: (out, err) => {
      stdout = out;
      stderr = err;
    },
    onSpawn: (child) => {
      kill = () => child.kill('SIGKILL');
    },
  });
  return {output: () => ({code: null, stdout, stderr}), kill: () => kill(), done};
}
