import { join } from 'node:path';
import type { Database } from '../db/database.js';
import type { ArchiveDeps } from './archive.service.js';
import { FolderBlobStore, FolderKeyStore } from './stores.js';

/**
 * The archive's stores under the data folder: `blobs/` (media by SHA-256) and `keys/` (each
 * city's Ed25519 key — back this folder up separately from the database).
 */
export function archiveDepsFor(database: Database, dataDir: string): ArchiveDeps {
  return {
    db: database.db,
    dialect: database.dialect,
    blobs: new FolderBlobStore(join(dataDir, 'blobs')),
    keys: new FolderKeyStore(process.env.CIVICDESK_KEYS ?? join(dataDir, 'keys')),
    host: process.env.CIVICDESK_HOST ?? 'civicdesk.localhost',
  };
}
