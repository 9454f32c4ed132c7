import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { answerQuestion, getConversation, listConversations, type Viewer } from '../../modules/chat/index.ts';
import type { EmbeddingProvider } from '../../modules/embeddings/index.ts';
import type { ChatProvider } from '../../modules/llm/index.ts';
import type { AppEnv } from '../app-env.ts';
import { chatAnswerSchema, chatRequest, conversationListQuery, conversationSchema } from '../chat-schemas.ts';
import { defineRoute } from '../define-route.ts';
import { idParams } from '../schemas.ts';

/** What the chat routes need besides the database. */
export interface ChatRouteDeps {
  embeddings: () => Promise<EmbeddingProvider>;
  chat?: ChatProvider;
}

const chatRoute = defineRoute({
  method: 'post',
  path: '/api/v1/ai/chat',
  summary: 'Pregunta al asistente',
  description:
    'Responde desde la base de datos (SQL verificado y de solo lectura), los documentos (con citas) o ambos. La conversación queda guardada siempre.',
  tags: ['Asistente'],
  access: ['ADMIN', 'ANALISTA'],
  request: { body: { required: true, content: { 'application/json': { schema: chatRequest } } } },
  responses: {
    200: {
      description: 'La respuesta y de dónde salió',
      content: { 'application/json': { schema: chatAnswerSchema } },
    },
  },
});

const listRoute = defineRoute({
  method: 'get',
  path: '/api/v1/ai/conversaciones',
  summary: 'Lista conversaciones',
  description:
    'ANALISTA ve las suyas; ADMIN todas (o las de un usuario). Las más recientes primero; un hilo, en orden.',
  tags: ['Asistente'],
  access: ['ADMIN', 'ANALISTA'],
  request: { query: conversationListQuery },
  responses: {
    200: {
      description: 'Conversaciones',
      content: {
        'application/json': {
          schema: z.object({ total: z.number().int(), conversaciones: z.array(conversationSchema) }),
        },
      },
    },
  },
});

const getRoute = defineRoute({
  method: 'get',
  path: '/api/v1/ai/conversaciones/{id}',
  summary: 'Una conversación con su contexto',
  tags: ['Asistente'],
  access: ['ADMIN', 'ANALISTA'],
  request: { params: idParams },
  responses: {
    200: { description: 'La conversación', content: { 'application/json': { schema: conversationSchema } } },
  },
});

const viewerOf = (user: { id: number; rol: 'ADMIN' | 'ANALISTA' }): Viewer => ({ id: user.id, rol: user.rol });

/** `/ai/chat` and `/ai/conversaciones`. */
export function registerChatRoutes(app: OpenAPIHono<AppEnv>, deps: ChatRouteDeps): void {
  app.openapi(chatRoute, async (c) => {
    const { pregunta, hilo_id } = c.req.valid('json');
    const answer = await answerQuestion(
      { db: c.var.db, embeddings: await deps.embeddings(), chat: deps.chat },
      { pregunta, hiloId: hilo_id, usuario: viewerOf(c.var.session.user) },
    );
    return c.json(answer, 200);
  });

  app.openapi(listRoute, async (c) => {
    const { limite, desplazamiento, hilo_id, usuario_id } = c.req.valid('query');
    const result = await listConversations(
      c.var.db,
      { hilo_id, usuario_id, limit: limite, offset: desplazamiento },
      viewerOf(c.var.session.user),
    );
    return c.json(result, 200);
  });

  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(await getConversation(c.var.db, id, viewerOf(c.var.session.user)), 200);
  });
}
