import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { EmbeddingProvider } from '../../modules/embeddings/index.ts';
import {
  actorOf,
  correctConversation,
  getReviewItem,
  listChanges,
  listReviewQueue,
  listVerifiedExamples,
  processRating,
  qualityStats,
  rateConversation,
  reaskRating,
  withdrawVerifiedExample,
} from '../../modules/learning/index.ts';
import type { ChatProvider } from '../../modules/llm/index.ts';
import type { AppEnv } from '../app-env.ts';
import { defineRoute, jsonBody, jsonResponse } from '../define-route.ts';
import {
  changeSchema,
  changesQuery,
  correctionRequest,
  correctionSchema,
  exampleSchema,
  processRequest,
  ratingRequest,
  ratingSchema,
  reaskSchema,
  reviewItemSchema,
  reviewQuery,
  statsQuery,
  statsSchema,
} from '../learning-schemas.ts';
import { idParams } from '../schemas.ts';

/** What the learning routes need besides the database: re-asking answers questions. */
export interface LearningRouteDeps {
  embeddings: () => Promise<EmbeddingProvider>;
  chat?: ChatProvider;
}

const rateRoute = defineRoute({
  method: 'post',
  path: '/api/v1/ai/conversaciones/{id}/calificacion',
  summary: 'Califica una respuesta',
  description:
    'Estrellas 1-5 y/o pulgar arriba/abajo con un comentario. Una calificación por usuario y conversación: calificar de nuevo la reemplaza. ANALISTA califica sus conversaciones; ADMIN cualquiera.',
  tags: ['Aprendizaje'],
  access: ['ADMIN', 'ANALISTA'],
  request: { params: idParams, ...jsonBody(ratingRequest) },
  responses: { 200: jsonResponse(ratingSchema, 'La calificación guardada') },
});

const queueRoute = defineRoute({
  method: 'get',
  path: '/api/v1/ai/calificaciones',
  summary: 'Cola de revisión',
  description:
    'Calificaciones con la pregunta, la respuesta y de qué se construyó (SQL, filas, pasajes, términos del diccionario). `pendientes=true`: pulgares abajo sin procesar.',
  tags: ['Aprendizaje'],
  access: ['ADMIN'],
  request: { query: reviewQuery },
  responses: {
    200: jsonResponse(z.object({ total: z.number().int(), calificaciones: z.array(reviewItemSchema) }), 'La cola'),
  },
});

const statsRoute = defineRoute({
  method: 'get',
  path: '/api/v1/ai/calificaciones/estadisticas',
  summary: 'Datos del tablero de calidad',
  description:
    'Distribución de estrellas, porcentaje de calificaciones positivas por período, preguntas que más fallan y mejoras hechas.',
  tags: ['Aprendizaje'],
  access: ['ADMIN'],
  request: { query: statsQuery },
  responses: { 200: jsonResponse(statsSchema, 'Las cifras') },
});

const itemRoute = defineRoute({
  method: 'get',
  path: '/api/v1/ai/calificaciones/{id}',
  summary: 'Una calificación con su evidencia',
  tags: ['Aprendizaje'],
  access: ['ADMIN'],
  request: { params: idParams },
  responses: { 200: jsonResponse(reviewItemSchema, 'La calificación') },
});

const reaskRoute = defineRoute({
  method: 'post',
  path: '/api/v1/ai/calificaciones/{id}/repreguntar',
  summary: 'Repregunta con lo que el sistema sabe ahora',
  description: 'Responde de nuevo la pregunta calificada sin guardar otra conversación y muestra antes y después.',
  tags: ['Aprendizaje'],
  access: ['ADMIN'],
  request: { params: idParams },
  responses: { 200: jsonResponse(reaskSchema, 'Antes y después') },
});

const processRoute = defineRoute({
  method: 'post',
  path: '/api/v1/ai/calificaciones/{id}/procesar',
  summary: 'Marca una calificación como procesada',
  description:
    '`aceptar: true` marca `mejorado` solo si hubo una mejora desde la calificación y la respuesta repreguntada después de ella cambió.',
  tags: ['Aprendizaje'],
  access: ['ADMIN'],
  request: { params: idParams, ...jsonBody(processRequest) },
  responses: { 200: jsonResponse(ratingSchema, 'La calificación procesada') },
});

