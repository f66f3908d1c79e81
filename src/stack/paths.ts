import {homedir} from 'node:os';
import {join} from 'node:path';

/** Where the local stack keeps its state, log and default data: `KPAT_HOME`, default `~/.kpat`. */
export function kpatHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.KPAT_HOME && env.KPAT_HOME.length > 0 ? env.KPAT_HOME : join(homedir(), '.kpat');
}

export interface StackPaths {
  home: string;
  stateFile: string;
  logFile: string;
  defaultDataDir: string;
}

export function stackPaths(home = kpatHome()): StackPaths {
  return {
    home,
    stateFile: join(home, 'stack.json'),
    logFile: join(home, 'broker.log'),
    defaultDataDir: join(home, 'data'),
  };
}
