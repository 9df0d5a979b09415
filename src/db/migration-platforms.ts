// 0005: connectors. Where each live capture stream resumes (the firehose sequence number), and
// what the last health check of an account's connector said. Neither is a public record: the
// records are what the connectors capture into the archive; connections and health changes are
// events.
import type { Migration } from 'kysely';
import type { AnyDb } from './migrations.js';

export function platformsMigration(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.createTable('platform_cursors')
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('stream', 'text', (c) => c.notNull())
        .addColumn('cursor', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('platform_cursors_pk', ['account_id', 'stream'])
        .execute();
      // Live capture asks "was this post captured?" for every deletion on the stream.
      await db.schema.createIndex('archive_records_platform_id').on('archive_records').columns(['org_id', 'platform_id']).execute();
      await db.schema.alterTable('accounts').addColumn('connector_checked_at', 'text').execute();
      await db.schema.alterTable('accounts').addColumn('connector_message', 'text').execute();
    },
  };
}
