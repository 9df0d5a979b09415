// 0007: the mail outbox. Mail is written here inside the transaction of the change it announces,
// so a rolled-back change never e-mails anyone; a job sends due rows afterwards and records the
// outcome on the row (retries with backoff, then 'failed' with the SMTP error). Rows are
// delivery bookkeeping, not records: what staff were told is in the in-app notifications and the
// events of the change itself.
import type { Migration } from 'kysely';
import type { AnyDb } from './migrations.js';

export function mailMigration(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.createTable('mail_outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
        .addColumn('to_address', 'text', (c) => c.notNull())
        .addColumn('to_user_id', 'text', (c) => c.references('users.id'))
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('text_body', 'text', (c) => c.notNull())
        .addColumn('html_body', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('send_after', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('sent_at', 'text')
        .addColumn('message_id', 'text')
        .execute();
      // The sender's only query: pending rows that are due, oldest first.
      await db.schema.createIndex('mail_outbox_due').on('mail_outbox').columns(['status', 'send_after']).execute();
    },
  };
}
