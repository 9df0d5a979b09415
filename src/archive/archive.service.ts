// The archive's dependencies, gathered once at start-up and handed to its commands and queries.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Dialect } from '../db/database.js';
import type { BlobStore, FolderKeyStore } from './stores.js';

export interface ArchiveDeps {
  db: Kysely<DB>;
  dialect: Dialect;
  blobs: BlobStore;
  keys: FolderKeyStore;
  /** Names this deployment in checkpoint origins, e.g. "civicdesk.bozeman.net". */
  host: string;
  now?: () => Date;
}

export function originFor(host: string, citySlug: string): string {
  return `${host}/${citySlug}/archive`;
}
