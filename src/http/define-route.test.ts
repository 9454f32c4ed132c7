import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from './app-env.ts';
import { assertEveryRouteHasAccess, defineRoute } from './define-route.ts';

const okResponse = { 200: { description: 'ok', content: { 'application/json': { schema: z.object({}) } } } };

test('routes declared with defineRoute pass the startup check', () => {
  const app = new OpenAPIHono<AppEnv>();
  const route = defineRoute({ method: 'get', path: '/x/{id}', access: ['ADMIN'], responses: okResponse });
  app.openapi(route, (c) => c.json({}, 200));
  assert.doesNotThrow(() => assertEveryRouteHasAccess(app));
});

test('a route added without defineRoute stops the app from starting', () => {
  const app = new OpenAPIHono<AppEnv>();
  app.get('/sin-decision', (c) => c.json({}));
  assert.throws(() => assertEveryRouteHasAccess(app), /GET \/sin-decision/);
});
