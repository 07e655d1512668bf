/**
 * The mail dispatcher claims a row before it talks to SMTP: status `sending` with a lease. A
 * dispatcher that dies mid-send leaves the row to be reclaimed once the lease has run out.
 */
import type { NamedMigration } from './index';

export const outboxSendingLease: NamedMigration = {
  name: '0018_outbox_sending_lease',
  async up(knex) {
    await knex.raw(`
      ALTER TABLE notification_outbox DROP CONSTRAINT notification_outbox_status_check;
      ALTER TABLE notification_outbox
        ADD CONSTRAINT notification_outbox_status_check CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
        ADD COLUMN lease_until timestamptz NULL;
      -- Claims whose dispatcher died: reclaimed after the lease.
      CREATE INDEX notification_outbox_leased ON notification_outbox (lease_until) WHERE status = 'sending';
    `);
  },
  async down(knex) {
    await knex.raw(`
      UPDATE notification_outbox SET status = 'pending' WHERE status = 'sending';
      DROP INDEX notification_outbox_leased;
      ALTER TABLE notification_outbox DROP COLUMN lease_until;
      ALTER TABLE notification_outbox DROP CONSTRAINT notification_outbox_status_check;
      ALTER TABLE notification_outbox
        ADD CONSTRAINT notification_outbox_status_check CHECK (status IN ('pending', 'sent', 'failed'));
    `);
  },
};
