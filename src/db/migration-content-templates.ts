// 0011: pre-approved emergency templates (LX-5, BZ-6, BZ-8). A template's text has named blanks;
// approvers of the content chain approve one version of it (append-only, with the pack version in
// force), and an edit of its text starts a new version that needs approving again. Each update of
// an emergency started from a template records which template version, approved by whom, and the
// values put in its blanks, so the fast path it took can be explained later.
import type { Migration } from 'kysely';
import type { Dialect } from './database.js';
import { appendOnly, type AnyDb } from './migrations.js';

export function contentTemplatesMigration(dialect: Dialect): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.createTable('content_templates')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('category', 'text')
        .addColumn('account_ids', 'text', (c) => c.notNull())
        .addColumn('department_id', 'text')
        .addColumn('author_id', 'text', (c) => c.notNull())
        .addColumn('editor_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('findings', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('content_templates_org').on('content_templates').columns(['org_id', 'title']).execute();

      await db.schema.createTable('content_template_approvals')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('template_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('step', 'integer', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('pack_version', 'text', (c) => c.notNull())
        .addColumn('acknowledged', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('content_template_approvals_step', ['template_id', 'version', 'pack_version', 'step'])
        .execute();
      await appendOnly(db, dialect, 'content_template_approvals');

      await db.schema.createTable('content_template_uses')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('draft_id', 'text', (c) => c.notNull())
        .addColumn('draft_version', 'integer', (c) => c.notNull())
        .addColumn('template_id', 'text', (c) => c.notNull())
        .addColumn('template_version', 'integer', (c) => c.notNull())
        .addColumn('blank_values', 'text', (c) => c.notNull())
        .addColumn('exact', 'integer', (c) => c.notNull())
        .addColumn('approvals', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('content_template_uses_draft', ['draft_id', 'draft_version'])
        .execute();
      await appendOnly(db, dialect, 'content_template_uses');
    },
  };
}
