import { createHash, randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { detectDocumentType } from './detect-document-type.ts';
import { type DocumentRecord, getDocument } from './document-record.ts';
import { readDocumentSettings } from './document-settings.ts';

/** Queues the processing of a document (the background job). */
export interface DocumentQueue {
  enqueue(documentoId: number): Promise<void>;
}

export interface UploadDocumentInput {
  bytes: Uint8Array;
  /** Original file name, kept in `nombre_archivo`; it never decides the type. */
  nombreArchivo: string;
  titulo?: string;
  descripcion?: string;
  usuarioId?: number;
}

export interface UploadDocumentResult {
  documento: DocumentRecord;
  /** True when the same content was already uploaded: the existing document is returned. */
  duplicado: boolean;
}

const MIME: Record<string, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  txt: 'text/plain',
  md: 'text/markdown',
  html: 'text/html',
};

/** A readable title from a file name ("politica-credito.pdf" → "Politica credito"). */
export function titleFromFileName(fileName: string): string {
  const base = path.basename(fileName).replace(/\.[^.]+$/, '');
  const spaced = base.replace(/[-_]+/g, ' ').trim();
  return spaced ? spaced.charAt(0).toUpperCase() + spaced.slice(1) : 'Documento sin título';
}

function cleanFileName(fileName: string): string {
  const base = path.basename(fileName.replace(/\\/g, '/')).trim();
  if (!base) throw new AppError('INVALID_INPUT', 'Falta el nombre del archivo.');
  return base.slice(0, 255);
}

async function findByHash(db: Database, hash: string): Promise<DocumentRecord | undefined> {
  const { rows } = await db.query<{ id: number }>('SELECT id FROM documentos_ai WHERE hash_contenido = $1', [hash]);
  return rows[0] ? getDocument(db, rows[0].id) : undefined;
}

/**
 * Stores an uploaded file and queues its processing; returns at once with the document in state
 * PENDIENTE. The size limit and the folder are read from `configuracion_sistema` now. The type comes
 * from the content. Uploading the same bytes again returns the existing document. The file is written
 * under a temporary name first, so a failure leaves neither a row without a file nor a stray file.
 */
export async function uploadDocument(
  deps: { db: Database; dataDir: string; queue: DocumentQueue },
  input: UploadDocumentInput,
): Promise<UploadDocumentResult> {
  const { db, dataDir, queue } = deps;
  const nombreArchivo = cleanFileName(input.nombreArchivo);
  const settings = await readDocumentSettings(db, dataDir);
  if (input.bytes.byteLength > settings.maxBytes) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `El archivo "${nombreArchivo}" pesa ${(input.bytes.byteLength / 1024 / 1024).toFixed(1)} MB; el máximo es ` +
        `${(settings.maxBytes / 1024 / 1024).toFixed(0)} MB.`,
    );
  }
  const tipo = await detectDocumentType(input.bytes, nombreArchivo);
  const hash = createHash('sha256').update(input.bytes).digest('hex');
  const existing = await findByHash(db, hash);
  if (existing) return { documento: existing, duplicado: true };

  await mkdir(settings.folder, { recursive: true });
  const storedName = `${randomUUID()}.${tipo}`;
  const finalPath = path.join(settings.folder, storedName);
  const temporaryPath = `${finalPath}.parcial`;
  await writeFile(temporaryPath, input.bytes);
  const relative = path.relative(dataDir, finalPath);
  const rutaArchivo = relative.startsWith('..') || path.isAbsolute(relative) ? finalPath : relative;
  let id: number | undefined;
  try {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO documentos_ai (titulo, descripcion, nombre_archivo, tipo_archivo, tipo_mime, ruta_archivo,
                                  tamano_bytes, hash_contenido, subido_por)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (hash_contenido) WHERE hash_contenido IS NOT NULL DO NOTHING
       RETURNING id`,
      [
        input.titulo?.trim() || titleFromFileName(nombreArchivo),
        input.descripcion?.trim() || null,
        nombreArchivo,
        tipo,
        MIME[tipo],
        rutaArchivo,
        input.bytes.byteLength,
        hash,
        input.usuarioId ?? null,
      ],
    );
    if (!rows[0]) {
      // The same content won a race with this upload: keep the other one.
      await rm(temporaryPath, { force: true });
      const winner = await findByHash(db, hash);
      if (winner) return { documento: winner, duplicado: true };
      throw new AppError('CONFLICT', 'Otro proceso está subiendo el mismo archivo; intente de nuevo.');
    }
    id = rows[0].id;
    await rename(temporaryPath, finalPath);
  } catch (error) {
    await rm(temporaryPath, { force: true });
    if (id !== undefined) await db.query('DELETE FROM documentos_ai WHERE id = $1', [id]);
    throw error;
  }
  await queue.enqueue(id);
  return { documento: await getDocument(db, id), duplicado: false };
}
