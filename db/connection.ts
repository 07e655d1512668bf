/** The one way to open PostgreSQL: a knex pool over `pg`. */
import knex, { type Knex } from 'knex';
import pg from 'pg';

// BIGINT (int8) holds sequence numbers and counters that fit a JS number; read them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export function createDb(databaseUrl: string, poolMax = 10): Knex {
  return knex({
    client: 'pg',
    connection: databaseUrl,
    pool: { min: 0, max: poolMax },
  });
}
