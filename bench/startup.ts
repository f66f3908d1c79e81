import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import kafkajs from 'kafkajs';
import {median, RUN_JS} from './harness.js';

const {Kafka, logLevel} = kafkajs;

export interface StartupFigure {
  name: string;
  /** Milliseconds of each repetition, in run order. */
  times: number[];
  /** `node -e 0` run just before each repetition: what a bare Node start cost at that moment. */
  floors: number[];
}

function exitOf(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {env, stdio: ['ignore', 'pipe', 'pipe']});
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args.join(' ')} exited ${code}: ${err}`))));
  });
}

async function wallMs(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const start = performance.now();
  await exitOf(args, env);
  return performance.now() - start;
}

/** From spawning `kpat up` to the first produce the broker acknowledged (acks=all); then down --purge. */
async function upToFirstProduce(): Promise<number> {
  const home = mkdtempSync(join(tmpdir(), 'kpat-bench-home-'));
  const env = {...process.env, KPAT_HOME: home};
  try {
    const start = performance.now();
    const out = await exitOf([RUN_JS, 'up', '--port', '0', '--json'], env);
    const {bootstrap} = JSON.parse(out) as {bootstrap: string};
    const producer = new Kafka({brokers: [bootstrap], logLevel: logLevel.NOTHING}).producer();
    await producer.connect();
    await producer.send({topic: 'first', acks: -1, messages: [{value: 'hello'}]});
    const elapsed = performance.now() - start;
    await producer.disconnect();
    await exitOf([RUN_JS, 'down', '--purge'], env);
    return elapsed;
  } finally {
    rmSync(home, {recursive: true, force: true});
  }
}

/**
 * Runs `once` until at least `minSeconds` have passed and at least five times,
 * each right after a bare `node -e 0`, so a figure can be read against what
 * starting Node cost at the same moment on a shared machine.
 */
async function measure(name: string, minSeconds: number, env: NodeJS.ProcessEnv, once: () => Promise<number>): Promise<StartupFigure> {
  const figure: StartupFigure = {name, times: [], floors: []};
  const start = performance.now();
  while (figure.times.length < 5 || performance.now() - start < minSeconds * 1000) {
    figure.floors.push(await wallMs(['-e', '0'], env));
    figure.times.push(await once());
  }
  return figure;
}

/** Start-up figures, each repeated for at least `minSeconds`. */
export async function startupFigures(minSeconds = 2): Promise<StartupFigure[]> {
  const figures: StartupFigure[] = [];
  const quietHome = mkdtempSync(join(tmpdir(), 'kpat-bench-home-'));
  const env = {...process.env, KPAT_HOME: quietHome, CI: 'true'};
  try {
    figures.push(await measure('kpat up → first acknowledged produce', minSeconds, env, upToFirstProduce));
    figures.push(await measure('kpat status (no stack running)', minSeconds, env, () => wallMs([RUN_JS, 'status'], env)));
    await exitOf([RUN_JS, 'up', '--port', '0'], env);
    try {
      await exitOf([RUN_JS, 'topics', 'create', 'bench.startup', '--partitions', '3'], env);
      figures.push(await measure('kpat topics (stack running)', minSeconds, env, () => wallMs([RUN_JS, 'topics'], env)));
      figures.push(await measure('kpat status (stack running)', minSeconds, env, () => wallMs([RUN_JS, 'status'], env)));
    } finally {
      await exitOf([RUN_JS, 'down', '--purge'], env);
    }
  } finally {
    rmSync(quietHome, {recursive: true, force: true});
  }
  return figures;
}

export function printStartup(figures: StartupFigure[]): void {
  console.log('\nstart-up, wall time to exit (median, min–max), and against `node -e 0` run just before each repetition');
  for (const f of figures) {
    const ratios = f.times.map((t, i) => t / f.floors[i]!);
    const ms = (v: number) => `${Math.round(v)} ms`;
    console.log(
      `${f.name.padEnd(38)} ${ms(median(f.times)).padStart(8)}  (${Math.round(Math.min(...f.times))}–${ms(Math.max(...f.times))}, ${f.times.length} runs)  ${median(ratios).toFixed(1)}× node -e 0 (median ${ms(median(f.floors))})`,
    );
  }
}
