import type { Database, Queryable } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { composeAnswer, getConversation, type AnswerQuestionDeps } from '../chat/index.ts';
import { requireAdmin, type Actor } from './actor.ts';
import { recordChange } from './change-log.ts';
import { getRating, RATING_COLUMNS, type Rating, type Thumb } from './ratings.ts';

/** Filters of the review queue. */
export interface ReviewFilter {
  calificacion?: Thumb;
  procesado?: boolean;
  /** Thumbs down not yet processed (the administrators' to-do list). */
  pendientes?: boolean;
  /** Ratings up to this many stars (1-5). */
  estrellasMax?: number;
  /** Ratings made on or after / before the end of these dates (YYYY-MM-DD, local time). */
  desde?: string;
  hasta?: string;
  limite?: number;
  desplazamiento?: number;
}

/** A passage an answer cited, as the review shows it. */
export interface ReviewPassage {
  chunk_id: number;
  documento_id: number;
  titulo: string;
  chunk_index: number;
  texto: string;
}

/** What an answer was built from, read from the stored conversation. */
export interface AnswerEvidence {
  conversacion_id: number;
  hilo_id: number | null;
  pregunta: string;
  respuesta: string;
  ruta: string | null;
  motor: string | null;
  modelo_usado: string | null;
  sql: string | null;
  parametros: unknown[];
  filas: number;
  columnas: string[];
  muestra_filas: unknown[][];
  pasajes: ReviewPassage[];
  terminos_diccionario: string[];
  no_entendidas: string[];
  estrellas: number | null;
  feedback: string | null;
  usuario_id: number | null;
  creado_en: Date;
}

/** One rating in the review queue with the answer's evidence and the correction recorded for it. */
export interface ReviewItem {
  calificacion: Rating;
  conversacion: AnswerEvidence;
  ejemplo_verificado: { id: number; sql_corregido: string | null; respuesta_corregida: string | null } | null;
}

interface ConversationRow {
  id: number;
  hilo_id: number | null;
  pregunta: string;
  respuesta: string;
  contexto_usado: Record<string, unknown> | null;
  modelo_usado: string | null;
  calificacion: number | null;
  feedback: string | null;
  usuario_id: number | null;
  creado_en: Date;
}

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const asString = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function evidenceOf(row: ConversationRow, passages: Map<number, ReviewPassage>): AnswerEvidence {
  const context = row.contexto_usado ?? {};
  return {
    conversacion_id: row.id,
    hilo_id: row.hilo_id,
    pregunta: row.pregunta,
    respuesta: row.respuesta,
    ruta: asString(context.ruta),
    motor: asString(context.motor),
    modelo_usado: row.modelo_usado,
    sql: asString(context.sql),
    parametros: asArray(context.parametros),
    filas: typeof context.filas === 'number' ? context.filas : 0,
    columnas: asArray(context.columnas).map(String),
    muestra_filas: asArray(context.muestra_filas).map(asArray),
    pasajes: asArray(context.chunk_ids)
      .map((id) => passages.get(Number(id)))
      .filter((passage) => passage !== undefined),
    terminos_diccionario: asArray(context.terminos_diccionario).map(String),
    no_entendidas: asArray(context.no_entendidas).map(String),
    estrellas: row.calificacion,
    feedback: row.feedback,
    usuario_id: row.usuario_id,
    creado_en: row.creado_en,
  };
}

