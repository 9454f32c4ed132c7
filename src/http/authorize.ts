import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { AppError } from '../errors.ts';
import { resolveSession, type Role, type Session } from '../modules/users/index.ts';
import type { AppEnv } from './app-env.ts';
import { readSessionCookie } from './session-cookie.ts';

/** Who may call a route: the roles allowed, or anyone. */
export type RouteAccess = 'public' | readonly [Role, ...Role[]];

/** Header a cookie session must send on every state-changing request. */
export const csrfHeaderName = 'X-CSRF-Token';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

// A bearer header wins over a cookie: a cross-site page cannot set it, so it needs no CSRF token.
async function findSession(c: Context<AppEnv>): Promise<Session | undefined> {
  const db = c.get('db');
  const authorization = c.req.header('authorization');
  if (authorization !== undefined) {
    const token = /^Bearer +(\S+)$/i.exec(authorization.trim())?.[1];
    return token ? resolveSession({ db, token, tipo: 'bearer' }) : undefined;
  }
  const token = readSessionCookie(c);
  return token ? resolveSession({ db, token, tipo: 'cookie' }) : undefined;
}

function hasCredentials(c: Context<AppEnv>): boolean {
  return c.req.header('authorization') !== undefined || readSessionCookie(c) !== undefined;
}

function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Route middleware: authenticates, checks CSRF for cookie sessions, then the role; public routes pass. */
export function authorize(access: RouteAccess): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (access === 'public') return next();
    const session = await findSession(c);
    if (!session) {
      throw new AppError(
        'UNAUTHENTICATED',
        hasCredentials(c)
          ? 'Su sesión no es válida o ha expirado. Inicie sesión de nuevo.'
          : 'Inicie sesión para continuar.',
      );
    }
    if (session.tipo === 'cookie' && !safeMethods.has(c.req.method)) {
      const given = c.req.header(csrfHeaderName);
      if (!given || !session.csrfToken || !sameSecret(session.csrfToken, given)) {
        throw new AppError('FORBIDDEN', `Falta el encabezado ${csrfHeaderName} de su sesión o no es válido.`);
      }
    }
    if (!access.includes(session.user.rol)) {
      throw new AppError('FORBIDDEN', `No tiene permiso para esta acción: requiere el rol ${access.join(' o ')}.`);
    }
    c.set('session', session);
    await next();
  };
}
