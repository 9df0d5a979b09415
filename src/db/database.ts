import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';

// int8 (bigserial) comes back as a string by default; event sequence numbers stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));
import type { DB } from './schema.js';
import { migrateToLatest } from './migrations.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  dialect: Dialect;
  /** Where the data lives, for logs and the dashboard (the password is never included). */
  describe: string;
  close(): Promise<void>;
}

export interface DatabaseConfig {
  /** postgres://... selects PostgreSQL; otherwise SQLite at `sqlitePath`. */
  databaseUrl?: string;
  sqlitePath: string;
}

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  const database = config.databaseUrl && /^postgres(ql)?:\/\//.test(config.databaseUrl)
    ? openPostgres(config.databaseUrl)
    : openSqlite(config.sqlitePath);
  try {
    // Migrations see the schema as it was then, not the current table types.
    await migrateToLatest(database.db as unknown as Kysely<unknown>, database.dialect);
    // SQLite plans badly without statistics (it ignores the kind and account indexes); a bounded
    // ANALYZE on open keeps them current at little cost.
    if (database.dialect === 'sqlite') await sql`PRAGMA analysis_limit=1000`.execute(database.db).then(() => sql`PRAGMA optimize`.execute(database.db));
  } catch (err) {
    await database.close();
    throw err;
  }
  return database;
}

function openSqlite(path: string): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  // WAL for concurrent readers; synchronous=FULL so a committed record survives power loss.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', describe: `SQLite ${path}`, close: () => db.destroy() };
}

function openPostgres(url: string): Database {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client can be cut off by the server (restart, admin terminating backends). pg emits
  // that on the pool; with no listener Node would crash the whole process. The pool drops the
  // broken client and the next query gets a fresh one, so a warning is all that is needed.
  pool.on('error', (err) => { process.emitWarning(`PostgreSQL idle client error: ${err.message}`); });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const safe = new URL(url);
  safe.password = '';
  return { db, dialect: 'postgres', describe: `PostgreSQL ${safe.host}${safe.pathname}`, close: () => db.destroy() };
}
