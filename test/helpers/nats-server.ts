import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The nats-server binary: $NATS_SERVER_BIN, the one on PATH, or Debian's; undefined if none can be found. */
export function natsServerBinary(): string | undefined {
  const given = process.env['NATS_SERVER_BIN'];
  if (given !== undefined && existsSync(given)) return given;
  try {
    const found = execFileSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' }).trim();
    if (found !== '') return found;
  } catch {
    // not on PATH
  }
  return existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : undefined;
}

/** Why the cluster tests skip, or undefined when they run. Under CI they must run: the suite fails instead. */
export function clusterSkipReason(): string | undefined {
  if (natsServerBinary() !== undefined) return undefined;
  const why = 'nats-server not found (install it: apt-get install -y nats-server, or set NATS_SERVER_BIN)';
  if (process.env['CI']) throw new Error(`the cluster tests cannot be skipped under CI: ${why}`);
  return why;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface NatsServer {
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** SIGKILL, wait for the exit. */
  kill(): Promise<void>;
  /** SIGTERM, wait for the exit, remove its folder. */
  stop(): Promise<void>;
}

export interface NatsServerOptions {
  readonly port?: number;
  /** Keep the store here (to restart on it); default: a temp folder removed on stop. */
  readonly dir?: string;
  /** Routes for a cluster: this server's cluster port, and its peers' route URLs. */
  readonly cluster?: { readonly name: string; readonly port: number; readonly routes: readonly string[] };
  readonly serverName?: string;
}

const exited = (p: ChildProcess): Promise<void> =>
  p.exitCode !== null || p.signalCode !== null
    ? Promise.resolve()
    : new Promise((r) => p.once('exit', () => r()));

/** Start a real nats-server with JetStream on 127.0.0.1 and wait until its monitoring /healthz answers. */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  const binary = natsServerBinary();
  if (binary === undefined) throw new Error('nats-server not found');
  const port = options.port ?? (await freePort());
  const monitor = await freePort();
  const own = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'nats-'));
  const args = ['-a', '127.0.0.1', '-p', String(port), '-m', String(monitor), '-js', '-sd', dir];
  if (options.serverName !== undefined) args.push('-n', options.serverName);
  if (options.cluster !== undefined) {
    args.push(
      '--cluster_name',
      options.cluster.name,
      '--cluster',
      `nats://127.0.0.1:${options.cluster.port}`,
    );
    args.push('--routes', options.cluster.routes.join(','));
  }
  const log = openSync(join(dir, 'server.log'), 'a');
  const child = spawn(binary, args, { stdio: ['ignore', log, log] });
  closeSync(log);
  const health = options.cluster === undefined ? 'healthz' : 'varz';
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`nats-server exited at start (see ${dir}/server.log)`);
    try {
      const r = await fetch(`http://127.0.0.1:${monitor}/${health}`);
      if (r.ok) break;
    } catch {
      // not up yet
    }
    if (i > 200) throw new Error('nats-server did not become healthy in 10 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    process: child,
    kill: async () => {
      child.kill('SIGKILL');
      await exited(child);
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited(child);
      if (own) rmSync(dir, { recursive: true, force: true });
    },
  };
}