/** The queue items of `ratings`: three queries for the whole page, not three per item. */
async function itemsOf(db: Queryable, ratings: Rating[]): Promise<ReviewItem[]> {
  if (ratings.length === 0) return [];
  const ids = [...new Set(ratings.map((rating) => rating.conversacion_id))];
  const conversations = await db.query<ConversationRow>(
    `SELECT id, hilo_id, pregunta, respuesta, contexto_usado, modelo_usado, calificacion, feedback, usuario_id, creado_en
       FROM conversaciones_ai WHERE id = ANY($1::int[])`,
    [ids],
  );
  const chunkIds = conversations.rows.flatMap((row) =>
    asArray(row.contexto_usado?.chunk_ids)
      .map(Number)
      .filter((id) => Number.isInteger(id)),
  );
  const passages = new Map<number, ReviewPassage>();
  if (chunkIds.length > 0) {
    const { rows } = await db.query<ReviewPassage>(
      `SELECT e.id AS chunk_id, e.documento_id, d.titulo, e.chunk_index, e.texto_chunk AS texto
         FROM documento_ai_embeddings e JOIN documentos_ai d ON d.id = e.documento_id
        WHERE e.id = ANY($1::int[])`,
      [chunkIds],
    );
    for (const row of rows) passages.set(row.chunk_id, row);
  }
  const examples = await db.query<{
    id: number;
    conversacion_id: number;
    sql_corregido: string | null;
    respuesta_corregida: string | null;
  }>(
    `SELECT id, conversacion_id, sql_corregido, respuesta_corregida FROM ai_ejemplos_verificados
      WHERE activo AND conversacion_id = ANY($1::int[])`,
    [ids],
  );
  const byId = new Map(conversations.rows.map((row) => [row.id, row]));
  return ratings.flatMap((rating) => {
    const conversation = byId.get(rating.conversacion_id);
    if (!conversation) return [];
    const example = examples.rows.find((row) => row.conversacion_id === rating.conversacion_id);
    return [
      {
        calificacion: rating,
        conversacion: evidenceOf(conversation, passages),
        ejemplo_verificado: example
          ? { id: example.id, sql_corregido: example.sql_corregido, respuesta_corregida: example.respuesta_corregida }
          : null,
      },
    ];
  });
}

/** The review queue: ratings with what each answer was built from, newest first. */
export async function listReviewQueue(
  db: Queryable,
  filter: ReviewFilter = {},
): Promise<{ total: number; calificaciones: ReviewItem[] }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown): void => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.pendientes) where.push(`calificacion = 'abajo' AND NOT procesado`);
  if (filter.calificacion) add('calificacion = ?', filter.calificacion);
  if (filter.procesado !== undefined) add('procesado = ?', filter.procesado);
  if (filter.estrellasMax !== undefined) add('estrellas <= ?', filter.estrellasMax);
  if (filter.desde) add('creado_en >= ?::date', filter.desde);
  if (filter.hasta) add(`creado_en < ?::date + 1`, filter.hasta);
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const total = await db.query<{ total: number }>(
    `SELECT count(*)::int AS total FROM ai_calificaciones_chat ${clause}`,
    params,
  );
  const page = [...params, Math.min(filter.limite ?? 50, 200), filter.desplazamiento ?? 0];
  const { rows } = await db.query<Rating>(
    `SELECT ${RATING_COLUMNS} FROM ai_calificaciones_chat ${clause}
      ORDER BY creado_en DESC, id DESC LIMIT $${page.length - 1} OFFSET $${page.length}`,
    page,
  );
  return { total: total.rows[0]?.total ?? 0, calificaciones: await itemsOf(db, rows) };
}

/** One rating of the queue with its evidence. */
export async function getReviewItem(db: Queryable, id: number): Promise<ReviewItem> {
  const [item] = await itemsOf(db, [await getRating(db, id)]);
  if (!item) throw new AppError('NOT_FOUND', `No existe la conversación de la calificación ${id}.`);
  return item;
}

/** An answer as the before/after comparison shows it. */
export interface AnswerSnapshot {
  respuesta: string;
  ruta: string | null;
  sql: string | null;
  columnas: string[];
  filas: unknown[][];
  modelo: string | null;
}

/** A re-asked question: the stored answer and the one the system gives now. */
export interface Reask {
  antes: AnswerSnapshot;
  despues: AnswerSnapshot;
  /** True when the new answer differs from the stored one (text, SQL or rows). */
  cambio: boolean;
  reintentado_en: string;
  reintentado_por: string;
}

const SNAPSHOT_ROWS = 20;

/**
 * Asks the rated question again with what the system knows now (dictionary, definitions, verified
 * corrections), in its thread as it was, without storing a new conversation; the before/after is
 * kept on the rating for the decision to accept it.
 */
