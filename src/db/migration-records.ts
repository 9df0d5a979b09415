// 0009: public records requests (KA-14, BZ-13, MN-10). A request carries the clock copied from the
// pack when it was received, so a later pack change never moves a deadline already promised. The
// searches, the frozen candidate lists, every review decision, every redaction and every production
// are append-only: what the city decided, and why, stays as it was decided. The request row itself
// changes (status, estimates), and each change is an event, so the events are its history.
import type { Migration } from 'kysely';
import type { Dialect } from './database.js';
import { appendOnly, type AnyDb } from './migrations.js';

export function recordsMigration(dialect: Dialect): Migration {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: AnyDb) {
      await db.schema.createTable('records_requests')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
        .addColumn('number', 'text', (c) => c.notNull()) // R-2026-0007
        .addColumn('requester_name', 'text', (c) => c.notNull())
        .addColumn('requester_contact', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('clock_days', 'integer', (c) => c.notNull())
        .addColumn('clock_business', 'integer', (c) => c.notNull())
        .addColumn('clock_statute', 'text', (c) => c.notNull())
        .addColumn('due_on', 'text', (c) => c.notNull()) // ISO date in the city's time zone
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('fee_estimate_cents', 'integer')
        .addColumn('time_estimate_hours', 'real')
        .addColumn('notes', 'text')
        .addColumn('department_id', 'text')
        .addColumn('assigned_to', 'text')
        .addColumn('forwarded_by', 'text')
        .addColumn('acknowledged_at', 'text')
        .addColumn('answered_at', 'text')
        .addColumn('denial', 'text') // JSON: { codes, explanation } of a full denial
        .addColumn('closed_at', 'text')
        .addColumn('reminded_due_soon_at', 'text')
        .addColumn('reminded_overdue_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('records_requests_number', ['org_id', 'number'])
        .execute();
      await db.schema.createIndex('records_requests_due').on('records_requests').columns(['org_id', 'status', 'due_on']).execute();

      // Each search of the archive for a request, with the query as it was run.
      await db.schema.createTable('records_request_searches')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('request_id', 'text', (c) => c.notNull())
        .addColumn('query', 'text', (c) => c.notNull())
        .addColumn('total', 'integer', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('actor_label', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('records_request_searches_request').on('records_request_searches').columns(['request_id', 'created_at']).execute();
      await appendOnly(db, dialect, 'records_request_searches');

      // The exact result list of each search, in its order: what the city found, frozen.
      await db.schema.createTable('records_request_candidates')
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('request_id', 'text', (c) => c.notNull())
        .addColumn('search_id', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('record_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('records_request_candidates_pk', ['search_id', 'position'])
        .execute();
      await db.schema.createIndex('records_request_candidates_request').on('records_request_candidates').columns(['request_id', 'record_id']).execute();
      await appendOnly(db, dialect, 'records_request_candidates');

      // Include or exclude, with the reason; the latest decision on a record is the one in force.
      await db.schema.createTable('records_request_reviews')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('request_id', 'text', (c) => c.notNull())
        .addColumn('record_id', 'text', (c) => c.notNull())
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('exemption_code', 'text') // when a record is withheld under an exemption
        .addColumn('actor_id', 'text')
        .addColumn('actor_label', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('records_request_reviews_request').on('records_request_reviews').columns(['request_id', 'record_id', 'created_at']).execute();
      await appendOnly(db, dialect, 'records_request_reviews');

      // A span of a record's normalized text withheld under an exemption. Never the removed text.
      await db.schema.createTable('records_request_redactions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('request_id', 'text', (c) => c.notNull())
        .addColumn('record_id', 'text', (c) => c.notNull())
        .addColumn('start_offset', 'integer', (c) => c.notNull())
        .addColumn('end_offset', 'integer', (c) => c.notNull())
        .addColumn('reason_code', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('actor_id', 'text')
        .addColumn('actor_label', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('records_request_redactions_request').on('records_request_redactions').columns(['request_id', 'record_id']).execute();
      await appendOnly(db, dialect, 'records_request_redactions');

      // Each package produced: the file, its digest and what it held (records and redacted copies).
      await db.schema.createTable('records_request_productions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('request_id', 'text', (c) => c.notNull())
        .addColumn('file_path', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('bytes', bigint, (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('actor_label', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('records_request_productions_request').on('records_request_productions').columns(['request_id', 'created_at']).execute();
      await appendOnly(db, dialect, 'records_request_productions');
    },
  };
}
