import type { Database, Queryable } from '../../db/database.ts';
import { embeddingsBackend, vectorLiteral } from '../../db/vector-search.ts';
import { type EmbeddingProvider, contentWords, foldText } from '../embeddings/index.ts';
import { correctTypos } from './correct-typos.ts';
import { expandQuery } from './expand-query.ts';

/** Which rankings a search uses: both fused (default), or one alone (for measurement). */
export type SearchMode = 'hibrido' | 'vectorial' | 'texto';

export interface SearchOptions {
  k?: number;
  mode?: SearchMode;
}

/** One retrieved passage, ready to cite. */
export interface SearchResult {
  documento_id: number;
  titulo: string;
  nombre_archivo: string;
  chunk_index: number;
  pagina: number | null;
  pagina_fin: number | null;
  encabezados: string;
  score: number;
  texto: string;
}

/** Reciprocal rank fusion constant: the usual 60 keeps one list's top result from dominating. */
const RRF_K = 60;
/** Weight of the ranking by expansion words (synonyms) against the rankings by the question itself. */
const EXPANSION_WEIGHT = 0.35;
/**
 * Weight of the vector ranking in the fusion, against 1 for the full-text one. Measured on the dev
 * set (README, "Recuperación"): the local vector alone ranks worse than full text, and serves best as
 * the tie-breaker that tolerates typos and inflection (0.3 gave the best recall and MRR of 0.3-1).
 */
const VECTOR_WEIGHT = 0.3;
/** ts_rank weights for {D, C, B, A}: body 0.5, outer headings 0.2, the chunk's own heading 1. */
const SECTION_WEIGHTS = '{0.5, 0.2, 0.6, 1.0}';
/** How many candidates each ranking contributes before fusion. */
const CANDIDATES = 50;

interface Ranked {
  id: number;
}

/**
 * The rarity (BM25 idf) of each content word of the question among the chunks of the active model,
 * through the same Spanish lexemes full-text search uses. A word found in no chunk (a typo, a word
 * the documents don't use) gets the highest weight: only its character n-grams can still match.
 */
async function wordRarity(db: Queryable, model: string, question: string): Promise<Map<string, number>> {
  const words = searchTerms(question);
  if (words.length === 0) return new Map();
  const { rows } = await db.query<{ palabra: string; idf: number }>(
    `WITH total AS MATERIALIZED (SELECT count(*) AS n FROM documento_ai_embeddings WHERE modelo_embedding = $2)
     SELECT p.palabra, ln(1 + (total.n - x.df + 0.5) / (x.df + 0.5)) AS idf
       FROM total, unnest($1::text[]) AS p (palabra)
      CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('spanish', p.palabra))) AS l
      CROSS JOIN LATERAL (
        SELECT count(*) AS df FROM documento_ai_embeddings e
         WHERE e.modelo_embedding = $2 AND e.texto_busqueda @@ to_tsquery('simple', quote_literal(l))
      ) AS x`,
    [words, model],
  );
  return new Map(rows.map((row) => [row.palabra, Number(row.idf)]));
}

async function vectorRanking(
  db: Database,
  provider: EmbeddingProvider,
  question: string,
  expansion: readonly string[],
  limit: number,
): Promise<Ranked[]> {
  const backend = await embeddingsBackend(db);
  const own = new Set(searchTerms(question));
  const extra = searchTerms(expansion.join(' ')).filter((word) => !own.has(word));
  const text = [question, ...extra].join(' ');
  const rarity = await wordRarity(db, provider.model, text);
  const wordWeights = new Map<string, number>();
  for (const word of own) wordWeights.set(word, rarity.get(word) ?? 1);
  for (const word of extra) wordWeights.set(word, (rarity.get(word) ?? 1) * EXPANSION_WEIGHT);
  const vector = await provider.embedQuery(text, { wordWeights });
  const dims = provider.dimensions;
  if (!Number.isInteger(dims) || dims < 1) throw new Error(`dimensión de embeddings no válida: ${dims}`);
  const sql = (distance: string) =>
    `SELECT e.id
       FROM documento_ai_embeddings e
       JOIN documentos_ai d ON d.id = e.documento_id
      WHERE e.modelo_embedding = $2 AND e.dimensiones = ${dims} AND d.activo AND d.contenido_procesado
      ORDER BY ${distance}
      LIMIT $3`;
  // The dimension is inlined (an integer from the provider) so the planner can match the partial HNSW index.
  const params = [vectorLiteral(backend, vector), provider.model, limit];
  if (backend === 'float4[]') {
    return (await db.query<Ranked>(sql('rc_distancia_coseno(e.embedding, $1::real[])'), params)).rows;
  }
  // The HNSW index yields candidates before the join filters them: scan on (iteratively) until
  // enough rows of active, processed documents are found.
  return db.transaction(async (tx) => {
    await tx.query(`SET LOCAL hnsw.ef_search = ${Math.max(40, limit * 2)}`);
    await tx.query(`SET LOCAL hnsw.iterative_scan = strict_order`);
    return (await tx.query<Ranked>(sql(`(e.embedding::vector(${dims})) <=> ($1::vector(${dims}))`), params)).rows;
  });
}

