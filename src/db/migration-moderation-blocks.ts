// 0010: blocking a person from one of the city's accounts, for a limited time, where the pack allows
// it (moderation.blocking). The row holds the block's current state (proposed → active → lifted;
// expiry is computed from expires_at, so no job has to act for a block to end); every step is also
// a person's action in moderation_actions (append-only), an event, and an archive record.
import type { Migration } from 'kysely';
import type { AnyDb } from './migrations.js';

export function moderationBlocksMigration(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.createTable('moderation_blocks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('author_id', 'text', (c) => c.notNull())
        .addColumn('author_handle', 'text')
        .addColumn('item_id', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('days', 'integer', (c) => c.notNull())
        .addColumn('violations', 'text', (c) => c.notNull())
        .addColumn('warning_id', 'text')
        .addColumn('clause_id', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('proposed_by', 'text', (c) => c.notNull())
        .addColumn('approved_by', 'text')
        .addColumn('pack_version', 'text', (c) => c.notNull())
        .addColumn('starts_at', 'text')
        .addColumn('expires_at', 'text')
        .addColumn('lifted_by', 'text')
        .addColumn('lift_reason', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('moderation_blocks_author').on('moderation_blocks').columns(['org_id', 'account_id', 'author_id']).execute();
    },
  };
}
