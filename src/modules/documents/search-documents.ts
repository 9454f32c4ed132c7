import type { Database, Queryable } from '../../db/database.ts';
import { embeddingsBackend, vectorLiteral } from '../../db/vector-search.ts';
import { type EmbeddingProvider, contentWords, foldText } from '../embeddings/index.ts';
import { expandQuery } from './expand-query.ts';
import type { Thesaurus } from './thesaurus.ts';

/** Which rankings a search uses: both fused (default), or one alone (for measurement). */
export type SearchMode = 'hibrido' | 'vectorial' | 'texto';

export interface SearchOptions {
  k?: number;
  mode?: SearchMode;
  /** Synonyms of single words (optional); the semantic dictionary is always used. */
  thesaurus?: Thesaurus;
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
const EXPANSION_WEIGHT = 0.5;
/** How many candidates each ranking contributes before fusion. */
const CANDIDATES = 50;

interface Ranked {
  id: number;
}

async function vectorRanking(
  db: Database,
  provider: EmbeddingProvider,
  question: string,
  limit: number,
): Promise<Ranked[]> {
  const backend = await embeddingsBackend(db);
  const vector = await provider.embedQuery(question);
  const dims = provider.dimensions;
  const sql = (distance: string) =>
    `SELECT e.id
       FROM documento_ai_embeddings e
       JOIN documentos_ai d ON d.id = e.documento_id
      WHERE e.modelo_embedding = $2 AND e.dimensiones = $3 AND d.activo AND d.contenido_procesado
      ORDER BY ${distance}
      LIMIT $4`;
  const params = [vectorLiteral(backend, vector), provider.model, dims, limit];
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
async function textRanking(db: Queryable, model: string, text: string, limit: number): Promise<Ranked[]> {
  if (!text.trim()) return [];
  const { rows } = await db.query<Ranked>(
    `WITH lexemas AS (
       SELECT DISTINCT l AS lexema, to_tsquery('simple', quote_literal(l)) AS consulta
         FROM unnest(tsvector_to_array(to_tsvector('spanish', rc_sin_acentos($1)))) AS l
     ),
     total AS (SELECT count(*) AS n FROM documento_ai_embeddings WHERE modelo_embedding = $2),
     pesos AS (
       SELECT x.consulta, ln(1 + (total.n - x.df + 0.5) / (x.df + 0.5)) AS idf
         FROM total, lexemas
        CROSS JOIN LATERAL (
          SELECT lexemas.consulta, count(*) AS df FROM documento_ai_embeddings e
           WHERE e.modelo_embedding = $2 AND e.texto_busqueda @@ lexemas.consulta
        ) AS x
        WHERE x.df > 0
     )
     SELECT e.id
       FROM pesos
       JOIN documento_ai_embeddings e ON e.texto_busqueda @@ pesos.consulta AND e.modelo_embedding = $2
       JOIN documentos_ai d ON d.id = e.documento_id AND d.activo AND d.contenido_procesado
      GROUP BY e.id
      ORDER BY sum(pesos.idf * ts_rank('{0.1, 0.3, 0.6, 1.0}', e.texto_busqueda, pesos.consulta, 1)) DESC, e.id
      LIMIT $3`,
    [text, model, limit],
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
  const expansion = await expandQuery(db, question, { thesaurus: options.thesaurus });
  const terms = searchTerms(question);
  const extraTerms = searchTerms(expansion.terms.join(' ')).filter((term) => !terms.includes(term));
  const rankings: { weight: number; rows: Promise<Ranked[]> }[] = [];
  if (mode !== 'texto') {
    const queryText = [question, ...expansion.terms].join(' ');
    rankings.push({ weight: 1, rows: vectorRanking(db, provider, queryText, limit) });
  }
  if (mode !== 'vectorial') {
    rankings.push({ weight: 1, rows: textRanking(db, provider.model, terms.join(' '), limit) });
    rankings.push({ weight: EXPANSION_WEIGHT, rows: textRanking(db, provider.model, extraTerms.join(' '), limit) });
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
