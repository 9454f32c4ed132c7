import type { Queryable } from '../../db/database.ts';
import { AppError } from '../../errors.ts';

/** A stored conversation as the API and the CLI show it. */
export interface ConversationRecord {
  id: number;
  hilo_id: number | null;
  pregunta: string;
  respuesta: string;
  contexto_usado: Record<string, unknown>;
  documentos_usados: number[];
  modelo_usado: string | null;
  tokens_usados: number | null;
  tiempo_respuesta: number | null;
  calificacion: number | null;
  feedback: string | null;
  usuario_id: number | null;
  cliente_id: number | null;
  prestamo_id: number | null;
  cuota_id: number | null;
  pago_id: number | null;
  creado_en: Date;
  actualizado_en: Date;
}

/** Who is asking: ANALISTA sees their own conversations, ADMIN all of them. */
export interface Viewer {
  id: number;
  rol: 'ADMIN' | 'ANALISTA';
}

/** The columns of `conversaciones_ai` a new conversation fills. */
export interface NewConversation {
  hilo_id: number | null;
  pregunta: string;
  respuesta: string;
  contexto_usado: Record<string, unknown>;
  documentos_usados: number[];
  modelo_usado: string;
  tokens_usados: number;
  tiempo_respuesta: number;
  usuario_id: number | null;
  cliente_id?: number;
  prestamo_id?: number;
  cuota_id?: number;
  pago_id?: number;
}

const COLUMNS = `id, hilo_id, pregunta, respuesta, contexto_usado, documentos_usados, modelo_usado, tokens_usados,
  tiempo_respuesta, calificacion, feedback, usuario_id, cliente_id, prestamo_id, cuota_id, pago_id, creado_en, actualizado_en`;

/** Stores one exchange; the first of a thread becomes its own thread. */
export async function insertConversation(
  db: Queryable,
  conversation: NewConversation,
): Promise<{ id: number; hilo_id: number }> {
  const { rows } = await db.query<{ id: number; hilo_id: number }>(
    `WITH nueva AS (SELECT nextval(pg_get_serial_sequence('conversaciones_ai', 'id'))::int AS id)
     INSERT INTO conversaciones_ai (id, hilo_id, pregunta, respuesta, contexto_usado, documentos_usados, modelo_usado,
       tokens_usados, tiempo_respuesta, usuario_id, cliente_id, prestamo_id, cuota_id, pago_id)
     SELECT nueva.id, coalesce($1, nueva.id), $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8, $9, $10, $11, $12, $13 FROM nueva
     RETURNING id, hilo_id`,
    [
      conversation.hilo_id,
      conversation.pregunta,
      conversation.respuesta,
      JSON.stringify(conversation.contexto_usado),
      JSON.stringify(conversation.documentos_usados),
      conversation.modelo_usado,
      conversation.tokens_usados,
      conversation.tiempo_respuesta,
      conversation.usuario_id,
      conversation.cliente_id ?? null,
      conversation.prestamo_id ?? null,
      conversation.cuota_id ?? null,
      conversation.pago_id ?? null,
    ],
  );
  const row = rows[0];
  if (!row) throw new Error('Conversation insert returned nothing');
  return row;
}

/** One conversation the viewer may see; NOT_FOUND otherwise (an analyst never learns others exist). */
export async function getConversation(db: Queryable, id: number, viewer?: Viewer): Promise<ConversationRecord> {
  const { rows } = await db.query<ConversationRecord>(`SELECT ${COLUMNS} FROM conversaciones_ai WHERE id = $1`, [id]);
  const row = rows[0];
  if (!row || (viewer && viewer.rol !== 'ADMIN' && row.usuario_id !== viewer.id)) {
    throw new AppError('NOT_FOUND', `No existe la conversación ${id}.`);
  }
  return row;
}

/** Filters of a conversation listing. */
export interface ConversationFilter {
  hilo_id?: number;
  usuario_id?: number;
  limit?: number;
  offset?: number;
}

/** Conversations the viewer may see, newest first. */
export async function listConversations(
  db: Queryable,
  filter: ConversationFilter,
  viewer?: Viewer,
): Promise<{ total: number; conversaciones: ConversationRecord[] }> {
  const owner = viewer && viewer.rol !== 'ADMIN' ? viewer.id : (filter.usuario_id ?? null);
  const params = [owner, filter.hilo_id ?? null];
  const where = `($1::int IS NULL OR usuario_id = $1) AND ($2::int IS NULL OR hilo_id = $2)`;
  const total = await db.query<{ total: number }>(
    `SELECT count(*)::int AS total FROM conversaciones_ai WHERE ${where}`,
    params,
  );
  const order = filter.hilo_id !== undefined ? 'id ASC' : 'creado_en DESC, id DESC';
  const { rows } = await db.query<ConversationRecord>(
    `SELECT ${COLUMNS} FROM conversaciones_ai WHERE ${where} ORDER BY ${order} LIMIT $3 OFFSET $4`,
    [...params, Math.min(filter.limit ?? 50, 500), filter.offset ?? 0],
  );
  return { total: total.rows[0]?.total ?? 0, conversaciones: rows };
}
