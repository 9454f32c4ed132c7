import { z, type OpenAPIHono } from '@hono/zod-openapi';
import packageJson from '../../../package.json' with { type: 'json' };
import type { AppEnv } from '../app-env.ts';
import { csrfHeaderName } from '../authorize.ts';
import { defineRoute, securitySchemes } from '../define-route.ts';
import { sessionCookieName } from '../session-cookie.ts';

const documentRoute = defineRoute({
  method: 'get',
  path: '/api/v1/openapi.json',
  summary: 'El documento OpenAPI 3.1 de esta API',
  tags: ['Sistema'],
  access: 'public',
  responses: {
    200: {
      description: 'Documento OpenAPI',
      content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
    },
  },
});

/** `GET /openapi.json`, generated from the routes' own definitions (registered last, so it sees them all). */
export function registerOpenApiRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', securitySchemes.cookie, {
    type: 'apiKey',
    in: 'cookie',
    name: sessionCookieName,
    description: `Sesión de navegador. Toda petición que no sea GET/HEAD/OPTIONS debe enviar ${csrfHeaderName}.`,
  });
  app.openAPIRegistry.registerComponent('securitySchemes', securitySchemes.bearer, {
    type: 'http',
    scheme: 'bearer',
    description: 'Token de POST /api/v1/auth/login con tipo=bearer. No necesita CSRF.',
  });
  let document: Record<string, unknown> | undefined;
  app.openapi(documentRoute, (c) => {
    document ??= app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: { title: 'RAPICREDIT AI', version: packageJson.version, description: 'API del asistente de RAPICREDIT.' },
    }) as unknown as Record<string, unknown>;
    return c.json(document, 200);
  });
}
