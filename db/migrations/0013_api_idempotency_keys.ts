/**
 * Idempotency-Key of case starts: the key a client sends, per user, bound to the case number
 * it reserved and a hash of the request, so a retried start returns the same case and a
 * different request under the same key is refused.
 */
import type { NamedMigration } from './index';

export const apiIdempotencyKeys: NamedMigration = {
  name: '0013_api_idempotency_keys',
  async up(knex) {
    await knex.raw(`
      CREATE TABLE api_idempotency_keys (
        user_id      text NOT NULL,
        key          text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
        request_hash text NOT NULL,
        case_id      text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        -- Null until Temporal accepted the start: a reserved number nobody started is findable.
        started_at   timestamptz NULL,
        PRIMARY KEY (user_id, key)
      );
    `);
  },
  async down(knex) {
    await knex.raw('DROP TABLE api_idempotency_keys;');
  },
};
