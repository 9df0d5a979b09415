// A real AT Protocol network on this machine (PLC directory + PDS, and with `appView` the Bluesky
// AppView), from @atproto/dev-env: the peer for integration tests, bench/capture and `civicdesk
// demo`. Nothing leaves the machine: every server is bound to 127.0.0.1, its files go to a
// private temporary folder, and its PostgreSQL schemas are dropped on close.
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface LocalNetwork {
  pdsUrl: string;
  plcUrl: string;
  /** ws:// of the PDS's own firehose. */
  firehoseUrl: string;
  appView: boolean;
  createAccount(handle: string, password?: string): Promise<{ did: string; handle: string; password: string }>;
  /** Waits until the AppView has indexed every write (no-op without an AppView). */
  processAll(): Promise<void>;
  /** Stops every server (the PDS first, so a test can kill the network mid-publish). */
  close(): Promise<void>;
}

export interface LocalNetworkOptions {
  /** Start the AppView too (needs PostgreSQL at `postgresUrl`). */
  appView?: boolean;
  postgresUrl?: string;
}

type Listen = typeof net.Server.prototype.listen;

/** dev-env's servers listen on every interface; force loopback while they start. */
async function onLoopback<T>(start: () => Promise<T>): Promise<T> {
  const original: Listen = net.Server.prototype.listen;
  const patched = function (this: net.Server, ...args: unknown[]) {
    if (typeof args[0] === 'number' && typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1');
    else if (args[0] && typeof args[0] === 'object' && !(args[0] as net.ListenOptions).host && (args[0] as net.ListenOptions).path === undefined) {
      args[0] = { ...(args[0] as net.ListenOptions), host: '127.0.0.1' };
    }
    return (original as (...a: unknown[]) => net.Server).apply(this, args);
  };
  net.Server.prototype.listen = patched as Listen;
  try {
    return await start();
  } finally {
    net.Server.prototype.listen = original;
  }
}

export async function startLocalNetwork(options: LocalNetworkOptions = {}): Promise<LocalNetwork> {
  // Each run gets its own folder: the PDS keeps SQLite files and blobs under os.tmpdir().
  const dir = mkdtempSync(join(tmpdir(), 'civicdesk-atproto-'));
  const previousTmp = process.env.TMPDIR;
  const restoreTmp = () => {
    if (previousTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTmp;
  };
  process.env.TMPDIR = dir;
  // dev-env accepts only letters and underscores in schema names.
  const schema = `cd_${[...randomBytes(8)].map((b) => String.fromCharCode(97 + (b % 26))).join('')}`;
  let dev: typeof import('@atproto/dev-env');
  try {
    dev = await import('@atproto/dev-env');
  } catch (err) {
    restoreTmp();
    throw new Error(`the local AT Protocol network needs the development dependency @atproto/dev-env (npm install without --omit=dev): ${(err as Error).message}`);
  }
  const withAppView = options.appView === true;
  try {
    const network = await onLoopback(async () => {
      if (!withAppView) return dev.TestNetworkNoAppView.create({});
      if (!options.postgresUrl) throw new Error('the AppView needs PostgreSQL: pass postgresUrl');
      process.env.REDIS_HOST ??= '127.0.0.1'; // asserted by dev-env, never used
      return dev.TestNetwork.create({ dbPostgresUrl: options.postgresUrl, dbPostgresSchema: schema });
    });
    const pdsUrl = network.pds.url.replace('localhost', '127.0.0.1');
    return {
      pdsUrl,
      plcUrl: network.plc.url.replace('localhost', '127.0.0.1'),
      firehoseUrl: pdsUrl.replace(/^http/, 'ws'),
      appView: withAppView,
      async createAccount(handle, password = `pw-${randomBytes(9).toString('hex')}`) {
        const res = await fetch(new URL('/xrpc/com.atproto.server.createAccount', pdsUrl), {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ handle, email: `${handle.replace(/\W/g, '-')}@example.test`, password }),
        });
        if (!res.ok) throw new Error(`creating ${handle}: ${res.status} ${await res.text()}`);
        const body = (await res.json()) as { did: string; handle: string };
        return { did: body.did, handle: body.handle, password };
      },
      async processAll() {
        if ('processAll' in network && typeof network.processAll === 'function') await network.processAll();
      },
      async close() {
        await network.close();
        if (withAppView && options.postgresUrl) await dropSchemas(options.postgresUrl, schema);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } finally {
    restoreTmp();
  }
}

async function dropSchemas(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const name of [`appview_${schema}`, `ozone_${schema}`]) await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  } finally {
    await client.end();
  }
}
