/**
 * The `operator` channel: a command sent straight to Temporal without the API's proof is recorded
 * as what it is (runtime/command-attestation.ts), never as an API or e-mail action.
 */
import type { NamedMigration } from './index';

export const operatorChannel: NamedMigration = {
  name: '0027_operator_channel',
  async up(knex) {
    await knex.raw(`
      ALTER TABLE case_events DROP CONSTRAINT case_events_channel_check;
      ALTER TABLE case_events ADD CONSTRAINT case_events_channel_check
        CHECK (channel IN ('api', 'email', 'offline', 'operator', 'system'));
    `);
  },
  async down(knex) {
    await knex.raw(`
      ALTER TABLE case_events DROP CONSTRAINT case_events_channel_check;
      ALTER TABLE case_events ADD CONSTRAINT case_events_channel_check
        CHECK (channel IN ('api', 'email', 'offline', 'system'));
    `);
  },
};