/**
 * The full-text ranking: the Spanish lexemes of the text (accents folded) against each chunk's
 * tsvector, any lexeme may match. Each lexeme weighs by its rarity among the chunks (BM25's idf),
 * so a word found in every chunk of a manual ("cobranza") does not outweigh the one that matters;
 * within a chunk, ts_rank counts occurrences and weighs headings above the body.
 */
async function textRanking(
  db: Queryable,
  model: string,
  groups: readonly { text: string; weight: number }[],
  limit: number,
): Promise<Ranked[]> {
  const used = groups.filter((group) => group.text.trim());
  if (used.length === 0) return [];
  const { rows } = await db.query<Ranked>(
    `WITH lexemas AS (
       SELECT l AS lexema, to_tsquery('simple', quote_literal(l)) AS consulta, max(g.peso) AS peso
         FROM unnest($1::text[], $2::float8[]) AS g (texto, peso)
        CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('spanish', rc_sin_acentos(g.texto)))) AS l
        GROUP BY l
     ),
     total AS MATERIALIZED (SELECT count(*) AS n FROM documento_ai_embeddings WHERE modelo_embedding = $3),
     pesos AS MATERIALIZED (
       SELECT x.consulta, lexemas.peso * ln(1 + (total.n - x.df + 0.5) / (x.df + 0.5)) AS idf
         FROM total, lexemas
        CROSS JOIN LATERAL (
          SELECT lexemas.consulta, count(*) AS df FROM documento_ai_embeddings e
           WHERE e.modelo_embedding = $3 AND e.texto_busqueda @@ lexemas.consulta
        ) AS x
        WHERE x.df > 0
     )
     SELECT e.id
       FROM pesos
       JOIN documento_ai_embeddings e ON e.texto_busqueda @@ pesos.consulta AND e.modelo_embedding = $3
       JOIN documentos_ai d ON d.id = e.documento_id AND d.activo AND d.contenido_procesado
      GROUP BY e.id
      ORDER BY sum(pesos.idf * ts_rank('${SECTION_WEIGHTS}', e.texto_busqueda, pesos.consulta, 1)) DESC, e.id
      LIMIT $4`,
    [used.map((group) => group.text), used.map((group) => group.weight), model, limit],
  );
  return rows;
}

/** Search terms: the folded content words of a text, without repeats. */
export function searchTerms(text: string): string[] {
  return [...new Set(contentWords(foldText(text)))];
}

/**
 * Hybrid retrieval over active, processed documents: vector similarity (active embedding model
 * only) fused with PostgreSQL full-text search by reciprocal rank fusion.
 */
export async function searchDocuments(
  db: Database,
  provider: EmbeddingProvider,
  question: string,
  options: SearchOptions = {},
): Promise<SearchResult[]> {
  const k = options.k ?? 5;
  const mode = options.mode ?? 'hibrido';
  const limit = Math.max(CANDIDATES, k);
  const [expansion, corrections] = await Promise.all([expandQuery(db, question), correctTypos(db, question)]);
  // Corrected typos count as words of the question; the misspelt forms stay (they may still match).
  const corrected = [...corrections.values()];
  const terms = searchTerms([question, ...corrected].join(' '));
  const extraTerms = searchTerms(expansion.terms.join(' ')).filter((term) => !terms.includes(term));
  const rankings: { weight: number; rows: Promise<Ranked[]> }[] = [];
  if (mode !== 'texto') {
    const asked = [question, ...corrected].join(' ');
    rankings.push({ weight: VECTOR_WEIGHT, rows: vectorRanking(db, provider, asked, expansion.terms, limit) });
  }
  if (mode !== 'vectorial') {
    const groups = [
      { text: terms.join(' '), weight: 1 },
      { text: extraTerms.join(' '), weight: EXPANSION_WEIGHT },
    ];
    rankings.push({ weight: 1, rows: textRanking(db, provider.model, groups, limit) });
  }
  const fused = new Map<number, number>();
  for (const ranking of rankings) {
    (await ranking.rows).forEach((row, rank) =>
      fused.set(row.id, (fused.get(row.id) ?? 0) + ranking.weight / (RRF_K + rank + 1)),
    );
  }
  const top = [...fused.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k);
  if (top.length === 0) return [];
  const { rows } = await db.query<Omit<SearchResult, 'score'> & { id: number }>(
    `SELECT e.id, e.documento_id, d.titulo, d.nombre_archivo, e.chunk_index, e.pagina, e.pagina_fin,
            e.encabezados, e.texto_chunk AS texto
       FROM documento_ai_embeddings e
       JOIN documentos_ai d ON d.id = e.documento_id
      WHERE e.id = ANY($1::int[])`,
    [top.map(([id]) => id)],
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  return top.flatMap(([id, score]) => {
    const row = byId.get(id);
    if (!row) return [];
    const { id: _id, ...result } = row;
    return [{ ...result, score: Number(score.toFixed(6)) }];
  });
}
