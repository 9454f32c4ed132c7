import { PGlite, type PGliteInterface, type Transaction } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { type Database, type Queryable, type QueryResult, sharedTypeParsers } from './database.ts';

type PGliteLike = PGliteInterface | Transaction;

function toResult<Row>(result: {
  rows: unknown[];
  fields: { name: string }[];
  affectedRows?: number;
}): QueryResult<Row> {
  return {
    rows: result.rows as Row[],
    columns: result.fields.map((field) => field.name),
    affectedRows: result.affectedRows ?? 0,
  };
}

function wrap(handle: PGliteLike): Queryable {
  return {
    async query<Row>(text: string, params: readonly unknown[] = []) {
      return toResult<Row>(await handle.query(text, [...params]));
    },
    async queryArrays(text: string, params: readonly unknown[] = []) {
      return toResult<unknown[]>(await handle.query(text, [...params], { rowMode: 'array' }));
    },
    async exec(script: string) {
      await handle.exec(script);
    },
  };
}

/** Opens PGlite (with pgvector) in `dataDir`, or in memory when `dataDir` is `memory://`. */
export async function openPgliteDatabase(options: { dataDir: string; timeZone: string }): Promise<Database> {
  const pg = await PGlite.create(options.dataDir, {
    extensions: { vector },
    parsers: sharedTypeParsers,
  });
  await pg.exec(`SET TIME ZONE '${options.timeZone.replaceAll("'", "''")}'`);
  const base = wrap(pg);
  return {
    ...base,
    kind: 'pglite',
    location: options.dataDir,
    native: { kind: 'pglite', pglite: pg },
    async transaction(work) {
      return pg.transaction(async (tx) => work(wrap(tx)));
    },
    async copyFrom(table, columns, csv) {
      const result = await pg.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob' WITH (FORMAT csv)`, [], {
        blob: new Blob([csv]),
      });
      return result.affectedRows ?? 0;
    },
    async close() {
      await pg.close();
    },
  };
}
