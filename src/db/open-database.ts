import type { Config } from '../config.ts';
import type { Database } from './database.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { openPgliteDatabase } from './pglite-database.ts';
import { openPostgresDatabase } from './postgres-database.ts';

/** An open database plus, for a PGlite folder, a way to advertise the server URL to other processes. */
export interface OpenedDatabase {
  db: Database;
  announceUrl: (url: string) => void;
}

/** Opens the configured database; a PGlite data folder is locked for this process first. */
export async function openDatabase(config: Config, comando: string): Promise<OpenedDatabase> {
  if (config.database.kind === 'postgres') {
    const db = await openPostgresDatabase({ url: config.database.url, timeZone: config.timeZone });
    return { db, announceUrl: () => undefined };
  }
  if (config.inMemory) {
    const db = await openPgliteDatabase({ dataDir: config.database.dataDir, timeZone: config.timeZone });
    return { db, announceUrl: () => undefined };
  }
  const lock = await lockDataDir(config.dataDir, comando);
  try {
    const db = await openPgliteDatabase({ dataDir: config.database.dataDir, timeZone: config.timeZone });
    return {
      db: {
        ...db,
        async close() {
          try {
            await db.close();
          } finally {
            await lock.release();
          }
        },
      },
      announceUrl: lock.setUrl,
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}
