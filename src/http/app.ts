import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../errors.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { AppEnv } from './app-env.ts';
import { assertEveryRouteHasAccess } from './define-route.ts';
import { handleError, handleNotFound, invalidInput } from './errors.ts';
import { registerAuthRoutes } from './routes/auth-routes.ts';
import { registerHealthRoutes } from './routes/health-routes.ts';
import { registerLoanRoutes } from './routes/loan-routes.ts';
import { registerOpenApiRoutes } from './routes/openapi-routes.ts';
import { registerUserRoutes } from './routes/user-routes.ts';

const JSON_BODY_LIMIT_BYTES = 1024 * 1024;

/** The HTTP API (`/api/v1`), with error handling at the edge and roles checked on every route. */
export function createApp(options: { db: Database; config: Config }): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw invalidInput(result.error, result.target);
    },
  });
  app.onError(handleError);
  app.notFound(handleNotFound);
  // JSON bodies of this API are small; uploads get their own, configurable limit on their route.
  app.use(
    '/api/v1/*',
    bodyLimit({
      maxSize: JSON_BODY_LIMIT_BYTES,
      onError: () => {
        throw new AppError('PAYLOAD_TOO_LARGE', 'La solicitud supera el máximo de 1 MB para datos JSON.');
      },
    }),
  );
  app.use('*', async (c, next) => {
    c.set('db', options.db);
    c.set('config', options.config);
    await next();
  });
  registerHealthRoutes(app);
  registerAuthRoutes(app);
  registerUserRoutes(app);
  registerLoanRoutes(app);
  registerOpenApiRoutes(app);
  assertEveryRouteHasAccess(app);
  return app;
}
