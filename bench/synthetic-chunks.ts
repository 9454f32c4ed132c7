import type { Database, Queryable } from '../src/db/database.ts';
import { type EmbeddingsBackend, vectorLiteral } from '../src/db/vector-search.ts';
import {
  embeddingText,
  INSERT_BATCH,
  insertChunkRows,
  storeVocabulary,
  vocabulary,
} from '../src/modules/documents/index.ts';
import type { EmbeddingProvider } from '../src/modules/embeddings/index.ts';

/** Sentences and heading paths of real chunks: the material synthetic chunks are made of. */
export interface SentencePool {
  sentences: string[];
  headings: string[][];
}

/** A seeded PRNG (mulberry32): the same seed gives the same synthetic corpus on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** The sentences and heading paths of the chunks already stored (the ingested corpus). */
export async function readSentencePool(db: Queryable): Promise<SentencePool> {
  const { rows } = await db.query<{ texto_chunk: string; encabezados: string }>(
    'SELECT texto_chunk, encabezados FROM documento_ai_embeddings ORDER BY id',
  );
  const sentences = rows.flatMap((row) =>
    row.texto_chunk
      .split(/\n+|(?<=[.!?;:])\s+/)
      .map((sentence) => sentence.trim())
      .filter((sentence) => sentence.length >= 15),
  );
  const headings = rows.map((row) => (row.encabezados ? row.encabezados.split(' > ') : []));
  return { sentences, headings };
}

interface SyntheticChunk {
  documento: number;
  index: number;
  text: string;
  headings: string[];
}

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)] as T;

/**
 * Chunks made of random corpus sentences (250 to 700 characters, like real ones) under a random real
 * heading path, so their words, vectors and tsvectors look like the corpus's while every text differs.
 */
function* syntheticChunks(pool: SentencePool, count: number, documents: number, seed: number) {
  const random = seededRandom(seed);
  let index = 0;
  for (let n = 0; n < count; n++) {
    const target = 250 + random() * 450;
    let text = pick(pool.sentences, random);
    while (text.length < target) text += ` ${pick(pool.sentences, random)}`;
    // Spread evenly, in document order: document d holds chunks [d * count / documents, (d + 1) * count / documents).
    const documento = Math.floor((n * documents) / count);
    index = n > 0 && Math.floor(((n - 1) * documents) / count) === documento ? index + 1 : 0;
    const chunk: SyntheticChunk = { documento, index, text, headings: pick(pool.headings, random) };
    yield chunk;
  }
}

/** `documents` processed, active documents for synthetic chunks; returns their ids. */
async function insertDocuments(db: Queryable, documents: number): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO documentos_ai (titulo, nombre_archivo, tipo_archivo, ruta_archivo, contenido_procesado,
                                estado_procesamiento, procesado_en)
     SELECT 'Documento sintético ' || n, 'sintetico-' || n || '.txt', 'txt', 'sintetico/' || n || '.txt', true,
            'PROCESADO', now()
       FROM generate_series(1, $1::int) AS n
     RETURNING id`,
    [documents],
  );
  return rows.map((row) => row.id);
}

/** Time spent loading synthetic chunks, split between the embedding provider and the database. */
export interface LoadTimes {
  chunks: number;
  ms: number;
  embeddings_ms: number;
  base_de_datos_ms: number;
}

/**
 * Loads `count` synthetic chunks spread over `documents` new documents, `INSERT_BATCH` rows per INSERT, embedding
 * each batch just before writing it (never more than one batch of vectors in memory). `steps` splits the
 * load (e.g. a first slice with the HNSW index present, the rest without); each step's times are returned.
 * Each document's vocabulary (typo correction) is written once its chunks are in, as processDocument does.
 */
export async function loadSyntheticChunks(options: {
  db: Database;
  backend: EmbeddingsBackend;
  provider: EmbeddingProvider;
  pool: SentencePool;
  count: number;
  documents: number;
  seed: number;
  steps: { chunks: number; before?: () => Promise<void> }[];
  progress?: (loaded: number) => void;
}): Promise<LoadTimes[]> {
  const { db, provider } = options;
  const documentIds = await insertDocuments(db, options.documents);
  const chunks = syntheticChunks(options.pool, options.count, options.documents, options.seed);
  const times: LoadTimes[] = [];
  const vocabularies = new Map<number, Map<string, number>>();
  let loaded = 0;
  for (const step of options.steps) {
    await step.before?.();
    const time: LoadTimes = { chunks: 0, ms: 0, embeddings_ms: 0, base_de_datos_ms: 0 };
    const started = performance.now();
    while (time.chunks < step.chunks) {
      // next() rather than for...of: breaking out of for...of would close the generator for later steps.
      const batch: SyntheticChunk[] = [];
      const size = Math.min(INSERT_BATCH, step.chunks - time.chunks);
      while (batch.length < size) {
        const next = chunks.next();
        if (next.done) break;
        batch.push(next.value);
      }
      if (batch.length === 0) break;
      const texts = batch.map((chunk) => embeddingText({ ...chunk, pageStart: null, pageEnd: null }));
      const embedding = performance.now();
      const vectors = await provider.embedDocuments(texts);
      const writing = performance.now();
      await insertChunkRows(
        db,
        options.backend,
        provider,
        batch.map((chunk, n) => ({
          documentoId: documentIds[chunk.documento] as number,
          index: chunk.index,
          text: chunk.text,
          headings: chunk.headings,
          pageStart: null,
          pageEnd: null,
          embedding: vectorLiteral(options.backend, vectors[n] ?? []),
        })),
      );
      batch.forEach((chunk, n) => {
        const counts = vocabularies.get(chunk.documento) ?? new Map<string, number>();
        for (const [word, count] of vocabulary([texts[n] ?? ''])) counts.set(word, (counts.get(word) ?? 0) + count);
        vocabularies.set(chunk.documento, counts);
      });
      time.chunks += batch.length;
      loaded += batch.length;
      // Chunks come in document order: a document before the batch's last one is complete.
      const open = loaded === options.count ? Infinity : (batch.at(-1)?.documento ?? 0);
      for (const [documento, counts] of vocabularies) {
        if (documento >= open) continue;
        await storeVocabulary(db, documentIds[documento] as number, counts);
        vocabularies.delete(documento);
      }
      time.embeddings_ms += writing - embedding;
      time.base_de_datos_ms += performance.now() - writing;
      if (loaded % 10_000 < INSERT_BATCH) options.progress?.(loaded);
    }
    time.ms = performance.now() - started;
    times.push(time);
  }
  return times;
}