const correctRoute = defineRoute({
  method: 'post',
  path: '/api/v1/ai/conversaciones/{id}/correccion',
  summary: 'Registra la SQL o la respuesta correcta',
  description:
    'Queda como ejemplo verificado: el motor local y el modelo lo reutilizan para la misma pregunta y las parecidas. La SQL pasa la guardia y se ejecuta (solo lectura) antes de guardarse.',
  tags: ['Aprendizaje'],
  access: ['ADMIN'],
  request: { params: idParams, ...jsonBody(correctionRequest) },
  responses: { 200: jsonResponse(correctionSchema, 'El ejemplo verificado y sus filas de hoy') },
});

const examplesRoute = defineRoute({
  method: 'get',
  path: '/api/v1/ai/ejemplos',
  summary: 'Ejemplos verificados',
  tags: ['Aprendizaje'],
  access: ['ADMIN'],
  request: {
    query: z.object({
      todos: z.enum(['true', 'false']).optional().openapi({ description: 'Incluye los retirados' }),
    }),
  },
  responses: {
    200: jsonResponse(z.object({ total: z.number().int(), ejemplos: z.array(exampleSchema) }), 'Los ejemplos'),
  },
});

const withdrawRoute = defineRoute({
  method: 'delete',
  path: '/api/v1/ai/ejemplos/{id}',
  summary: 'Retira un ejemplo verificado',
  tags: ['Aprendizaje'],
  access: ['ADMIN'],
  request: { params: idParams },
  responses: { 200: jsonResponse(exampleSchema, 'El ejemplo, inactivo') },
});

const changesRoute = defineRoute({
  method: 'get',
  path: '/api/v1/ai/cambios',
  summary: 'Historial de cambios',
  description: 'Cada edición del diccionario, las definiciones, los ejemplos y la cola de revisión: quién y cuándo.',
  tags: ['Aprendizaje'],
  access: ['ADMIN'],
  request: { query: changesQuery },
  responses: {
    200: jsonResponse(z.object({ total: z.number().int(), cambios: z.array(changeSchema) }), 'Los cambios'),
  },
});

/** Ratings, the review queue, corrections, quality figures and the change history. */
export function registerLearningRoutes(app: OpenAPIHono<AppEnv>, deps: LearningRouteDeps): void {
  app.openapi(rateRoute, async (c) => {
    const { id } = c.req.valid('param');
    const rating = await rateConversation(c.var.db, actorOf(c.var.session.user), id, c.req.valid('json'));
    return c.json(rating, 200);
  });

  app.openapi(queueRoute, async (c) => {
    const { estrellas_max, ...filter } = c.req.valid('query');
    return c.json(await listReviewQueue(c.var.db, { ...filter, estrellasMax: estrellas_max }), 200);
  });

  // Before `/calificaciones/{id}`, which would not match it anyway (the id must be a number).
  app.openapi(statsRoute, async (c) => c.json(await qualityStats(c.var.db, c.req.valid('query')), 200));

  app.openapi(itemRoute, async (c) => c.json(await getReviewItem(c.var.db, c.req.valid('param').id), 200));

  app.openapi(reaskRoute, async (c) => {
    const reask = await reaskRating(
      { db: c.var.db, embeddings: await deps.embeddings(), chat: deps.chat },
      actorOf(c.var.session.user),
      c.req.valid('param').id,
    );
    return c.json(reask, 200);
  });

  app.openapi(processRoute, async (c) => {
    const rating = await processRating(
      c.var.db,
      actorOf(c.var.session.user),
      c.req.valid('param').id,
      c.req.valid('json'),
    );
    return c.json(rating, 200);
  });

  app.openapi(correctRoute, async (c) => {
    const { sql, respuesta, calificacion_id } = c.req.valid('json');
    const correction = await correctConversation(c.var.db, actorOf(c.var.session.user), c.req.valid('param').id, {
      sql,
      respuesta,
      calificacionId: calificacion_id,
    });
    return c.json(correction, 200);
  });

  app.openapi(examplesRoute, async (c) =>
    c.json(await listVerifiedExamples(c.var.db, { todos: c.req.valid('query').todos === 'true' }), 200),
  );

  app.openapi(withdrawRoute, async (c) =>
    c.json(await withdrawVerifiedExample(c.var.db, actorOf(c.var.session.user), c.req.valid('param').id), 200),
  );

  app.openapi(changesRoute, async (c) => {
    const { entidad, registro_id, limite, desplazamiento } = c.req.valid('query');
    return c.json(await listChanges(c.var.db, { entidad, registroId: registro_id, limite, desplazamiento }), 200);
  });
}
