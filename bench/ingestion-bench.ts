import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Database } from '../src/db/database.ts';
import { embeddingsBackend } from '../src/db/vector-search.ts';
import {
  type ChunkRow,
  insertChunkRows,
  processDocument,
  storeVocabulary,
  uploadDocument,
} from '../src/modules/documents/index.ts';
import { createLocalEmbeddingProvider, type EmbeddingProvider } from '../src/modules/embeddings/index.ts';
import { readCorpusFiles, uniqueCopy } from './corpus-copies.ts';
import { type BenchTarget, openMigratedBenchDatabase } from './databases.ts';
import { round, timedDatabase, timedProvider } from './timing.ts';

const perSecond = (count: number, ms: number) => round(count / (ms / 1000), 1);

/**
 * Writes the documents and chunks the pipeline stored into `target`, with the vectors already computed:
 * the database's share of ingestion alone. Reading them back from `source` is not timed.
 */
async function insertOnly(source: Database, target: Database, provider: EmbeddingProvider): Promise<number> {
  const backend = await embeddingsBackend(target);
  const { rows: documents } = await source.query<Record<string, unknown> & { id: number }>(
    `SELECT id, titulo, nombre_archivo, tipo_archivo, tipo_mime, ruta_archivo, tamano_bytes, hash_contenido,
            contenido_texto, paginas
       FROM documentos_ai ORDER BY id`,
  );
  let ms = 0;
  for (const document of documents) {
    const { rows: chunks } = await source.query<{
      chunk_index: number;
      texto_chunk: string;
      encabezados: string;
      pagina: number | null;
      pagina_fin: number | null;
      embedding: string;
    }>(
      `SELECT chunk_index, texto_chunk, encabezados, pagina, pagina_fin, embedding::text AS embedding
         FROM documento_ai_embeddings WHERE documento_id = $1 ORDER BY chunk_index`,
      [document.id],
    );
    const { rows: words } = await source.query<{ palabra: string; frecuencia: number }>(
      'SELECT palabra, frecuencia FROM documento_ai_vocabulario WHERE documento_id = $1',
      [document.id],
    );
    const started = performance.now();
    await target.transaction(async (tx) => {
      const { rows } = await tx.query<{ id: number }>(
        `INSERT INTO documentos_ai (titulo, nombre_archivo, tipo_archivo, tipo_mime, ruta_archivo, tamano_bytes,
                                    hash_contenido, contenido_texto, paginas, contenido_procesado,
                                    estado_procesamiento, procesado_en)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, true, 'PROCESADO', now())
         RETURNING id`,
        [
          document.titulo,
          document.nombre_archivo,
          document.tipo_archivo,
          document.tipo_mime,
          document.ruta_archivo,
          document.tamano_bytes,
          document.hash_contenido,
          document.contenido_texto,
          document.paginas,
        ],
      );
      const documentoId = rows[0]?.id as number;
      const chunkRows: ChunkRow[] = chunks.map((chunk) => ({
        documentoId,
        index: chunk.chunk_index,
        text: chunk.texto_chunk,
        headings: chunk.encabezados ? chunk.encabezados.split(' > ') : [],
        pageStart: chunk.pagina,
        pageEnd: chunk.pagina_fin,
        embedding: chunk.embedding,
      }));
      await insertChunkRows(tx, backend, provider, chunkRows);
      await storeVocabulary(tx, documentoId, new Map(words.map((word) => [word.palabra, word.frecuencia])));
    });
    ms += performance.now() - started;
  }
  return ms;
}

/**
 * Ingestion throughput: `copies` unique copies of every corpus file, each uploaded (queue that does
 * nothing) and processed in turn, as the worker would. The database and embedding time inside the
 * pipeline is measured by wrapping both; the baseline writes the same rows into a fresh database.
 */
export async function benchIngestion(options: { target: BenchTarget; copies: number }): Promise<object> {
  const files = await readCorpusFiles();
  const provider = createLocalEmbeddingProvider();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'rc-bench-documentos-'));
  const pipeline = await openMigratedBenchDatabase(options.target);
  try {
    const dbTime = { ms: 0 };
    const embeddingTime = { ms: 0 };
    const db = timedDatabase(pipeline.db, dbTime);
    const deps = { db, dataDir, provider: timedProvider(provider, embeddingTime) };
    const queue = { enqueue: async () => {} };
    let paginas = 0;
    let chunks = 0;
    let documentos = 0;
    const started = performance.now();
    for (let copy = 1; copy <= options.copies; copy++) {
      for (const file of files) {
        const { documento, duplicado } = await uploadDocument({ db, dataDir, queue }, uniqueCopy(file, copy));
        if (duplicado) throw new Error(`${file.nombreArchivo}: copy ${copy} was taken for a duplicate`);
        const report = await processDocument(deps, documento.id);
        if (report.estado !== 'PROCESADO') throw new Error(`${file.nombreArchivo}: ${report.error}`);
        paginas += report.paginas ?? 1;
        chunks += report.chunks;
        documentos++;
      }
    }
    const pipelineMs = performance.now() - started;
    const { rows } = await pipeline.db.query<{ textos: number }>(
      'SELECT count(DISTINCT contenido_texto) AS textos FROM documentos_ai',
    );

    const baseline = await openMigratedBenchDatabase(options.target);
    let insertMs: number;
    try {
      insertMs = await insertOnly(pipeline.db, baseline.db, provider);
    } finally {
      await baseline.close();
    }
    return {
      documentos,
      archivos_distintos: files.length,
      copias_por_archivo: options.copies,
      copias:
        'bytes propios y el mismo texto extraído: espacios finales (TXT/MD), comentario %copia N tras %%EOF (PDF), ' +
        'comentario del ZIP (DOCX)',
      textos_extraidos_distintos: rows[0]?.textos,
      paginas,
      paginas_nota: 'páginas reales de cada PDF; cada archivo que no es PDF cuenta como 1 página',
      chunks,
      segundos: round(pipelineMs / 1000, 1),
      documentos_por_s: perSecond(documentos, pipelineMs),
      paginas_por_s: perSecond(paginas, pipelineMs),
      chunks_por_s: perSecond(chunks, pipelineMs),
      desglose_ms: {
        base_de_datos: Math.round(dbTime.ms),
        embeddings: Math.round(embeddingTime.ms),
        extraccion_troceado_y_archivos: Math.round(pipelineMs - dbTime.ms - embeddingTime.ms),
      },
      insercion_sola: {
        descripcion:
          'las mismas filas (documento, sus chunks con el vector ya calculado y su vocabulario) en una base nueva',
        ms: Math.round(insertMs),
        chunks_por_s: perSecond(chunks, insertMs),
      },
      ratio_pipeline_vs_insercion: round(pipelineMs / insertMs),
    };
  } finally {
    await pipeline.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
