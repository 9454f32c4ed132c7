import type { Queryable } from './database.ts';

/** How embeddings are stored here: pgvector, or real[] with exact search where pgvector is missing. */
export type EmbeddingsBackend = 'pgvector' | 'float4[]';

/** Reads the backend chosen (and recorded) when the database was migrated. */
export async function embeddingsBackend(db: Queryable): Promise<EmbeddingsBackend> {
  const { rows } = await db.query<{ valor: EmbeddingsBackend }>(
    "SELECT valor FROM capacidades_bd WHERE clave = 'embeddings.backend'",
  );
  const value = rows[0]?.valor;
  if (value !== 'pgvector' && value !== 'float4[]') throw new Error('La base de datos no está migrada.');
  return value;
}

/** A vector as a literal both backends accept: pgvector's `[1,2,3]` or an array `{1,2,3}`. */
export function vectorLiteral(backend: EmbeddingsBackend, values: readonly number[]): string {
  const body = values.map((value) => (Number.isFinite(value) ? value : 0)).join(',');
  return backend === 'pgvector' ? `[${body}]` : `{${body}}`;
}

/** One nearest chunk with its cosine distance (0 = same direction). */
export interface NearestChunk {
  id: number;
  documento_id: number;
  chunk_index: number;
  distancia: number;
}

/**
 * The `k` chunks of one embedding model nearest to `vector` by cosine distance. With pgvector the
 * cast to the model's dimension lets the per-dimension HNSW index serve the query; the fallback
 * computes the exact distance for every chunk of that model.
 */
export async function nearestChunks(
  db: Queryable,
  options: { backend: EmbeddingsBackend; modelo: string; vector: readonly number[]; k: number },
): Promise<NearestChunk[]> {
  const dims = options.vector.length;
  const literal = vectorLiteral(options.backend, options.vector);
  const distance =
    options.backend === 'pgvector'
      ? `(e.embedding::vector(${dims})) <=> ($1::vector(${dims}))`
      : 'rc_distancia_coseno(e.embedding, $1::real[])';
  const { rows } = await db.query<NearestChunk>(
    `SELECT e.id, e.documento_id, e.chunk_index, ${distance} AS distancia
       FROM documento_ai_embeddings e
      WHERE e.modelo_embedding = $2 AND e.dimensiones = $3
      ORDER BY distancia
      LIMIT $4`,
    [literal, options.modelo, dims, options.k],
  );
  return rows.map((row) => ({ ...row, distancia: Number(row.distancia) }));
}
