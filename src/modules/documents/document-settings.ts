import path from 'node:path';
import type { Queryable } from '../../db/database.ts';
import { type ChunkingOptions, DEFAULT_CHUNKING } from './chunk-document.ts';

/** Settings read from `configuracion_sistema` at the moment they are used (no restart needed). */
export interface DocumentSettings {
  /** Absolute folder where uploaded files are kept. */
  folder: string;
  /** Largest accepted upload, in bytes. */
  maxBytes: number;
  /** Chunk size and overlap used when a document is processed. */
  chunking: ChunkingOptions;
}

const DEFAULT_FOLDER = 'uploads/documentos_ai';
const DEFAULT_MAX_MB = 20;

/**
 * Reads `AI.ruta_documentos_ai` (relative paths resolve against the data folder), the size limit and
 * the chunk size and overlap. A value out of range falls back to its default.
 */
export async function readDocumentSettings(db: Queryable, dataDir: string): Promise<DocumentSettings> {
  const { rows } = await db.query<{ clave: string; valor: string | null }>(
    `SELECT clave, valor FROM configuracion_sistema
      WHERE categoria = 'AI'
        AND clave IN ('ruta_documentos_ai', 'tamano_maximo_documento_mb', 'chunk_tamano', 'chunk_solapamiento')`,
  );
  const value = (key: string) => rows.find((row) => row.clave === key)?.valor?.trim() || undefined;
  const folder = value('ruta_documentos_ai') ?? DEFAULT_FOLDER;
  const maxMb = Number(value('tamano_maximo_documento_mb') ?? DEFAULT_MAX_MB);
  const whole = (key: string, fallback: number, min: number, max: number) => {
    const number = Number(value(key) ?? fallback);
    return Number.isInteger(number) && number >= min && number <= max ? number : fallback;
  };
  const maxChars = whole('chunk_tamano', DEFAULT_CHUNKING.maxChars, 100, 20_000);
  return {
    chunking: { maxChars, overlapChars: whole('chunk_solapamiento', DEFAULT_CHUNKING.overlapChars, 0, maxChars - 1) },
    folder: path.resolve(dataDir, folder),
    maxBytes: Math.round((Number.isFinite(maxMb) && maxMb > 0 ? maxMb : DEFAULT_MAX_MB) * 1024 * 1024),
  };
}
