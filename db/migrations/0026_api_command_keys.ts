/**
 * Idempotency-Key of commands on a case (decisions, task actions, offline entries): the key a
 * client sends, per user, bound to the case, a hash of the request, the Temporal update id the
 * key maps to, and — once the case answered — the answer, so a retry gets the very same answer.
 */
import type { NamedMigration } from './index';

export const apiCommandKeys: NamedMigration = {
  name: '0026_api_command_keys',
  async up(knex) {
    await knex.raw(`
      CREATE TABLE api_command_keys (
        user_id      text NOT NULL,
        key          text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
        case_id      text NOT NULL,
        request_hash text NOT NULL,
        update_id    text NOT NULL,
        -- Null until the case answered; a retry then re-sends the same update id, which Temporal
        -- answers with the first outcome instead of applying the command again.
        response     jsonb NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        answered_at  timestamptz NULL,
        PRIMARY KEY (user_id, key)
      );
    `);
  },
  async down(knex) {
    await knex.raw('DROP TABLE api_command_keys;');
  },
};
