import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import kafkajs from 'kafkajs';
import {median, RUN_JS, repeatFor} from './harness.js';

const {Kafka, logLevel} = kafkajs;

export interface StartupFigure {
  name: string;
  /** Milliseconds of each repetition, in run order. */
  times: number[];
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
 * Start-up figures, each repeated for at least `minSeconds` (and a few times at
 * least) so one slow start on a busy machine does not decide the median.
 */
export async function startupFigures(minSeconds = 2): Promise<StartupFigure[]> {
  const figures: StartupFigure[] = [];
  const quietHome = mkdtempSync(join(tmpdir(), 'kpat-bench-home-'));
  const quietEnv = {...process.env, KPAT_HOME: quietHome, CI: 'true'};
  try {
    figures.push({name: 'node -e 0 (the floor)', times: await repeatFor(minSeconds, 5, () => wallMs(['-e', '0'], quietEnv))});
    figures.push({name: 'kpat up → first acknowledged produce', times: await repeatFor(minSeconds, 5, upToFirstProduce)});
    figures.push({name: 'kpat status (no stack running)', times: await repeatFor(minSeconds, 5, () => wallMs([RUN_JS, 'status'], quietEnv))});
    const up = JSON.parse(await exitOf([RUN_JS, 'up', '--port', '0', '--json'], quietEnv)) as {bootstrap: string};
    try {
      await exitOf([RUN_JS, 'topics', 'create', 'bench.startup', '--partitions', '3', '--brokers', up.bootstrap], quietEnv);
      figures.push({name: 'kpat topics (stack running)', times: await repeatFor(minSeconds, 5, () => wallMs([RUN_JS, 'topics'], quietEnv))});
      figures.push({name: 'kpat status (stack running)', times: await repeatFor(minSeconds, 5, () => wallMs([RUN_JS, 'status'], quietEnv))});
    } finally {
      await exitOf([RUN_JS, 'down', '--purge'], quietEnv);
    }
  } finally {
    rmSync(quietHome, {recursive: true, force: true});
  }
  return figures;
}

export function printStartup(figures: StartupFigure[]): void {
  console.log('\nstart-up (wall time; median of the repetitions, then min–max)');
  const floor = median(figures[0]!.times);
  for (const f of figures) {
    const m = median(f.times);
    const min = Math.min(...f.times);
    const max = Math.max(...f.times);
    console.log(
      `${f.name.padEnd(38)} ${`${Math.round(m)} ms`.padStart(8)}  (${Math.round(min)}–${Math.round(max)} ms, ${f.times.length} runs, ${(m / floor).toFixed(1)}× node -e 0)`,
    );
  }
}
