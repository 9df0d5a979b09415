// The same test suite runs on SQLite and on a real PostgreSQL server. Each test file gets fresh
// databases. Under CI=true PostgreSQL is required; elsewhere its tests skip with a loud warning.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../db/database.js';

export const ADMIN_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let pgAvailable: Promise<boolean> | undefined;

export function postgresAvailable(): Promise<boolean> {
  pgAvailable ??= (async () => {
    const client = new pg.Client({ connectionString: ADMIN_PG_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch (err) {
      if (process.env.CI) {
        throw new Error(`CI=true but PostgreSQL is not reachable at ${ADMIN_PG_URL}: ${(err as Error).message}`);
      }
      console.warn(`\n!!! PostgreSQL not reachable at ${ADMIN_PG_URL}: PostgreSQL tests are SKIPPED (they run under CI=true) !!!\n`);
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return pgAvailable;
}

export interface TestDatabase extends Database {
  /** postgres:// URL of this test database, when on PostgreSQL. */
  url?: string;
  /** Close and throw the database away. */
  dispose(): Promise<void>;
}

export async function openTestDatabase(backend: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'civicdesk-test-'));
    const database = await openDatabase({ sqlitePath: join(dir, 'civicdesk.db') });
    return { ...database, dispose: async () => { await database.close(); rmSync(dir, { recursive: true, force: true }); } };
  }
  const name = `civicdesk_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_PG_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), sqlitePath: '' });
  return {
    ...database,
    url: url.toString(),
    dispose: async () => {
      await database.close();
      const a = new pg.Client({ connectionString: ADMIN_PG_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/** Backends to run a suite against: SQLite always, PostgreSQL when reachable (always under CI). */
export const BACKENDS = ['sqlite', 'postgres'] as const;

/** Use with top-level await in a test file: `describe.each(await availableBackends())(...)`. */
export async function availableBackends(): Promise<Array<'sqlite' | 'postgres'>> {
  return (await postgresAvailable()) ? ['sqlite', 'postgres'] : ['sqlite'];
}
