import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Database, Queryable } from '../../db/database.ts';
import { embeddingsBackend, vectorLiteral } from '../../db/vector-search.ts';
import { AppError, isAppError } from '../../errors.ts';
import type { EmbeddingProvider } from '../embeddings/index.ts';
import { type ChunkingOptions, type DocumentChunk, chunkDocument } from './chunk-document.ts';
import { insertChunkRows, storeVocabulary } from './chunk-store.ts';
import { vocabulary } from './correct-typos.ts';
import { readDocumentSettings } from './document-settings.ts';
import { extractDocument } from './extract-document.ts';
import type { DocumentType, ExtractedDocument } from './extracted-document.ts';
import { titleFromFileName } from './upload-document.ts';

export interface ProcessDocumentDeps {
  db: Database;
  dataDir: string;
  provider: EmbeddingProvider;
  /** Overrides the chunk settings of `configuracion_sistema` (measurements). */
  chunking?: ChunkingOptions;
  /** Attempts after which a failing document is marked ERROR for good (the queue's retry limit + 1). */
  maxAttempts?: number;
}

export interface ProcessReport {
  documentoId: number;
  /** PENDIENTE only in reports of callers that caught a temporary failure (it will be retried). */
  estado: 'PROCESADO' | 'ERROR' | 'OMITIDO' | 'PENDIENTE';
  chunks: number;
  paginas: number | null;
  error?: string;
}

const DEFAULT_MAX_ATTEMPTS = 4;

/**
 * The document's own title: its first top-level heading (a PDF's or DOCX's title line). It replaces
 * a title derived from the file name, never one the uploader typed.
 */
function documentTitle(document: ExtractedDocument): string {
  const headings = document.bloques.filter((block) => block.kind === 'heading');
  const top = Math.min(...headings.map((block) => block.level ?? 1));
  const title = headings.find((block) => (block.level ?? 1) === top)?.text.trim() ?? '';
  return title.length <= 200 ? title : '';
}

/** The text a chunk is embedded with: its heading path gives the passage its context. */
export function embeddingText(chunk: DocumentChunk): string {
  return chunk.headings.length ? `${chunk.headings.join(' > ')}\n${chunk.text}` : chunk.text;
}

async function markFailed(db: Queryable, id: number, message: string, final: boolean): Promise<void> {
  await db.query(
    `UPDATE documentos_ai
        SET estado_procesamiento = CASE WHEN $3 THEN 'ERROR' ELSE 'PENDIENTE' END,
            contenido_procesado = contenido_procesado AND NOT $3,
            error_procesamiento = $2, actualizado_en = now()
      WHERE id = $1`,
    [id, message, final],
  );
  if (final) await db.query('DELETE FROM documento_ai_embeddings WHERE documento_id = $1', [id]);
}

/**
 * Extracts, chunks and embeds one document, then publishes everything in one transaction: the old
 * chunks (of any model) are replaced, the text stored and `contenido_procesado` set together, so a
 * search sees either none or all of the document's chunks. A file that cannot be read (corrupt,
 * encrypted, no text...) is marked ERROR at once with its Spanish message; other failures (the
 * embedding service, the database) are recorded and thrown so the queue retries with backoff.
 */
export async function processDocument(deps: ProcessDocumentDeps, documentoId: number): Promise<ProcessReport> {
  const { db, provider } = deps;
  const { rows } = await db.query<{
    ruta_archivo: string;
    tipo_archivo: DocumentType;
    nombre_archivo: string;
    intentos: number;
  }>(
    `UPDATE documentos_ai
        SET estado_procesamiento = 'PROCESANDO', intentos_procesamiento = intentos_procesamiento + 1,
            actualizado_en = now()
      WHERE id = $1
      RETURNING ruta_archivo, tipo_archivo, nombre_archivo, intentos_procesamiento AS intentos`,
    [documentoId],
  );
  const document = rows[0];
  if (!document) return { documentoId, estado: 'OMITIDO', chunks: 0, paginas: null };
  const maxAttempts = deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  try {
    const bytes = await readFile(path.resolve(deps.dataDir, document.ruta_archivo)).catch((error: unknown) => {
      throw new AppError('INVALID_INPUT', 'El archivo del documento ya no está en la carpeta de documentos.', {
        cause: error,
      });
    });
    const extracted = await extractDocument(new Uint8Array(bytes), document.tipo_archivo);
    const chunking = deps.chunking ?? (await readDocumentSettings(db, deps.dataDir)).chunking;
    const chunks = chunkDocument(extracted.bloques, chunking);
    if (chunks.length === 0) throw new AppError('INVALID_INPUT', 'El documento no contiene texto.');
    const vectors = await provider.embedDocuments(chunks.map(embeddingText));
    if (vectors.length !== chunks.length) throw new Error('el proveedor de embeddings no devolvió un vector por chunk');
    const backend = await embeddingsBackend(db);
    const published = await db.transaction(async (tx) => {
      const { rows: current } = await tx.query('SELECT id FROM documentos_ai WHERE id = $1 FOR UPDATE', [documentoId]);
      if (current.length === 0) return false;
      await tx.query('DELETE FROM documento_ai_embeddings WHERE documento_id = $1', [documentoId]);
      const rows = chunks.map((chunk) => ({
        documentoId,
        index: chunk.index,
        text: chunk.text,
        headings: chunk.headings,
        pageStart: chunk.pageStart,
        pageEnd: chunk.pageEnd,
        embedding: vectorLiteral(backend, vectors[chunk.index] ?? []),
      }));
      await insertChunkRows(tx, backend, provider, rows);
      await storeVocabulary(tx, documentoId, vocabulary(chunks.map(embeddingText)));
      await tx.query(
        `UPDATE documentos_ai
            SET contenido_texto = $2, paginas = $3, contenido_procesado = true, estado_procesamiento = 'PROCESADO',
                error_procesamiento = NULL, intentos_procesamiento = 0, procesado_en = now(), actualizado_en = now(),
                titulo = CASE WHEN titulo = $4 AND $5 <> '' THEN $5 ELSE titulo END
          WHERE id = $1`,
        [
          documentoId,
          extracted.texto,
          extracted.paginas,
          titleFromFileName(document.nombre_archivo),
          documentTitle(extracted),
        ],
      );
      return true;
    });
    if (!published) return { documentoId, estado: 'OMITIDO', chunks: 0, paginas: null };
    // PGlite has no autovacuum: without fresh statistics the planner ignores the HNSW index and
    // misjudges the full-text joins. A server's autovacuum does this by itself.
    if (db.kind === 'pglite') await db.exec('ANALYZE documentos_ai, documento_ai_embeddings, documento_ai_vocabulario');
    return { documentoId, estado: 'PROCESADO', chunks: chunks.length, paginas: extracted.paginas };
  } catch (error) {
    const permanent = isAppError(error) && error.code === 'INVALID_INPUT';
    const message = isAppError(error) ? error.message : `Error al procesar: ${(error as Error).message}`;
    const final = permanent || document.intentos >= maxAttempts;
    await markFailed(db, documentoId, message, final);
    if (final) return { documentoId, estado: 'ERROR', chunks: 0, paginas: null, error: message };
    throw error;
  }
}
