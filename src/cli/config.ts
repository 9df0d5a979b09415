import { join, resolve } from 'node:path';
import { openDatabase, type Database } from '../db/database.js';

export interface RuntimeConfig {
  dataDir: string;
  databaseUrl?: string;
}

/** `--data` beats CIVICDESK_DATA beats ./data; DATABASE_URL=postgres://... selects PostgreSQL. */
export function runtimeConfig(opts: { data?: string }): RuntimeConfig {
  const dataDir = resolve(opts.data ?? process.env.CIVICDESK_DATA ?? 'data');
  return { dataDir, databaseUrl: process.env.DATABASE_URL || undefined };
}

export function openConfiguredDatabase(config: RuntimeConfig): Promise<Database> {
  return openDatabase({ databaseUrl: config.databaseUrl, sqlitePath: join(config.dataDir, 'civicdesk.db') });
}
