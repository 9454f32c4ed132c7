import { z, type OpenAPIHono } from '@hono/zod-openapi';
import packageJson from '../../../package.json' with { type: 'json' };
import type { AppEnv } from '../app-env.ts';
import { defineRoute } from '../define-route.ts';

const healthRoute = defineRoute({
  method: 'get',
  path: '/api/v1/salud',
  summary: 'Estado del servicio y de la base de datos',
  tags: ['Sistema'],
  access: 'public',
  responses: {
    200: {
      description: 'El servicio responde y la base de datos acepta consultas',
      content: {
        'application/json': {
          schema: z.object({
            estado: z.literal('ok'),
            base_datos: z.enum(['pglite', 'postgres']),
            version: z.string(),
          }),
        },
      },
    },
  },
});

/** `GET /salud`. */
export function registerHealthRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(healthRoute, async (c) => {
    const db = c.get('db');
    await db.query('SELECT 1');
    return c.json({ estado: 'ok' as const, base_datos: db.kind, version: packageJson.version }, 200);
  });
}
