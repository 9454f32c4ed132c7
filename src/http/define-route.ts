import { createRoute, type OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.ts';
import { authorize, csrfHeaderName, type RouteAccess } from './authorize.ts';
import { errorSchema } from './schemas.ts';

/** Names of the two security schemes in the OpenAPI document. */
export const securitySchemes = { cookie: 'cookieSesion', bearer: 'bearerToken' } as const;

const errorContent = { content: { 'application/json': { schema: errorSchema } } };

/** An error response for the OpenAPI document: a description and the common error body. */
export function errorResponse(description: string) {
  return { description, ...errorContent };
}

/** A JSON response for the OpenAPI document: a description and its schema. */
export function jsonResponse<T>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

/** A required JSON request body with its schema (`request: { ...jsonBody(schema) }`). */
export function jsonBody<T>(schema: T) {
  return { body: { required: true, content: { 'application/json': { schema } } } };
}

function errorResponses(access: RouteAccess) {
  const common = {
    400: { description: 'Datos no válidos', ...errorContent },
    500: { description: 'Error interno', ...errorContent },
  };
  if (access === 'public') return common;
  return {
    ...common,
    401: { description: 'Sin sesión, o sesión expirada o revocada', ...errorContent },
    403: { description: `Rol no permitido, o falta ${csrfHeaderName} en una sesión por cookie`, ...errorContent },
  };
}

function describeAccess(access: RouteAccess): string {
  return access === 'public' ? 'Acceso público.' : `Roles: ${access.join(', ')}.`;
}

/** A route's OpenAPI definition plus its access decision; security and middleware are derived. */
export type RouteDefinition = Omit<RouteConfig, 'middleware' | 'security'> & { access: RouteAccess };

/** The route config `app.openapi` receives (typed from the definition, so handlers keep typed input). */
export type DefinedRoute<R extends RouteDefinition> = Omit<R, 'access'> & { middleware: MiddlewareHandler<AppEnv> };

/**
 * The only way to declare a route: `access` (roles or 'public') is required, becomes the route's
 * authorization middleware, its OpenAPI security and its `x-roles`, so no route ships without a decision.
 */
export function defineRoute<const R extends RouteDefinition>(definition: R): DefinedRoute<R> {
  const { access, ...route } = definition;
  return createRoute({
    ...route,
    description: [route.description, describeAccess(access)].filter(Boolean).join('\n\n'),
    security: access === 'public' ? [] : [{ [securitySchemes.cookie]: [] }, { [securitySchemes.bearer]: [] }],
    'x-roles': access === 'public' ? 'public' : [...access],
    middleware: authorize(access),
    responses: { ...errorResponses(access), ...route.responses },
  }) as unknown as DefinedRoute<R>;
}

const toRouterPath = (path: string) => path.replaceAll(/\{([^}]+)\}/g, ':$1');

/** Fails at startup if any route was added without `defineRoute` (and so without an access decision). */
export function assertEveryRouteHasAccess(app: OpenAPIHono<AppEnv>): void {
  const decided = new Set<string>();
  for (const definition of app.openAPIRegistry.definitions) {
    if (definition.type !== 'route' || definition.route['x-roles'] === undefined) continue;
    decided.add(`${definition.route.method.toUpperCase()} ${toRouterPath(definition.route.path)}`);
  }
  const undecided = app.routes
    .filter((route) => route.method !== 'ALL')
    .map((route) => `${route.method} ${route.path}`)
    .filter((route) => !decided.has(route));
  if (undecided.length > 0) {
    throw new Error(`Routes declared without defineRoute (no access decision): ${[...new Set(undecided)].join(', ')}`);
  }
}