export async function reaskRating(deps: AnswerQuestionDeps, actor: Actor, id: number): Promise<Reask> {
  requireAdmin(actor);
  const rating = await getRating(deps.db, id);
  const conversation = await getConversation(deps.db, rating.conversacion_id);
  const context = conversation.contexto_usado;
  const inThread = conversation.hilo_id !== null && conversation.hilo_id !== conversation.id;
  const { answer } = await composeAnswer(deps, {
    pregunta: conversation.pregunta,
    hiloId: inThread ? (conversation.hilo_id ?? undefined) : undefined,
    beforeConversationId: conversation.id,
  });
  const antes: AnswerSnapshot = {
    respuesta: conversation.respuesta,
    ruta: asString(context.ruta),
    sql: asString(context.sql),
    columnas: asArray(context.columnas).map(String),
    filas: asArray(context.muestra_filas).map(asArray).slice(0, SNAPSHOT_ROWS),
    modelo: conversation.modelo_usado,
  };
  const despues: AnswerSnapshot = {
    respuesta: answer.respuesta,
    ruta: answer.ruta,
    sql: answer.sql,
    columnas: answer.columnas,
    filas: JSON.parse(JSON.stringify(answer.filas.slice(0, SNAPSHOT_ROWS))) as unknown[][],
    modelo: answer.modelo_usado,
  };
  const cambio =
    antes.respuesta !== despues.respuesta ||
    antes.sql !== despues.sql ||
    JSON.stringify(antes.filas) !== JSON.stringify(despues.filas);
  const { rows } = await deps.db.query<{ ahora: Date }>('SELECT now() AS ahora');
  const reask: Reask = {
    antes,
    despues,
    cambio,
    reintentado_en: (rows[0]?.ahora ?? new Date()).toISOString(),
    reintentado_por: actor.email,
  };
  await deps.db.query('UPDATE ai_calificaciones_chat SET reintento = $2::jsonb WHERE id = $1', [
    id,
    JSON.stringify(reask),
  ]);
  return reask;
}

/** How a reviewed rating is closed: notes, and whether the re-asked answer is accepted as the fix. */
export interface ProcessInput {
  notas?: string;
  aceptar?: boolean;
}

const MAX_NOTES_LENGTH = 2000;

/**
 * Marks a rating as processed with the administrator's notes. `mejorado` becomes true only when the
 * answer was accepted, an improvement (dictionary, definitions or a correction) was recorded since
 * the rating, and the question was re-asked after the last such improvement with a different answer.
 */
export async function processRating(db: Database, actor: Actor, id: number, input: ProcessInput): Promise<Rating> {
  requireAdmin(actor);
  const notas = input.notas?.trim() || null;
  if (notas && notas.length > MAX_NOTES_LENGTH) {
    throw new AppError('INVALID_INPUT', `Las notas superan los ${MAX_NOTES_LENGTH} caracteres.`);
  }
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<Rating>(
      `SELECT ${RATING_COLUMNS} FROM ai_calificaciones_chat WHERE id = $1 FOR UPDATE`,
      [id],
    );
    const rating = rows[0];
    if (!rating) throw new AppError('NOT_FOUND', `No existe la calificación ${id}.`);
    let mejorado = false;
    if (input.aceptar) {
      const { rows: improvements } = await tx.query<{ total: number; ultima: Date | null }>(
        `SELECT count(*)::int AS total, max(creado_en) AS ultima FROM ai_historial_cambios
          WHERE entidad IN ('diccionario', 'definicion', 'ejemplo')
            AND (calificacion_id = $1 OR creado_en >= $2)`,
        [id, rating.creado_en],
      );
      const improvement = improvements[0];
      const reask = rating.reintento as Reask | null;
      if (!improvement || improvement.total === 0) {
        throw new AppError(
          'CONFLICT',
          'No hay ninguna mejora registrada desde esta calificación (diccionario, definiciones o una corrección); no se puede marcar como mejorada.',
        );
      }
      if (!reask || (improvement.ultima && new Date(reask.reintentado_en) < improvement.ultima)) {
        throw new AppError(
          'CONFLICT',
          'Vuelva a preguntar (repreguntar) después de la última mejora para aceptar la respuesta nueva.',
        );
      }
      if (!reask.cambio) {
        throw new AppError(
          'CONFLICT',
          'La respuesta repreguntada es igual a la original: la mejora no cambió la respuesta.',
        );
      }
      mejorado = true;
    }
    const { rows: updated } = await tx.query<Rating>(
      `UPDATE ai_calificaciones_chat
          SET procesado = true, notas_procesamiento = $2, mejorado = $3, procesado_por = $4, procesado_en = now()
        WHERE id = $1 RETURNING ${RATING_COLUMNS}`,
      [id, notas, mejorado, actor.id],
    );
    const result = updated[0];
    if (!result) throw new Error('Rating update returned nothing');
    await recordChange(tx, actor, {
      entidad: 'calificacion',
      registroId: id,
      accion: 'procesar',
      calificacionId: id,
      antes: {
        procesado: rating.procesado,
        mejorado: rating.mejorado,
        notas_procesamiento: rating.notas_procesamiento,
      },
      despues: { procesado: true, mejorado, notas_procesamiento: notas },
    });
    return result;
  });
}
