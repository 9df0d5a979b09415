// 0008: comment moderation. One queue item per captured comment (the archive holds the comment
// itself; the item holds its triage and state), and an append-only log of every person's action
// on it: report, keep, escalate, approve removal, hide, restore — each removal with the clause,
// the pack version and a written reason.
import type { Migration } from 'kysely';
import type { Dialect } from './database.js';
import { appendOnly, type AnyDb } from './migrations.js';

export function moderationMigration(dialect: Dialect): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.createTable('moderation_items')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('platform_id', 'text', (c) => c.notNull())
        .addColumn('thread_id', 'text')
        .addColumn('record_id', 'text', (c) => c.notNull())
        .addColumn('author_id', 'text')
        .addColumn('author_handle', 'text')
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('labels', 'text', (c) => c.notNull())
        .addColumn('viewpoint', 'integer', (c) => c.notNull())
        .addColumn('evidence', 'text', (c) => c.notNull())
        .addColumn('proposal', 'text') // JSON: the removal an escalation proposes (clause, reason, by)
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('moderation_items_platform', ['org_id', 'platform_id'])
        .execute();
      await db.schema.createIndex('moderation_items_queue').on('moderation_items').columns(['org_id', 'state', 'created_at']).execute();

      await db.schema.createTable('moderation_actions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('item_id', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('clause_id', 'text')
        .addColumn('reason', 'text')
        .addColumn('pack_version', 'text', (c) => c.notNull())
        .addColumn('warnings', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('moderation_actions_item').on('moderation_actions').columns(['item_id', 'created_at']).execute();
      await appendOnly(db, dialect, 'moderation_actions');

      // Local names and streets that are never profanity (a mayor named Dick, Cockrell Street), and
      // the officials whose naming in a comment warns the moderator (criticism of them is protected).
      await db.schema.createTable('moderation_settings')
        .addColumn('org_id', 'text', (c) => c.primaryKey())
        .addColumn('allowlist', 'text', (c) => c.notNull())
        .addColumn('officials', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
