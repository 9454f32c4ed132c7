import type { Database, Queryable } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { getConversation } from '../chat/index.ts';
import type { Actor } from './actor.ts';

export type Thumb = 'arriba' | 'abajo';

/** A user's rating of a conversation, as `ai_calificaciones_chat` keeps it. */
export interface Rating {
  id: number;
  conversacion_id: number;
  pregunta: string;
  respuesta_ai: string;
  calificacion: Thumb;
  estrellas: number | null;
  feedback: string | null;
  usuario_id: number | null;
  usuario_email: string | null;
  procesado: boolean;
  notas_procesamiento: string | null;
  mejorado: boolean;
  procesado_por: number | null;
  procesado_en: Date | null;
  reintento: unknown;
  creado_en: Date;
  actualizado_en: Date;
}

/** What a user says about an answer: stars (1-5), a thumb, or both, with an optional comment. */
export interface RatingInput {
  estrellas?: number;
  pulgar?: Thumb;
  feedback?: string;
}

export const MAX_FEEDBACK_LENGTH = 2000;

export const RATING_COLUMNS = `id, conversacion_id, pregunta, respuesta_ai, calificacion, estrellas, feedback, usuario_id,
  usuario_email, procesado, notas_procesamiento, mejorado, procesado_por, procesado_en, reintento, creado_en, actualizado_en`;

/** Stars 1-2 are a thumbs down; 3-5 a thumbs up. */
export const thumbOf = (estrellas: number): Thumb => (estrellas <= 2 ? 'abajo' : 'arriba');

function validate(input: RatingInput): void {
  if (input.estrellas === undefined && input.pulgar === undefined) {
    throw new AppError('INVALID_INPUT', 'Indique las estrellas (1 a 5) o el pulgar (arriba o abajo).');
  }
  if (
    input.estrellas !== undefined &&
    !(Number.isInteger(input.estrellas) && input.estrellas >= 1 && input.estrellas <= 5)
  ) {
    throw new AppError('INVALID_INPUT', 'Las estrellas deben ser un número entero del 1 al 5.');
  }
  if (input.pulgar !== undefined && input.pulgar !== 'arriba' && input.pulgar !== 'abajo') {
    throw new AppError('INVALID_INPUT', 'El pulgar debe ser «arriba» o «abajo».');
  }
  if (input.feedback !== undefined && input.feedback.length > MAX_FEEDBACK_LENGTH) {
    throw new AppError('INVALID_INPUT', `El comentario supera los ${MAX_FEEDBACK_LENGTH} caracteres.`);
  }
  if (input.estrellas !== undefined && input.pulgar !== undefined && thumbOf(input.estrellas) !== input.pulgar) {
    throw new AppError(
      'INVALID_INPUT',
      `${input.estrellas} estrellas y el pulgar ${input.pulgar} se contradicen (1-2 estrellas es abajo, 3-5 arriba).`,
    );
  }
}

/**
 * Rates a conversation for `actor`: ANALISTA rates their own conversations, ADMIN any. One rating
 * per user per conversation: rating again replaces it; a changed verdict reopens it for review.
 * Stars also go on the conversation (`conversaciones_ai.calificacion`, `feedback`).
 */
export async function rateConversation(
  db: Database,
  actor: Actor,
  conversacionId: number,
  input: RatingInput,
): Promise<Rating> {
  validate(input);
  const viewer = actor.id === null ? undefined : { id: actor.id, rol: actor.rol };
  const conversation = await getConversation(db, conversacionId, viewer);
  const feedback = input.feedback?.trim() || null;
  const thumb = input.pulgar ?? thumbOf(input.estrellas ?? 3);
  return db.transaction(async (tx) => {
    if (input.estrellas !== undefined) {
      await tx.query(
        `UPDATE conversaciones_ai SET calificacion = $2, feedback = $3, calificado_por = $4, calificado_en = now(),
                actualizado_en = now()
          WHERE id = $1`,
        [conversacionId, input.estrellas, feedback, actor.id],
      );
    }
    const { rows } = await tx.query<Rating>(
      `INSERT INTO ai_calificaciones_chat AS actual
         (conversacion_id, pregunta, respuesta_ai, calificacion, estrellas, feedback, usuario_id, usuario_email)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (conversacion_id, lower(usuario_email)) WHERE usuario_email IS NOT NULL DO UPDATE SET
         calificacion = EXCLUDED.calificacion,
         estrellas = coalesce(EXCLUDED.estrellas, CASE WHEN EXCLUDED.calificacion = actual.calificacion THEN actual.estrellas END),
         feedback = coalesce(EXCLUDED.feedback, CASE WHEN EXCLUDED.calificacion = actual.calificacion THEN actual.feedback END),
         usuario_id = EXCLUDED.usuario_id,
         -- The same verdict keeps its review; a changed one is a new rating to review.
         procesado = actual.procesado AND EXCLUDED.calificacion = actual.calificacion,
         mejorado = actual.mejorado AND EXCLUDED.calificacion = actual.calificacion,
         notas_procesamiento = CASE WHEN EXCLUDED.calificacion = actual.calificacion THEN actual.notas_procesamiento END,
         reintento = CASE WHEN EXCLUDED.calificacion = actual.calificacion THEN actual.reintento END,
         creado_en = CASE WHEN EXCLUDED.calificacion = actual.calificacion THEN actual.creado_en ELSE now() END
       RETURNING ${RATING_COLUMNS}`,
      [
        conversacionId,
        conversation.pregunta,
        conversation.respuesta,
        thumb,
        input.estrellas ?? null,
        feedback,
        actor.id,
        actor.email.toLowerCase(),
      ],
    );
    const rating = rows[0];
    if (!rating) throw new Error('Rating upsert returned nothing');
    return rating;
  });
}

/** One rating by id (administrators' review); NOT_FOUND in Spanish otherwise. */
export async function getRating(db: Queryable, id: number): Promise<Rating> {
  const { rows } = await db.query<Rating>(`SELECT ${RATING_COLUMNS} FROM ai_calificaciones_chat WHERE id = $1`, [id]);
  const rating = rows[0];
  if (!rating) throw new AppError('NOT_FOUND', `No existe la calificación ${id}.`);
  return rating;
}
