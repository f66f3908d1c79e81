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

export type JsonLine = Record<string, unknown>;

/** The NDJSON lines of a command's output (complete lines only). */
export const jsonLines = (s: string): JsonLine[] =>
  s
    .slice(0, s.lastIndexOf('\n') + 1)
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as JsonLine);

/**
 * A long-running command (`kpat watch`, `kpat proxy`) in its own process with `--output json`,
 * as a script runs it: its lines can be awaited, and it stops with a signal as Ctrl-C would.
 */
export function startJsonCli(args: string[], opts: {env?: NodeJS.ProcessEnv; killAfterMs: number}) {
  const child = spawn(process.execPath, [RUN_JS, ...args], {env: {...process.env, ...opts.env, CI: 'true', FORCE_COLOR: '0'}, stdio: ['ignore', 'pipe', 'pipe']});
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const killer = setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs);
  void exited.then(() => clearTimeout(killer));
  return {
    child,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    /** The lines so far, once `ok` holds for them; `what` names the wait in the timeout's error. */
    async until(what: string, ok: (lines: JsonLine[]) => boolean, timeoutMs: number): Promise<JsonLine[]> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const lines = jsonLines(stdout);
        if (ok(lines)) return lines;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`timed out waiting for ${what}; stdout:\n${stdout}\nstderr:\n${stderr}`);
    },
  };
}
