import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Database } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { openPgliteDatabase } from '../../src/db/pglite-database.ts';
import { openPostgresDatabase } from '../../src/db/postgres-database.ts';

export const TEST_TIME_ZONE = 'America/Caracas';

/** A database made for one test file, removed by `close()`. */
export interface TestDatabase {
  db: Database;
  /** The server URL of this fresh database, when the suite runs on PostgreSQL. */
  url: string | undefined;
  close(): Promise<void>;
}

/** True when the suite runs against a PostgreSQL server (DATABASE_URL set) instead of PGlite. */
export const onServer = Boolean(process.env.DATABASE_URL);

/** A fresh server database named after `url`'s one, for one test file. */
export async function createServerDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) throw new Error('DATABASE_URL is not set');
  const name = `rc_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * Opens a fresh database: in-memory PGlite by default, a new database on the server when
 * DATABASE_URL is set. Migrated unless `migrate: false`.
 */
export async function openTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  if (!onServer) {
    const db = await openPgliteDatabase({ dataDir: 'memory://', timeZone: TEST_TIME_ZONE });
    if (options.migrate !== false) await migrate(db);
    return { db, url: undefined, close: () => db.close() };
  }
  const server = await createServerDatabase();
  const db = await openPostgresDatabase({ url: server.url, timeZone: TEST_TIME_ZONE, maxConnections: 4 });
  if (options.migrate !== false) await migrate(db);
  return {
    db,
    url: server.url,
    async close() {
      await db.close();
      await server.drop();
    },
  };
}
