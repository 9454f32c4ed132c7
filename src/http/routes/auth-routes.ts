import { getConnInfo } from '@hono/node-server/conninfo';
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { authenticateUser, createSession, revokeSession } from '../../modules/users/index.ts';
import type { AppEnv } from '../app-env.ts';
import { defineRoute, errorResponse } from '../define-route.ts';
import { userSchema, timestamp } from '../schemas.ts';
import { clearSessionCookie, sessionCookieName, setSessionCookie } from '../session-cookie.ts';

const loginBody = z
  .object(
    {
      email: z.string({ error: 'es obligatorio' }).max(320, { error: 'es demasiado largo' }),
      password: z.string({ error: 'es obligatoria' }).max(1024, { error: 'es demasiado larga' }),
      tipo: z.enum(['cookie', 'bearer'], { error: 'debe ser cookie o bearer' }).default('cookie'),
    },
    { error: 'debe ser un objeto JSON' },
  )
  .openapi('Login');

const loginRoute = defineRoute({
  method: 'post',
  path: '/api/v1/auth/login',
  summary: 'Inicia sesión',
  description: `tipo=cookie (por defecto) fija la cookie httpOnly ${sessionCookieName} y devuelve csrfToken; tipo=bearer devuelve token.`,
  tags: ['Autenticación'],
  access: 'public',
  request: { body: { required: true, content: { 'application/json': { schema: loginBody } } } },
  responses: {
    200: {
      description: 'Sesión abierta',
      content: {
        'application/json': {
          schema: z.object({
            usuario: userSchema,
            expiraEn: timestamp,
            csrfToken: z.string().optional(),
            token: z.string().optional(),
          }),
        },
      },
    },
    401: errorResponse('Correo o contraseña incorrectos, o usuario desactivado'),
    429: errorResponse('Demasiados intentos fallidos; ver Retry-After'),
  },
});

const logoutRoute = defineRoute({
  method: 'post',
  path: '/api/v1/auth/logout',
  summary: 'Cierra la sesión actual',
  tags: ['Autenticación'],
  access: ['ADMIN', 'ANALISTA'],
  responses: { 204: { description: 'Sesión revocada y cookie borrada' } },
});

const meRoute = defineRoute({
  method: 'get',
  path: '/api/v1/auth/yo',
  summary: 'El usuario de la sesión actual',
  tags: ['Autenticación'],
  access: ['ADMIN', 'ANALISTA'],
  responses: {
    200: {
      description: 'Usuario y sesión',
      content: {
        'application/json': {
          schema: z.object({
            usuario: userSchema,
            tipo: z.enum(['cookie', 'bearer']),
            expiraEn: timestamp,
            csrfToken: z.string().optional(),
          }),
        },
      },
    },
  },
});

// Without a socket (app.request in tests, other runtimes) there is no address to limit by.
function clientIp(c: Context<AppEnv>): string {
  try {
    return getConnInfo(c).remote.address ?? 'desconocida';
  } catch {
    return 'desconocida';
  }
}

/** `POST /auth/login`, `POST /auth/logout`, `GET /auth/yo`. */
export function registerAuthRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(loginRoute, async (c) => {
    const { db, config } = c.var;
    const body = c.req.valid('json');
    const user = await authenticateUser({ ...body, db, ip: clientIp(c), limits: config.login });
    const session = await createSession({ db, userId: user.id, tipo: body.tipo, ttlHours: config.session.ttlHours });
    if (session.tipo === 'bearer') {
      return c.json({ usuario: user, token: session.token, expiraEn: session.expiraEn }, 200);
    }
    setSessionCookie(c, session.token, session.expiraEn, config.session.secureCookie);
    return c.json({ usuario: user, csrfToken: session.csrfToken ?? undefined, expiraEn: session.expiraEn }, 200);
  });

  app.openapi(logoutRoute, async (c) => {
    await revokeSession({ db: c.var.db, sessionId: c.var.session.id });
    clearSessionCookie(c, c.var.config.session.secureCookie);
    return c.body(null, 204);
  });

  app.openapi(meRoute, (c) => {
    const { user, tipo, expiraEn, csrfToken } = c.var.session;
    return c.json({ usuario: user, tipo, expiraEn, csrfToken: csrfToken ?? undefined }, 200);
  });
}
