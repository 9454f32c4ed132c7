import type { Queryable } from '../../db/database.ts';
import type { EmbeddingsBackend } from '../../db/vector-search.ts';

/** One chunk ready to store, its vector already written as a literal of the backend. */
export interface ChunkRow {
  documentoId: number;
  index: number;
  text: string;
  headings: readonly string[];
  pageStart: number | null;
  pageEnd: number | null;
  embedding: string;
}

/** Rows per INSERT (keeps each statement's parameters small). */
export const INSERT_BATCH = 250;

/**
 * Stores chunks with their vector and their weighted Spanish tsvector: the chunk's own heading
 * names its topic (A), the outer headings only set context (C), the body is D.
 */
export async function insertChunkRows(
  db: Queryable,
  backend: EmbeddingsBackend,
  model: { model: string; dimensions: number },
  rows: readonly ChunkRow[],
): Promise<void> {
  const vectorType = backend === 'pgvector' ? 'vector' : 'real[]';
  for (let start = 0; start < rows.length; start += INSERT_BATCH) {
    const batch = rows.slice(start, start + INSERT_BATCH);
    await db.query(
      `INSERT INTO documento_ai_embeddings
         (documento_id, chunk_index, texto_chunk, encabezados, pagina, pagina_fin, embedding, modelo_embedding,
          dimensiones, texto_busqueda)
       SELECT c.documento_id, c.chunk_index, c.texto, c.encabezados, c.pagina, c.pagina_fin, c.embedding::${vectorType},
              $1, $2,
              setweight(to_tsvector('spanish', rc_sin_acentos(c.seccion)), 'A')
                || setweight(to_tsvector('spanish', rc_sin_acentos(c.contexto)), 'C')
                || to_tsvector('spanish', rc_sin_acentos(c.texto))
         FROM unnest($3::int[], $4::int[], $5::text[], $6::text[], $7::int[], $8::int[], $9::text[], $10::text[],
                     $11::text[])
              AS c (documento_id, chunk_index, texto, encabezados, pagina, pagina_fin, embedding, seccion, contexto)`,
      [
        model.model,
        model.dimensions,
        batch.map((row) => row.documentoId),
        batch.map((row) => row.index),
        batch.map((row) => row.text),
        batch.map((row) => row.headings.join(' > ')),
        batch.map((row) => row.pageStart),
        batch.map((row) => row.pageEnd),
        batch.map((row) => row.embedding),
        batch.map((row) => row.headings.at(-1) ?? ''),
        batch.map((row) => row.headings.slice(0, -1).join(' ')),
      ],
    );
  }
}

/** Replaces a document's vocabulary (word → count) in `documento_ai_vocabulario`. */
export async function storeVocabulary(db: Queryable, documentoId: number, counts: Map<string, number>): Promise<void> {
  await db.query('DELETE FROM documento_ai_vocabulario WHERE documento_id = $1', [documentoId]);
  await db.query(
    `INSERT INTO documento_ai_vocabulario (documento_id, palabra, frecuencia)
     SELECT $1, p.palabra, p.frecuencia FROM unnest($2::text[], $3::int[]) AS p (palabra, frecuencia)`,
    [documentoId, [...counts.keys()], [...counts.values()]],
  );
}
