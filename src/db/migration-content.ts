// 0006: content. Drafts with per-platform variants, media and target accounts; the approval
// decisions taken on them (append-only: who approved which version); the discussion between author
// and approvers; publications (one per draft version and account, with the idempotency key that
// makes a retry safe); the city's "pause all publishing" switch; and incidents (vandalism alerts).
import type { Migration } from 'kysely';
import type { Dialect } from './database.js';
import { appendOnly, type AnyDb } from './migrations.js';

export function contentMigration(dialect: Dialect): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.createTable('drafts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
        .addColumn('author_id', 'text', (c) => c.notNull())
        .addColumn('department_id', 'text')
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('variants', 'text', (c) => c.notNull()) // JSON [{platform, text}]
        .addColumn('media', 'text', (c) => c.notNull()) // JSON [{sha256, mime, alt, size}]
        .addColumn('link', 'text')
        .addColumn('website_url', 'text')
        .addColumn('category', 'text')
        .addColumn('emergency', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('incident_id', 'text')
        .addColumn('account_ids', 'text', (c) => c.notNull()) // JSON [accountId]
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('chain', 'text') // JSON snapshot taken at submission
        .addColumn('current_step', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('findings', 'text', (c) => c.notNull()) // JSON: the checks of the current version
        .addColumn('scheduled_at', 'text')
        .addColumn('submitted_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('drafts_status').on('drafts').columns(['org_id', 'status', 'scheduled_at']).execute();

      await db.schema.createTable('draft_decisions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('draft_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('step', 'integer', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('comment', 'text')
        .addColumn('acknowledged', 'text', (c) => c.notNull()) // JSON finding ids the approver accepted
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('draft_decisions_draft').on('draft_decisions').columns(['draft_id', 'version', 'step']).execute();
      await appendOnly(db, dialect, 'draft_decisions');

      await db.schema.createTable('draft_comments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('draft_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('draft_comments_draft').on('draft_comments').columns(['draft_id', 'created_at']).execute();
      await appendOnly(db, dialect, 'draft_comments');

      await db.schema.createTable('publications')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('draft_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
        .addColumn('first_attempt_at', 'text', (c) => c.notNull())
        /** The platform id the publication will have, when the connector can say before publishing (Bluesky). */
        .addColumn('expected_id', 'text')
        .addColumn('platform_id', 'text')
        .addColumn('url', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('published_at', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('publications_draft').on('publications').columns(['draft_id']).execute();
      await db.schema.createIndex('publications_platform').on('publications').columns(['org_id', 'platform_id']).execute();
      await db.schema.createIndex('publications_expected').on('publications').columns(['org_id', 'expected_id']).execute();

      await db.schema.createTable('publishing_controls')
        .addColumn('org_id', 'text', (c) => c.primaryKey())
        .addColumn('paused', 'integer', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('changed_by', 'text', (c) => c.notNull())
        .addColumn('changed_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema.createTable('incidents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull()) // vandalism | emergency
        .addColumn('account_id', 'text')
        .addColumn('status', 'text', (c) => c.notNull()) // open | resolved
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('platform_id', 'text')
        .addColumn('lead_id', 'text')
        .addColumn('opened_at', 'text', (c) => c.notNull())
        .addColumn('resolved_at', 'text')
        .addColumn('review', 'text')
        .execute();
      await db.schema.createIndex('incidents_open').on('incidents').columns(['org_id', 'status', 'opened_at']).execute();
    },
  };
}
