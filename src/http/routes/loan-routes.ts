import type { OpenAPIHono } from '@hono/zod-openapi';
import { getClient, getLoan } from '../../modules/loans/index.ts';
import type { AppEnv } from '../app-env.ts';
import { defineRoute, errorResponse } from '../define-route.ts';
import { clientSchema, loanSchema } from '../loan-schemas.ts';
import { idParams } from '../schemas.ts';

const clientRoute = defineRoute({
  method: 'get',
  path: '/api/v1/clientes/{id}',
  summary: 'Un cliente con el resumen de sus préstamos',
  tags: ['Cartera'],
  access: ['ADMIN', 'ANALISTA'],
  request: { params: idParams },
  responses: {
    200: { description: 'El cliente', content: { 'application/json': { schema: clientSchema } } },
    404: errorResponse('No existe el cliente'),
  },
});

const loanRoute = defineRoute({
  method: 'get',
  path: '/api/v1/prestamos/{id}',
  summary: 'Un préstamo con sus cuotas y su saldo pendiente',
  tags: ['Cartera'],
  access: ['ADMIN', 'ANALISTA'],
  request: { params: idParams },
  responses: {
    200: { description: 'El préstamo', content: { 'application/json': { schema: loanSchema } } },
    404: errorResponse('No existe el préstamo'),
  },
});

/** `GET /clientes/{id}`, `GET /prestamos/{id}`. */
export function registerLoanRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(clientRoute, async (c) => c.json(await getClient({ db: c.var.db, id: c.req.valid('param').id }), 200));
  app.openapi(loanRoute, async (c) => c.json(await getLoan({ db: c.var.db, id: c.req.valid('param').id }), 200));
}
