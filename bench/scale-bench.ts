import type { Database } from '../src/db/database.ts';
import { embeddingsBackend, vectorLiteral } from '../src/db/vector-search.ts';
import type { SearchMode } from '../src/modules/documents/index.ts';
import type { EmbeddingProvider } from '../src/modules/embeddings/index.ts';
import { measureHnswRecall, planScans } from './hnsw-recall.ts';
import type { RagItem } from './retrieval-quality.ts';
import { measureSearchLatency, type ResultsByQuestion, resultRecall } from './search-latency.ts';
import { type LoadTimes, loadSyntheticChunks, readSentencePool, seededRandom } from './synthetic-chunks.ts';
import { exactSearchDatabase, round } from './timing.ts';

const SYNTHETIC_DOCUMENTS = 1000;
/** Chunks inserted last, one INSERT at a time with the HNSW index in place, as documents arrive in use. */
const CHUNKS_WITH_INDEX = 1000;
const LATENCY_QUERIES = 200;
const LATENCY_BUDGET_MS = 90_000;
const RECALL_QUERIES = 100;
/** pgvector's default (40), what searchDocuments uses for 50 candidates (100), and beyond. */
const EF_SEARCH = [40, 100, 200, 400];
const MODES: SearchMode[] = ['hibrido', 'vectorial', 'texto'];

/** The vector ranking of `searchDocuments` (search-documents.ts), to see which plan it gets. */
const rankingSql = (dims: number) =>
  `SELECT e.id
     FROM documento_ai_embeddings e
     JOIN documentos_ai d ON d.id = e.documento_id
    WHERE e.modelo_embedding = $2 AND e.dimensiones = $3 AND d.activo AND d.contenido_procesado
    ORDER BY (e.embedding::vector(${dims})) <=> ($1::vector(${dims}))
    LIMIT 50`;

const rate = (times: LoadTimes) => round(times.chunks / (times.ms / 1000), 1);

/**
 * Search at scale: the store (already holding the corpus) is filled with synthetic chunks up to
 * `chunks`, then `searchDocuments` is timed in each mode with the dev-set questions; on pgvector also
 * with index scans off (exact), and the HNSW index's recall@10 is measured against exact search.
 * With pgvector the index is dropped for the bulk load and rebuilt after it (both timed); the last
 * chunks go in with the index in place to show the rate of ordinary ingestion at this size.
 */
