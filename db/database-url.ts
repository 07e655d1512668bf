/**
 * Where a command-line tool finds PostgreSQL: DATABASE_URL, or else the embedded PostgreSQL that
 * a running `npm start` announces in `<dataDir>/database-url`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type Config } from '../runtime/config';

export function commandDatabaseUrl(config: Pick<Config, 'databaseUrl' | 'dataDir'>): string {
  if (config.databaseUrl !== undefined) return config.databaseUrl;
  const announced = path.join(config.dataDir, 'database-url');
  const url = existsSync(announced) ? readFileSync(announced, 'utf8').trim() : '';
  if (url === '') {
    throw new ConfigError(
      'DATABASE_URL',
      `is not set and no running dev stack announces a database in ${announced}; ` +
        'set DATABASE_URL or start the dev stack with `npm start`',
    );
  }
  return url;
}
