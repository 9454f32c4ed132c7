import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../errors.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { documentQueue, type DocumentQueue } from '../modules/documents/index.ts';
import { lazyEmbeddingProvider } from '../modules/embeddings/index.ts';
import type { JobQueue } from '../modules/jobs/index.ts';
import { chatProviderFromConfig, type ChatProvider } from '../modules/llm/index.ts';
import type { AppEnv } from './app-env.ts';
import { assertEveryRouteHasAccess } from './define-route.ts';
import { handleError, handleNotFound, invalidInput } from './errors.ts';
import { registerAuthRoutes } from './routes/auth-routes.ts';
import { registerChatRoutes } from './routes/chat-routes.ts';
import { registerDefinitionRoutes } from './routes/definition-routes.ts';
import { registerDictionaryRoutes } from './routes/dictionary-routes.ts';
import { isDocumentUpload, registerDocumentRoutes } from './routes/document-routes.ts';
import { registerHealthRoutes } from './routes/health-routes.ts';
import { registerLearningRoutes } from './routes/learning-routes.ts';
import { registerLoanRoutes } from './routes/loan-routes.ts';
import { registerOpenApiRoutes } from './routes/openapi-routes.ts';
import { registerUserRoutes } from './routes/user-routes.ts';

const JSON_BODY_LIMIT_BYTES = 1024 * 1024;

// Without a job queue (tests that do not need processing) an upload is still stored, and stays
// PENDIENTE: the worker's start-up sweep (resumeUnfinishedDocuments) queues it when a worker starts.
const deferredDocumentQueue: DocumentQueue = { enqueue: () => Promise.resolve() };

/**
 * The HTTP API (`/api/v1`), with error handling at the edge and roles checked on every route.
 * `queue` is where uploaded documents are sent to be processed.
 */
export function createApp(options: {
  db: Database;
  config: Config;
  queue?: JobQueue;
  /** The chat model; by default the one the configuration names (none when local). */
  chat?: ChatProvider;
}): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw invalidInput(result.error, result.target);
    },
  });
  app.onError(handleError);
  app.notFound(handleNotFound);
  // JSON bodies of this API are small; the document upload gets its own, configurable limit on its route.
  const jsonBodyLimit = bodyLimit({
    maxSize: JSON_BODY_LIMIT_BYTES,
    onError: () => {
      throw new AppError('PAYLOAD_TOO_LARGE', 'La solicitud supera el máximo de 1 MB para datos JSON.');
    },
  });
  app.use('/api/v1/*', (c, next) => (isDocumentUpload(c) ? next() : jsonBodyLimit(c, next)));
  app.use('*', async (c, next) => {
    c.set('db', options.db);
    c.set('config', options.config);
    await next();
  });
  registerHealthRoutes(app);
  registerAuthRoutes(app);
  registerUserRoutes(app);
  registerLoanRoutes(app);
  const embeddings = lazyEmbeddingProvider(options.config.embeddings);
  registerDocumentRoutes(app, {
    queue: options.queue ? documentQueue(options.queue) : deferredDocumentQueue,
    embeddings,
  });
  const chat = options.chat ?? chatProviderFromConfig(options.config.chat);
  registerChatRoutes(app, { embeddings, chat });
  registerLearningRoutes(app, { embeddings, chat });
  registerDictionaryRoutes(app, { chat });
  registerDefinitionRoutes(app);
  registerOpenApiRoutes(app);
  assertEveryRouteHasAccess(app);
  return app;
}
