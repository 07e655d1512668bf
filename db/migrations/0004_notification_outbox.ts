/**
 * Notifications to send, written in the same transaction as the events that cause them, so none
 * is lost and none is written twice; the e-mail sender delivers them afterwards.
 */
import type { NamedMigration } from './index';

export const notificationOutbox: NamedMigration = {
  name: '0004_notification_outbox',
  async up(knex) {
    await knex.raw(`
      CREATE TABLE notification_outbox (
        -- The intent id for a person; intent id + '/' + user id for each holder of a role.
        id                text PRIMARY KEY,
        intent_id         text NOT NULL,
        case_id           text NOT NULL,
        -- Null only on a 'failed' row that records an intent nobody could receive.
        recipient_user_id text NULL,
        recipient_email   text NULL,
        locale            text NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN', 'en')),
        template          text NOT NULL,
        data              jsonb NOT NULL DEFAULT '{}',
        created_at        timestamptz NOT NULL DEFAULT now(),
        status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
        attempts          integer NOT NULL DEFAULT 0,
        next_attempt_at   timestamptz NOT NULL DEFAULT now(),
        sent_at           timestamptz NULL,
        last_error        text NULL,
        CHECK (status = 'failed' OR (recipient_user_id IS NOT NULL AND recipient_email IS NOT NULL))
      );

      -- The sender's work queue: pending rows whose next attempt is due.
      CREATE INDEX notification_outbox_due ON notification_outbox (next_attempt_at) WHERE status = 'pending';
      CREATE INDEX notification_outbox_by_intent ON notification_outbox (intent_id);
      CREATE INDEX notification_outbox_by_case ON notification_outbox (case_id);
    `);
  },
  async down(knex) {
    await knex.raw('DROP TABLE notification_outbox;');
  },
};
