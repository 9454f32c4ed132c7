import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { createUser, createUserInput, listUsers } from '../../modules/users/index.ts';
import type { AppEnv } from '../app-env.ts';
import { defineRoute, errorResponse } from '../define-route.ts';
import { userSchema } from '../schemas.ts';

const listRoute = defineRoute({
  method: 'get',
  path: '/api/v1/usuarios',
  summary: 'Lista los usuarios',
  tags: ['Usuarios'],
  access: ['ADMIN'],
  responses: {
    200: {
      description: 'Todos los usuarios, sin contraseñas',
      content: { 'application/json': { schema: z.object({ usuarios: z.array(userSchema) }) } },
    },
  },
});

const createRoute = defineRoute({
  method: 'post',
  path: '/api/v1/usuarios',
  summary: 'Crea un usuario',
  tags: ['Usuarios'],
  access: ['ADMIN'],
  request: {
    body: { required: true, content: { 'application/json': { schema: createUserInput } } },
  },
  responses: {
    201: { description: 'Usuario creado', content: { 'application/json': { schema: userSchema } } },
    409: errorResponse('Ya existe un usuario con ese correo'),
  },
});

/** `GET /usuarios`, `POST /usuarios` (ADMIN). */
export function registerUserRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(listRoute, async (c) => c.json({ usuarios: await listUsers({ db: c.var.db }) }, 200));

  app.openapi(createRoute, async (c) => {
    const user = await createUser({ db: c.var.db, input: c.req.valid('json') });
    return c.json(user, 201);
  });
}
