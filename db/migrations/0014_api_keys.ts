/** API keys of integrations: only the SHA-256 of a key is kept; each acts as one directory user. */
import type { NamedMigration } from './index';

export const apiKeys: NamedMigration = {
  name: '0014_api_keys',
  async up(knex) {
    await knex.raw(`
      CREATE TABLE api_keys (
        id         text PRIMARY KEY,
        key_hash   text NOT NULL UNIQUE,
        user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name       text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz NULL
      );
    `);
  },
  async down(knex) {
    await knex.raw('DROP TABLE api_keys;');
  },
};
