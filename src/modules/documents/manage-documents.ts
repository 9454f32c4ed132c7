import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Database, Queryable } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { DOCUMENT_COLUMNS, type DocumentRecord, type ProcessingState, getDocument } from './document-record.ts';
import type { DocumentQueue } from './upload-document.ts';

export interface ListDocumentsFilter {
  activo?: boolean;
  estado?: ProcessingState;
  tipo?: string;
  /** Words in the title, description or file name (case and accents ignored). */
  texto?: string;
  limit?: number;
  offset?: number;
}

/** Documents, newest first, with their chunk counts. */
export async function listDocuments(db: Queryable, filter: ListDocumentsFilter = {}): Promise<DocumentRecord[]> {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    conditions.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.activo !== undefined) add('d.activo = ?', filter.activo);
  if (filter.estado) add('d.estado_procesamiento = ?', filter.estado);
  if (filter.tipo) add('d.tipo_archivo = ?', filter.tipo);
  if (filter.texto?.trim()) {
    add(
      `rc_sin_acentos(concat_ws(' ', d.titulo, d.descripcion, d.nombre_archivo)) LIKE '%' || rc_sin_acentos(?) || '%'`,
      filter.texto.trim(),
    );
  }
  params.push(filter.limit ?? 100, filter.offset ?? 0);
  const { rows } = await db.query<DocumentRecord>(
    `SELECT ${DOCUMENT_COLUMNS} FROM documentos_ai d
      ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
      ORDER BY d.creado_en DESC, d.id DESC
      LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  return rows;
}

export interface DocumentChanges {
  titulo?: string;
  descripcion?: string | null;
  activo?: boolean;
}

/**
 * Edits title, description or the active flag. `actualizadoEn`, when given, must match the stored
 * value (optimistic concurrency): an edit based on a stale copy is refused instead of overwriting.
 */
export async function updateDocument(
  db: Queryable,
  id: number,
  changes: DocumentChanges,
  actualizadoEn?: string,
): Promise<DocumentRecord> {
  if (changes.titulo !== undefined && !changes.titulo.trim()) {
    throw new AppError('INVALID_INPUT', 'El título no puede quedar vacío.');
  }
  const current = await getDocument(db, id);
  if (actualizadoEn !== undefined && Date.parse(actualizadoEn) !== Date.parse(current.actualizado_en)) {
    throw new AppError('CONFLICT', 'El documento cambió mientras lo editaba; vuelva a cargarlo y repita el cambio.');
  }
  await db.query(
    `UPDATE documentos_ai
        SET titulo = COALESCE($2, titulo),
            descripcion = CASE WHEN $3 THEN $4 ELSE descripcion END,
            activo = COALESCE($5, activo),
            actualizado_en = now()
      WHERE id = $1`,
    [
      id,
      changes.titulo?.trim() ?? null,
      changes.descripcion !== undefined,
      changes.descripcion?.trim() || null,
      changes.activo ?? null,
    ],
  );
  return getDocument(db, id);
}

/** Queues a document to be extracted and indexed again (its current chunks stay until replaced). */
export async function reprocessDocument(db: Queryable, queue: DocumentQueue, id: number): Promise<DocumentRecord> {
  await getDocument(db, id);
  await db.query(
    `UPDATE documentos_ai
        SET estado_procesamiento = 'PENDIENTE', error_procesamiento = NULL, intentos_procesamiento = 0,
            actualizado_en = now()
      WHERE id = $1`,
    [id],
  );
  await queue.enqueue(id);
  return getDocument(db, id);
}

/** Deletes a document, its chunks (by cascade) and its stored file. */
export async function deleteDocument(db: Database, dataDir: string, id: number): Promise<DocumentRecord> {
  const document = await getDocument(db, id);
  const { rows } = await db.query<{ ruta_archivo: string }>(
    'DELETE FROM documentos_ai WHERE id = $1 RETURNING ruta_archivo',
    [id],
  );
  if (rows[0]) await rm(path.resolve(dataDir, rows[0].ruta_archivo), { force: true });
  return document;
}

/** Documents left waiting or interrupted mid-way (e.g. by a crash): the worker queues them again at start. */
export async function unfinishedDocuments(db: Queryable): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT id FROM documentos_ai WHERE estado_procesamiento IN ('PENDIENTE', 'PROCESANDO') ORDER BY id`,
  );
  return rows.map((row) => row.id);
}
