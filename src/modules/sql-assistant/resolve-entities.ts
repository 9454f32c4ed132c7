import type { Queryable } from '../../db/database.ts';

const LOOKUP_COLUMNS: Record<string, readonly string[]> = {
  clientes: ['id', 'cedula'],
  prestamos: ['id'],
  cuotas: ['id'],
  pagos: ['id'],
};

/** The id of the row of `table` whose `column` equals `value`, or undefined. */
export async function findEntity(
  db: Queryable,
  table: string,
  column: string,
  value: unknown,
): Promise<number | undefined> {
  if (!LOOKUP_COLUMNS[table]?.includes(column)) throw new Error(`Unsupported lookup ${table}.${column}`);
  const { rows } = await db.query<{ id: number }>(`SELECT id FROM ${table} WHERE ${column} = $1 LIMIT 1`, [value]);
  return rows[0]?.id;
}

/**
 * Clients whose name contains every word given (whole words, without accents): "oscar escalona"
 * finds "Óscar Escalona Medina". At most 11, enough to tell one from several.
 */
export async function findClientsByName(
  db: Queryable,
  words: string[],
): Promise<{ id: number; cedula: string; nombres: string }[]> {
  const terms = words.filter((word) => /^[a-z0-9]{2,}$/.test(word));
  if (terms.length === 0) return [];
  // Every word, as a whole word, through the full-text index on the names (migration 0009).
  const { rows } = await db.query<{ id: number; cedula: string; nombres: string }>(
    `SELECT id, cedula, nombres FROM clientes
      WHERE to_tsvector('simple', rc_sin_acentos(nombres)) @@ to_tsquery('simple', $1)
      ORDER BY id LIMIT 11`,
    [terms.join(' & ')],
  );
  return rows;
}

const nameWordCache = new WeakMap<object, { signature: string; words: Set<string> }>();

/**
 * Every word of every client's name, without accents, cached until a client is added:
 * a word no client has is never looked up (at 100,000 clients one lookup scans every name, ~0.5 s).
 */
export async function clientNameWords(db: Queryable): Promise<Set<string>> {
  const { rows } = await db.query<{ firma: string }>(
    // The largest id (an index lookup), not a count: counting 100,000 rows on every question cost ~15 ms.
    `SELECT coalesce(max(id), 0)::text AS firma FROM clientes`,
  );
  const signature = rows[0]?.firma ?? '';
  const cached = nameWordCache.get(db);
  if (cached?.signature === signature) return cached.words;
  const result = await db.query<{ palabra: string }>(
    `SELECT DISTINCT palabra FROM clientes, regexp_split_to_table(rc_sin_acentos(nombres), '[^a-z0-9]+') AS palabra
      WHERE palabra <> ''`,
  );
  const words = new Set(result.rows.map((row) => row.palabra));
  nameWordCache.set(db, { signature, words });
  return words;
}
