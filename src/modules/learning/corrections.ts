import type { Database, Queryable } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { getConversation, readChatSettings } from '../chat/index.ts';
import { runGuardedQuery } from '../sql-assistant/index.ts';
import { requireAdmin, type Actor } from './actor.ts';
import { recordChange } from './change-log.ts';

/** A verified example as stored in `ai_ejemplos_verificados`. */
export interface VerifiedExampleRecord {
  id: number;
  conversacion_id: number | null;
  pregunta: string;
  sql_corregido: string | null;
  respuesta_corregida: string | null;
  ruta: string;
  activo: boolean;
  creado_por: number | null;
  actualizado_por: number | null;
  creado_en: Date;
  actualizado_en: Date;
}

/** An administrator's correction of one conversation: the right SQL, the right answer, or both. */
export interface CorrectionInput {
  sql?: string;
  respuesta?: string;
  /** The rating under review that led to it. */
  calificacionId?: number;
}

/** The stored correction and, for a corrected SQL, the rows it gives today. */
export interface Correction {
  ejemplo: VerifiedExampleRecord;
  vista_previa: { columnas: string[]; filas: unknown[][]; truncada: boolean } | null;
}

const MAX_ANSWER_LENGTH = 4000;
const PREVIEW_ROWS = 20;
const COLUMNS = `id, conversacion_id, pregunta, sql_corregido, respuesta_corregida, ruta, activo, creado_por,
  actualizado_por, creado_en, actualizado_en`;

async function assertRatingExists(db: Queryable, id: number | undefined): Promise<void> {
  if (id === undefined) return;
  const { rows } = await db.query('SELECT 1 FROM ai_calificaciones_chat WHERE id = $1', [id]);
  if (rows.length === 0) throw new AppError('NOT_FOUND', `No existe la calificación ${id}.`);
}

/**
 * Records the corrected SQL or answer of a conversation as a verified example (replacing an earlier
 * correction of the same conversation). A corrected SQL must pass the guard and run read-only now,
 * with literal values (no `$1`): the same and similar questions reuse it from the next question on.
 */
export async function correctConversation(
  db: Database,
  actor: Actor,
  conversacionId: number,
  input: CorrectionInput,
): Promise<Correction> {
  requireAdmin(actor);
  const sql = input.sql?.trim() || null;
  const respuesta = input.respuesta?.trim() || null;
  if (!sql && !respuesta) throw new AppError('INVALID_INPUT', 'Indique la SQL corregida o la respuesta corregida.');
  if (respuesta && respuesta.length > MAX_ANSWER_LENGTH) {
    throw new AppError('INVALID_INPUT', `La respuesta corregida supera los ${MAX_ANSWER_LENGTH} caracteres.`);
  }
  if (sql && /\$\d+/.test(sql)) {
    throw new AppError(
      'INVALID_INPUT',
      "La SQL corregida debe llevar los valores escritos (por ejemplo cedula = 'V12345678'), no parámetros $1.",
    );
  }
  const conversation = await getConversation(db, conversacionId);
  await assertRatingExists(db, input.calificacionId);
  let preview: Correction['vista_previa'] = null;
  if (sql) {
    const settings = await readChatSettings(db);
    const result = await runGuardedQuery(db, sql, [], settings);
    preview = { columnas: result.columnas, filas: result.filas.slice(0, PREVIEW_ROWS), truncada: result.truncada };
  }
  const storedRoute = conversation.contexto_usado.ruta;
  const ruta = sql
    ? 'base_datos'
    : typeof storedRoute === 'string' && ['base_datos', 'documentos', 'ambas', 'ninguna'].includes(storedRoute)
      ? storedRoute
      : 'ninguna';
  const ejemplo = await db.transaction(async (tx) => {
    const { rows: previous } = await tx.query<VerifiedExampleRecord>(
      `UPDATE ai_ejemplos_verificados SET activo = false, actualizado_por = $2
        WHERE conversacion_id = $1 AND activo RETURNING ${COLUMNS}`,
      [conversacionId, actor.id],
    );
    const { rows } = await tx.query<VerifiedExampleRecord>(
      `INSERT INTO ai_ejemplos_verificados (conversacion_id, pregunta, sql_corregido, respuesta_corregida, ruta, creado_por, actualizado_por)
       VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING ${COLUMNS}`,
      [conversacionId, conversation.pregunta, sql, respuesta, ruta, actor.id],
    );
    const created = rows[0];
    if (!created) throw new Error('Example insert returned nothing');
    await recordChange(tx, actor, {
      entidad: 'ejemplo',
      registroId: created.id,
      accion: 'corregir',
      calificacionId: input.calificacionId,
      antes: previous[0] ?? null,
      despues: created,
    });
    return created;
  });
  return { ejemplo, vista_previa: preview };
}

/** Verified examples, newest first (active ones unless `todos`). */
export async function listVerifiedExamples(
  db: Queryable,
  filter: { todos?: boolean; limite?: number; desplazamiento?: number } = {},
): Promise<{ total: number; ejemplos: VerifiedExampleRecord[] }> {
  const where = filter.todos ? '' : 'WHERE activo';
  const total = await db.query<{ total: number }>(
    `SELECT count(*)::int AS total FROM ai_ejemplos_verificados ${where}`,
  );
  const { rows } = await db.query<VerifiedExampleRecord>(
    `SELECT ${COLUMNS} FROM ai_ejemplos_verificados ${where} ORDER BY id DESC LIMIT $1 OFFSET $2`,
    [Math.min(filter.limite ?? 50, 500), filter.desplazamiento ?? 0],
  );
  return { total: total.rows[0]?.total ?? 0, ejemplos: rows };
}

/** Withdraws a verified example (kept inactive, with the change recorded); the engine stops using it at once. */
export async function withdrawVerifiedExample(db: Database, actor: Actor, id: number): Promise<VerifiedExampleRecord> {
  requireAdmin(actor);
  return db.transaction(async (tx) => {
    const { rows: before } = await tx.query<VerifiedExampleRecord>(
      `SELECT ${COLUMNS} FROM ai_ejemplos_verificados WHERE id = $1 FOR UPDATE`,
      [id],
    );
    const previous = before[0];
    if (!previous) throw new AppError('NOT_FOUND', `No existe el ejemplo verificado ${id}.`);
    const { rows } = await tx.query<VerifiedExampleRecord>(
      `UPDATE ai_ejemplos_verificados SET activo = false, actualizado_por = $2 WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, actor.id],
    );
    const updated = rows[0];
    if (!updated) throw new Error('Example update returned nothing');
    await recordChange(tx, actor, {
      entidad: 'ejemplo',
      registroId: id,
      accion: 'eliminar',
      antes: previous,
      despues: updated,
    });
    return updated;
  });
}
