// Official accounts and the people allowed to use them: the registry, administrators, approval
// requests through the pack's chains, training records, notifications, approved platforms and
// the credential vault (ciphertext only; the key never enters the database).
import type { Migration } from 'kysely';
import type { Dialect } from './database.js';
import { appendOnly, type AnyDb } from './migrations.js';

export function accountsMigration(dialect: Dialect): Migration {
  const blob = dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: AnyDb) {
      await db.schema.createTable('accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('handle', 'text', (c) => c.notNull())
        .addColumn('profile_url', 'text')
        .addColumn('department_id', 'text', (c) => c.references('departments.id'))
        .addColumn('board_name', 'text')
        .addColumn('minutes_reference', 'text')
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('signup_email', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('twofa_enabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('twofa_attested_at', 'text')
        .addColumn('website_link_present', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('aup_link_present', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('connector_status', 'text', (c) => c.notNull().defaultTo('not_connected'))
        .addColumn('connector_expires_at', 'text')
        .addColumn('request_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('accounts_org_platform_handle', ['org_id', 'platform', 'handle'])
        .execute();

      await db.schema.createTable('account_admins')
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('added_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('account_admins_pk', ['account_id', 'user_id'])
        .execute();

      // Staff allowed to post on an account (RL-2, LX-1), granted by an approved staff-access request.
      await db.schema.createTable('account_access')
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('request_id', 'text')
        .addColumn('granted_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('account_access_pk', ['account_id', 'user_id'])
        .execute();

      await db.schema.createTable('approved_platforms')
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('request_id', 'text')
        .addColumn('approved_at', 'text', (c) => c.notNull())
        .addColumn('withdrawn_at', 'text')
        .addPrimaryKeyConstraint('approved_platforms_pk', ['org_id', 'platform'])
        .execute();

      await db.schema.createTable('approval_requests')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('requested_by', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('chain', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('current_step', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('account_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('decided_at', 'text')
        .execute();
      await db.schema.createIndex('approval_requests_org_status').on('approval_requests').columns(['org_id', 'status']).execute();

      await db.schema.createTable('approval_decisions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('request_id', 'text', (c) => c.notNull().references('approval_requests.id'))
        .addColumn('step', 'integer', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('decided_by', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('comment', 'text')
        .addColumn('decided_at', 'text', (c) => c.notNull())
        .execute();
      await appendOnly(db, dialect, 'approval_decisions');

      await db.schema.createTable('training_completions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('module_id', 'text', (c) => c.notNull())
        .addColumn('completed_on', 'text', (c) => c.notNull())
        .addColumn('expires_on', 'text')
        .addColumn('recorded_by', 'text', (c) => c.notNull())
        .addColumn('evidence', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await appendOnly(db, dialect, 'training_completions');

      await db.schema.createTable('notifications')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('link', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('read_at', 'text')
        .execute();
      await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'read_at']).execute();

      await db.schema.createTable('vault_secrets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('label', 'text')
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('nonce', blob, (c) => c.notNull())
        .addColumn('ciphertext', blob, (c) => c.notNull())
        .addColumn('fingerprint', 'text')
        .addColumn('expires_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('vault_secrets_account_kind', ['account_id', 'kind'])
        .execute();
    },
  };
}
