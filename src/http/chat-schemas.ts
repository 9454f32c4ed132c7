import { z } from '@hono/zod-openapi';
import { MAX_QUESTION_LENGTH } from '../modules/chat/index.ts';
import { positiveId, timestamp, wholeNumber } from './schemas.ts';

/** The body of `POST /ai/chat`. */
export const chatRequest = z
  .object({
    pregunta: z
      .string({ error: 'es obligatoria y debe ser texto' })
      .trim()
      .min(1, 'no puede estar vacía')
      .max(MAX_QUESTION_LENGTH, `debe tener como máximo ${MAX_QUESTION_LENGTH} caracteres`)
      .openapi({ example: '¿Cuántas cuotas vencidas tiene el cliente V11034041?' }),
    hilo_id: positiveId.optional().openapi({ description: 'Continúa ese hilo (preguntas de seguimiento)' }),
  })
  .openapi('PreguntaChat');

const citationSchema = z.object({
  documento_id: z.number().int(),
  titulo: z.string(),
  nombre_archivo: z.string(),
  pagina: z.number().int().nullable(),
  pagina_fin: z.number().int().nullable(),
  chunk_index: z.number().int(),
  chunk_id: z.number().int().optional(),
  texto: z.string(),
});

/** An answer: prose, the route it took, the SQL and rows or the cited passages. */
export const chatAnswerSchema = z
  .object({
    conversacion_id: z.number().int(),
    hilo_id: z.number().int(),
    pregunta: z.string(),
    respuesta: z.string(),
    ruta: z.enum(['base_datos', 'documentos', 'ambas', 'ninguna']),
    sql: z.string().nullable(),
    parametros: z.array(z.unknown()),
    columnas: z.array(z.string()),
    filas: z.array(z.array(z.unknown())),
    truncada: z.boolean(),
    documentos: z.array(citationSchema),
    terminos: z.array(z.string()),
    no_entendidas: z.array(z.string()),
    modelo_usado: z.string(),
    tokens_usados: z.number().int(),
    tiempo_respuesta_ms: z.number().int(),
  })
  .openapi('RespuestaChat');

/** A stored conversation. */
export const conversationSchema = z
  .object({
    id: z.number().int(),
    hilo_id: z.number().int().nullable(),
    pregunta: z.string(),
    respuesta: z.string(),
    contexto_usado: z.record(z.string(), z.unknown()),
    documentos_usados: z.array(z.number().int()),
    modelo_usado: z.string().nullable(),
    tokens_usados: z.number().int().nullable(),
    tiempo_respuesta: z.number().int().nullable(),
    calificacion: z.number().int().nullable(),
    feedback: z.string().nullable(),
    usuario_id: z.number().int().nullable(),
    cliente_id: z.number().int().nullable(),
    prestamo_id: z.number().int().nullable(),
    cuota_id: z.number().int().nullable(),
    pago_id: z.number().int().nullable(),
    creado_en: timestamp,
    actualizado_en: timestamp,
  })
  .openapi('Conversacion');

/** Filters of `GET /ai/conversaciones`. */
export const conversationListQuery = z.object({
  hilo_id: wholeNumber('el hilo', 1, 2_147_483_647).optional().openapi({ type: 'integer' }),
  usuario_id: wholeNumber('el usuario', 1, 2_147_483_647)
    .optional()
    .openapi({ type: 'integer', description: 'Solo ADMIN' }),
  limite: wholeNumber('el límite', 1, 500).optional().openapi({ type: 'integer', example: 50 }),
  desplazamiento: wholeNumber('el desplazamiento', 0, 1_000_000).optional().openapi({ type: 'integer', example: 0 }),
});
