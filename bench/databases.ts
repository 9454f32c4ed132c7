import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Database } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { openPgliteDatabase } from '../src/db/pglite-database.ts';
import { openPostgresDatabase } from '../src/db/postgres-database.ts';
import { createServerDatabase } from '../test/support/database.ts';

export interface BenchDatabase {
  db: Database;
  close: () => Promise<void>;
}

export type BenchTarget = 'pglite' | 'postgres';

const TIME_ZONE = 'America/Caracas';

/** A fresh, unmigrated database of the given kind: PGlite in a temporary folder, or a new server database. */
export async function openBenchDatabase(target: BenchTarget): Promise<BenchDatabase> {
  if (target === 'pglite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'rc-bench-'));
    const db = await openPgliteDatabase({ dataDir: dir, timeZone: TIME_ZONE });
    return {
      db,
      async close() {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const server = await createServerDatabase();
  const db = await openPostgresDatabase({ url: server.url, timeZone: TIME_ZONE, maxConnections: 4 });
  return {
    db,
    async close() {
      await db.close();
      await server.drop();
    },
  };
}

/** A fresh database with the schema applied. */
export async function openMigratedBenchDatabase(target: BenchTarget): Promise<BenchDatabase> {
  const opened = await openBenchDatabase(target);
  await migrate(opened.db);
  return opened;
}
