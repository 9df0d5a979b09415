// Schema migrations, written once with Kysely's schema builder for both dialects. Where the
// dialects differ (auto-increment, triggers) the difference is spelled out here and nowhere else.
import { Kysely, Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect } from './database.js';
import { archiveMigration } from './migration-archive.js';
import { archiveSealsMigration } from './migration-archive-seals.js';
import { archiveSearchPgMigration } from './migration-archive-search-pg.js';
import { accountsMigration } from './migration-accounts.js';
import { searchKeysMigration } from './migration-search-keys.js';
import { platformsMigration } from './migration-platforms.js';
import { contentMigration } from './migration-content.js';
import { mailMigration } from './migration-mail.js';
import { moderationMigration } from './migration-moderation.js';
import { recordsMigration } from './migration-records.js';
import { moderationBlocksMigration } from './migration-moderation-blocks.js';
import { contentTemplatesMigration } from './migration-content-templates.js';

export type AnyDb = Kysely<unknown>;

function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_foundation': {
      async up(db: AnyDb) {
        await db.schema.createTable('organizations')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('slug', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('pack_id', 'text', (c) => c.notNull())
          .addColumn('pack_version', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema.createTable('policy_packs')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
          .addColumn('pack_id', 'text', (c) => c.notNull())
          .addColumn('version', 'text', (c) => c.notNull())
          .addColumn('sha256', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('installed_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema.createTable('departments')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('departments_org_name', ['org_id', 'name'])
          .execute();

        await db.schema.createTable('users')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
          .addColumn('email', 'text', (c) => c.notNull())
          .addColumn('display_name', 'text', (c) => c.notNull())
          .addColumn('department_id', 'text', (c) => c.references('departments.id'))
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('password_changed_at', 'text', (c) => c.notNull())
          .addColumn('totp_secret', 'text')
          .addColumn('totp_enabled', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('totp_last_step', 'integer')
          .addColumn('totp_pending_secret', 'text')
          .addColumn('recovery_codes', 'text', (c) => c.notNull().defaultTo('[]'))
          .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
          .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('locked_until', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('users_org_email', ['org_id', 'email'])
          .execute();

        await db.schema.createTable('user_roles')
          .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
          .addColumn('role_id', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('user_roles_pk', ['user_id', 'role_id'])
          .execute();

        await db.schema.createTable('sessions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
          .addColumn('csrf_token', 'text', (c) => c.notNull())
          .addColumn('mfa_passed', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('last_seen_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema.createTable('events')
          .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
            dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement())
          .addColumn('id', 'text', (c) => c.notNull().unique())
          .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
          .addColumn('actor_id', 'text')
          .addColumn('actor_label', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('target_type', 'text', (c) => c.notNull())
          .addColumn('target_id', 'text', (c) => c.notNull())
          .addColumn('before', 'text')
          .addColumn('after', 'text')
          .addColumn('sources', 'text', (c) => c.notNull().defaultTo('[]'))
          .addColumn('pack_version', 'text')
          .addColumn('request_id', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('events_org_seq').on('events').columns(['org_id', 'seq']).execute();

        await db.schema.createTable('jobs')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('run_at', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(5))
          .addColumn('last_error', 'text')
          .addColumn('locked_until', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('jobs_due').on('jobs').columns(['status', 'run_at']).execute();

        await appendOnly(db, dialect, 'events');
      },
    },
    '0002_archive': archiveMigration(dialect),
    '0003_accounts': accountsMigration(dialect),
    '0004_search_keys': searchKeysMigration(dialect),
    '0005_platforms': platformsMigration(),
    '0006_content': contentMigration(dialect),
    '0007_mail': mailMigration(),
    '0008_moderation': moderationMigration(dialect),
    '0009_records': recordsMigration(dialect),
    '0010_moderation_blocks': moderationBlocksMigration(),
    '0011_content_templates': contentTemplatesMigration(dialect),
    '0012_archive_seals': archiveSealsMigration(dialect),
    '0013_archive_search_pg': archiveSearchPgMigration(dialect),
  };
}

/** The database itself refuses UPDATE and DELETE on an append-only table, whatever code runs. */
export async function appendOnly(db: AnyDb, dialect: Dialect, table: string): Promise<void> {
  if (dialect === 'sqlite') {
    for (const op of ['UPDATE', 'DELETE']) {
      await sql.raw(`CREATE TRIGGER ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table}
        BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`).execute(db);
    }
    return;
  }
  await sql.raw(`CREATE OR REPLACE FUNCTION civicdesk_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$ LANGUAGE plpgsql`).execute(db);
  await sql.raw(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
    FOR EACH ROW EXECUTE FUNCTION civicdesk_append_only()`).execute(db);
  await sql.raw(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
    FOR EACH STATEMENT EXECUTE FUNCTION civicdesk_append_only()`).execute(db);
}

export async function migrateToLatest(db: AnyDb, dialect: Dialect): Promise<void> {
  const all = migrations(dialect);
  const provider: MigrationProvider = { getMigrations: async () => all };
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error ?? 'unknown error');
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${reason}`);
  }
}
