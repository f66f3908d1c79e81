import {existsSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

/** A script in bin/ of this installation, found upwards from this file (works from src/ and dist/). */
export function findBin(name: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'bin', name);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find bin/${name} of this kpat installation`);
    dir = parent;
  }
}

/** The CLI's entry point. */
export const findRunJs = () => findBin('run.js');

/** The broker process's entry point: `kpat broker start` without the CLI around it. */
export const findBrokerJs = () => findBin('kpat-broker.js');