export async function benchScale(options: {
  db: Database;
  provider: EmbeddingProvider;
  items: readonly RagItem[];
  chunks: number;
  log: (message: string) => void;
}): Promise<object> {
  const { db, provider, log } = options;
  const backend = await embeddingsBackend(db);
  const dims = provider.dimensions;
  const indexName = `documento_ai_embeddings_hnsw_${dims}`;
  const pool = await readSentencePool(db);
  const corpusChunks = pool.headings.length;
  const synthetic = Math.max(0, options.chunks - corpusChunks);
  const withIndex = backend === 'pgvector' ? Math.min(CHUNKS_WITH_INDEX, synthetic) : 0;

  const index = { borrar_ms: 0, crear_ms: 0 };
  const { rows: definition } = await db.query<{ indexdef: string }>(
    'SELECT indexdef FROM pg_indexes WHERE indexname = $1',
    [indexName],
  );
  const timed = async (work: () => Promise<void>) => {
    const started = performance.now();
    await work();
    return Math.round(performance.now() - started);
  };
  const steps: Parameters<typeof loadSyntheticChunks>[0]['steps'] = [
    {
      chunks: synthetic - withIndex,
      before: async () => {
        if (withIndex) index.borrar_ms = await timed(() => db.exec(`DROP INDEX ${indexName}`));
      },
    },
  ];
  if (withIndex) {
    steps.push({
      chunks: withIndex,
      before: async () => {
        log(`creando ${indexName}`);
        // The default 64 MB would make pgvector build most of the graph on disk, far slower.
        const create = `SET maintenance_work_mem = '1GB'; ${definition[0]?.indexdef}; RESET maintenance_work_mem;`;
        index.crear_ms = await timed(() => db.exec(create));
      },
    });
  }
  log(`cargando ${synthetic} chunks sintéticos`);
  const started = performance.now();
  const [bulk, tail] = await loadSyntheticChunks({
    db,
    backend,
    provider,
    pool,
    count: synthetic,
    documents: SYNTHETIC_DOCUMENTS,
    seed: 20_240_601,
    steps,
    progress: (loaded) => log(`${loaded} chunks (${Math.round((performance.now() - started) / 1000)} s)`),
  });
  const probe = [vectorLiteral(backend, await provider.embedQuery('cuota vencida')), provider.model, dims];
  const planBefore = backend === 'pgvector' ? await planScans(db, rankingSql(dims), probe) : undefined;
  const analyzeMs = await timed(() => db.exec('ANALYZE'));
  const planAfter = backend === 'pgvector' ? await planScans(db, rankingSql(dims), probe) : undefined;
  const { rows: total } = await db.query<{ n: number }>('SELECT count(*) AS n FROM documento_ai_embeddings');

  const questions = options.items.map((item) => item.pregunta);
  const latency = async (target: Database, mode: SearchMode) => {
    log(`latencia ${mode}${target === db ? '' : ' (exacta)'}`);
    return measureSearchLatency({
      db: target,
      provider,
      questions,
      mode,
      queries: LATENCY_QUERIES,
      budgetMs: LATENCY_BUDGET_MS,
    });
  };
  const latencies: Record<string, object> = {};
  const results: Partial<Record<SearchMode, ResultsByQuestion>> = {};
  for (const mode of MODES) {
    const measured = await latency(db, mode);
    latencies[mode] = measured.report;
    results[mode] = measured.results;
  }

  const report: Record<string, unknown> = {
    chunks: total[0]?.n,
    chunks_del_corpus: corpusChunks,
    chunks_sinteticos: synthetic,
    documentos_sinteticos: SYNTHETIC_DOCUMENTS,
    sinteticos:
      'frases al azar (semilla fija) de los chunks del corpus, 250-700 caracteres, bajo encabezados reales; ' +
      'mismo INSERT ... unnest que processDocument, 250 filas por sentencia',
    busqueda_vectorial: backend === 'pgvector' ? 'HNSW (pgvector)' : 'exacta (float4[], el servidor no tiene pgvector)',
    carga: {
      ms: Math.round(bulk?.ms ?? 0),
      chunks_por_s: bulk ? rate(bulk) : 0,
      embeddings_ms: Math.round(bulk?.embeddings_ms ?? 0),
      base_de_datos_ms: Math.round(bulk?.base_de_datos_ms ?? 0),
      ...(withIndex && {
        nota: `sin el índice HNSW: se borra antes de la carga y se crea después (maintenance_work_mem = 1GB)`,
        indice_hnsw: index,
        con_indice: { chunks: tail?.chunks, ms: Math.round(tail?.ms ?? 0), chunks_por_s: tail ? rate(tail) : 0 },
      }),
      analyze_ms: analyzeMs,
    },
    ...(planBefore && { plan_busqueda_vectorial: { sin_analyze: planBefore, con_analyze: planAfter } }),
    latencia: {
      presupuesto: `${LATENCY_QUERIES} consultas o ${LATENCY_BUDGET_MS / 1000} s por modo (al menos 5); k = 10`,
      ...latencies,
    },
  };

  if (backend === 'pgvector') {
    const exact: Record<string, object> = {};
    const ratios: Record<string, number> = {};
    for (const mode of ['vectorial', 'hibrido'] as const) {
      const measured = await latency(exactSearchDatabase(db), mode);
      exact[mode] = measured.report;
      const hnswMean = (latencies[mode] as { media_ms: number }).media_ms;
      ratios[mode] = round((measured.report as { media_ms: number }).media_ms / hnswMean, 2);
      if (mode === 'vectorial') {
        report.recall_at_10_busqueda_vectorial = resultRecall(results.vectorial ?? new Map(), measured.results);
      }
    }
    report.latencia_exacta = { descripcion: 'la misma búsqueda con SET LOCAL enable_indexscan = off', ...exact };
    report.ratio_exacta_vs_hnsw = ratios;

    log('recall del índice HNSW');
    const random = seededRandom(7);
    const sentences = Array.from(
      { length: RECALL_QUERIES - questions.length },
      () => pool.sentences[Math.floor(random() * pool.sentences.length)] ?? '',
    );
    const queries: { grupo: string; vector: number[] }[] = [];
    for (const text of questions) queries.push({ grupo: 'preguntas', vector: await provider.embedQuery(text) });
    for (const text of sentences) queries.push({ grupo: 'frases', vector: await provider.embedQuery(text) });
    report.hnsw = {
      consultas_de: `${questions.length} preguntas del conjunto dev y ${sentences.length} frases del corpus`,
      ...(await measureHnswRecall({ db, dimensions: dims, queries, efSearch: EF_SEARCH })),
    };
  }
  return report;
}
