import type { Queryable } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { DocumentType } from './extracted-document.ts';

export type ProcessingState = 'PENDIENTE' | 'PROCESANDO' | 'PROCESADO' | 'ERROR';

/** A document as the API and the CLI show it (without its full text). */
export interface DocumentRecord {
  id: number;
  titulo: string;
  descripcion: string | null;
  nombre_archivo: string;
  tipo_archivo: DocumentType;
  tamano_bytes: number;
  hash_contenido: string | null;
  activo: boolean;
  contenido_procesado: boolean;
  estado_procesamiento: ProcessingState;
  error_procesamiento: string | null;
  intentos_procesamiento: number;
  paginas: number | null;
  chunks: number;
  creado_en: string;
  actualizado_en: string;
  procesado_en: string | null;
}

/** Columns of {@link DocumentRecord}, for `SELECT ... FROM documentos_ai d`. */
export const DOCUMENT_COLUMNS = `d.id, d.titulo, d.descripcion, d.nombre_archivo, d.tipo_archivo, d.tamano_bytes,
  d.hash_contenido, d.activo, d.contenido_procesado, d.estado_procesamiento, d.error_procesamiento,
  d.intentos_procesamiento, d.paginas,
  (SELECT count(*) FROM documento_ai_embeddings e WHERE e.documento_id = d.id)::int AS chunks,
  to_json(d.creado_en) #>> '{}' AS creado_en, to_json(d.actualizado_en) #>> '{}' AS actualizado_en,
  to_json(d.procesado_en) #>> '{}' AS procesado_en`;

/** One document by id, or a Spanish NOT_FOUND error. */
export async function getDocument(db: Queryable, id: number): Promise<DocumentRecord> {
  const { rows } = await db.query<DocumentRecord>(`SELECT ${DOCUMENT_COLUMNS} FROM documentos_ai d WHERE d.id = $1`, [
    id,
  ]);
  const document = rows[0];
  if (!document) throw new AppError('NOT_FOUND', `No existe el documento ${id}.`);
  return document;
}
