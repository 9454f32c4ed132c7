import path from 'node:path';
import type { Queryable } from '../../db/database.ts';

/** Settings read from `configuracion_sistema` at the moment they are used (no restart needed). */
export interface DocumentSettings {
  /** Absolute folder where uploaded files are kept. */
  folder: string;
  /** Largest accepted upload, in bytes. */
  maxBytes: number;
}

const DEFAULT_FOLDER = 'uploads/documentos_ai';
const DEFAULT_MAX_MB = 20;

/** Reads `AI.ruta_documentos_ai` (relative paths resolve against the data folder) and the size limit. */
export async function readDocumentSettings(db: Queryable, dataDir: string): Promise<DocumentSettings> {
  const { rows } = await db.query<{ clave: string; valor: string | null }>(
    `SELECT clave, valor FROM configuracion_sistema
      WHERE categoria = 'AI' AND clave IN ('ruta_documentos_ai', 'tamano_maximo_documento_mb')`,
  );
  const value = (key: string) => rows.find((row) => row.clave === key)?.valor?.trim() || undefined;
  const folder = value('ruta_documentos_ai') ?? DEFAULT_FOLDER;
  const maxMb = Number(value('tamano_maximo_documento_mb') ?? DEFAULT_MAX_MB);
  return {
    folder: path.resolve(dataDir, folder),
    maxBytes: Math.round((Number.isFinite(maxMb) && maxMb > 0 ? maxMb : DEFAULT_MAX_MB) * 1024 * 1024),
  };
}
