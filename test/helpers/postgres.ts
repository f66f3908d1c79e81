import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {chownSync, existsSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import pg from 'pg';

/** Debian's PostgreSQL server binaries; .ci/run installs them (apt-get install postgresql). */
export const PG_BIN = '/usr/lib/postgresql/15/bin';

export interface TestPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address() as {port: number};
      server.close(() => resolve(port));
    });
  });
}

/** Runs a command as the postgres user when this process is root (postgres refuses to run as root). */
function asPostgres(cmd: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

/**
 * A real PostgreSQL server with wal_level=logical, in a temp dir, on a free
 * port: initdb, then postgres in the background; stop() shuts it down and
 * removes the dir. Missing binaries fail the test, saying what to install.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  if (!existsSync(join(PG_BIN, 'postgres')) || !existsSync(join(PG_BIN, 'initdb'))) {
    throw new Error(`PostgreSQL 15 server binaries not found in ${PG_BIN}: apt-get install -y postgresql (the outbox's logical replication tests need a real server; .ci/run installs it)`);
  }
  const root = mkdtempSync(join(tmpdir(), 'kpat-pg-'));
  const data = join(root, 'data');
  const sockets = join(root, 'sock');
  mkdirSync(sockets);
  if (process.getuid?.() === 0) {
    const pw = spawnSync('id', ['-u', 'postgres'], {encoding: 'utf8'});
    const gid = spawnSync('id', ['-g', 'postgres'], {encoding: 'utf8'});
    if (pw.status !== 0) throw new Error('running as root and there is no postgres user to run the server as: apt-get install -y postgresql creates it');
    for (const dir of [root, sockets]) chownSync(dir, Number(pw.stdout.trim()), Number(gid.stdout.trim()));
  }
  const [initCmd, initArgs] = asPostgres(join(PG_BIN, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  const init = spawnSync(initCmd, initArgs, {encoding: 'utf8'});
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  const port = await freePort();
  const [cmd, args] = asPostgres(join(PG_BIN, 'postgres'), ['-D', data, '-p', String(port), '-c', 'wal_level=logical', '-c', 'listen_addresses=127.0.0.1', '-k', sockets, '-c', 'fsync=off', '-c', 'max_wal_senders=10', '-c', 'max_replication_slots=10']);
  const server: ChildProcess = spawn(cmd, args, {stdio: ['ignore', 'ignore', 'pipe'], detached: false});
  let log = '';
  server.stderr?.setEncoding('utf8').on('data', (d: string) => (log += d));
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const client = new pg.Client({connectionString: url});
    try {
      await client.connect();
      await client.end();
      break;
    } catch {
      await client.end().catch(() => {});
      if (server.exitCode !== null || Date.now() > deadline) {
        server.kill('SIGKILL');
        rmSync(root, {recursive: true, force: true});
        throw new Error(`PostgreSQL did not start: ${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    port,
    async stop() {
      // pg_ctl signals the server itself (runuser does not pass signals on), and waits for it.
      const exited = server.exitCode !== null ? Promise.resolve() : new Promise((resolve) => server.once('exit', resolve));
      const [stopCmd, stopArgs] = asPostgres(join(PG_BIN, 'pg_ctl'), ['stop', '-D', data, '-m', 'fast', '-w']);
      await new Promise((resolve) => spawn(stopCmd, stopArgs, {stdio: 'ignore'}).once('exit', resolve));
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      rmSync(root, {recursive: true, force: true});
    },
  };
}
