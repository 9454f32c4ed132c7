import type { Database } from './database.ts';

/** A tabular result as printed by `sql --json`. */
export interface Table {
  columnas: string[];
  filas: unknown[][];
}

/**
 * Runs one statement inside a READ ONLY transaction with a statement timeout. Several statements
 * are refused by the extended protocol itself, and the database refuses any write, so nothing a
 * caller sends here can change data.
 */
export async function readOnlyQuery(db: Database, sql: string, options: { timeoutMs?: number } = {}): Promise<Table> {
  return db.transaction(async (tx) => {
    await tx.exec('SET TRANSACTION READ ONLY');
    await tx.exec(`SET LOCAL statement_timeout = ${Math.max(1, Math.trunc(options.timeoutMs ?? 30_000))}`);
    const result = await tx.queryArrays(sql);
    return { columnas: result.columns, filas: result.rows };
  });
}
