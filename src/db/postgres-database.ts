import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { type Database, type Queryable, type QueryResult, sharedTypeParsers } from './database.ts';

type Client = pg.Pool | pg.PoolClient;

function toResult<Row>(result: pg.QueryResult): QueryResult<Row> {
  return {
    rows: result.rows as Row[],
    columns: result.fields.map((field) => field.name),
    affectedRows: result.rowCount ?? 0,
  };
}

function wrap(client: Client): Queryable {
  return {
    async query<Row>(text: string, params: readonly unknown[] = []) {
      return toResult<Row>(await client.query(text, [...params]));
    },
    async queryArrays(text: string, params: readonly unknown[] = []) {
      return toResult<unknown[]>(await client.query({ text, values: [...params], rowMode: 'array' }));
    },
    async exec(script: string) {
      await client.query(script);
    },
  };
}

/** The server URL with its password hidden, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(URL no válida)';
  }
}

/** Opens a connection pool to a PostgreSQL server. */
export async function openPostgresDatabase(options: {
  url: string;
  timeZone: string;
  maxConnections?: number;
}): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    options: `-c timezone=${options.timeZone}`,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        sharedTypeParsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection the server closes (a restart, a terminated backend) is dropped from the pool;
  // without this listener node-postgres would raise it as an uncaught exception and stop the process.
  pool.on('error', (error) =>
    console.error('[base de datos] conexión inactiva cerrada por el servidor:', error.message),
  );
  // Fail fast with the server's own message when it is unreachable.
  const probe = await pool.connect();
  probe.release();
  const base = wrap(pool);
  return {
    ...base,
    kind: 'postgres',
    location: redactUrl(options.url),
    native: { kind: 'postgres', url: options.url },
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async copyFrom(table, columns, csv) {
      const client = await pool.connect();
      try {
        const stream = client.query(
          copyStreams.from(`COPY ${table} (${columns.join(', ')}) FROM STDIN WITH (FORMAT csv)`),
        );
        await pipeline(Readable.from([csv]), stream);
        return stream.rowCount ?? 0;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}
