import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  actorOf,
  createDefinitionInput,
  createFieldDefinition,
  getFieldDefinition,
  listFieldDefinitions,
  removeFieldDefinition,
  syncFieldDefinitions,
  updateDefinitionInput,
  updateFieldDefinition,
} from '../../modules/learning/index.ts';
import type { AppEnv } from '../app-env.ts';
import { defineRoute, errorResponse, jsonBody, jsonResponse } from '../define-route.ts';
import {
  definitionListQuery,
  definitionListSchema,
  definitionRemoveQuery,
  definitionSchema,
  syncReportSchema,
} from '../definition-schemas.ts';
import { idParams } from '../schemas.ts';

const tags = ['Definiciones de campos'];

const listRoute = defineRoute({
  method: 'get',
  path: '/api/v1/ai/definiciones',
  summary: 'Lista las definiciones de campos',
  description: 'Ordenadas por tabla y número. Lo que el asistente sabe de cada columna que puede leer.',
  tags,
  access: ['ADMIN', 'ANALISTA'],
  request: { query: definitionListQuery },
  responses: { 200: jsonResponse(definitionListSchema, 'Las definiciones') },
});

const getRoute = defineRoute({
  method: 'get',
  path: '/api/v1/ai/definiciones/{id}',
  summary: 'Una definición de campo',
  tags,
  access: ['ADMIN', 'ANALISTA'],
  request: { params: idParams },
  responses: {
    200: jsonResponse(definitionSchema, 'La definición'),
    404: errorResponse('No existe esa definición'),
  },
});

const createRoute = defineRoute({
  method: 'post',
  path: '/api/v1/ai/definiciones',
  summary: 'Crea una definición de campo',
  description:
    'La columna debe existir y el asistente debe poder leerla. Tipo, obligatoriedad, índice, clave foránea y valores del CHECK se leen de la base de datos.',
  tags,
  access: ['ADMIN'],
  request: { ...jsonBody(createDefinitionInput) },
  responses: {
    201: jsonResponse(definitionSchema, 'Definición creada'),
    404: errorResponse('No existe la calificación indicada'),
    409: errorResponse('La columna ya tiene una definición'),
  },
});

const updateRoute = defineRoute({
  method: 'patch',
  path: '/api/v1/ai/definiciones/{id}',
  summary: 'Edita los campos humanos de una definición',
  description:
    'definicion, notas, sinonimos, valores_posibles, ejemplos_valores, es_catalogo, dato_personal y activo. Los datos técnicos solo cambian al sincronizar. Con actualizado_en, un cambio ajeno posterior da 409.',
  tags,
  access: ['ADMIN'],
  request: { params: idParams, ...jsonBody(updateDefinitionInput) },
  responses: {
    200: jsonResponse(definitionSchema, 'La definición editada'),
    404: errorResponse('No existe esa definición o la calificación indicada'),
    409: errorResponse('Otro usuario la modificó después de que usted la leyera'),
  },
});

const removeRoute = defineRoute({
  method: 'delete',
  path: '/api/v1/ai/definiciones/{id}',
  summary: 'Elimina una definición',
  description: 'El historial de cambios conserva cómo era. La sincronización la vuelve a crear sin texto humano.',
  tags,
  access: ['ADMIN'],
  request: { params: idParams, query: definitionRemoveQuery },
  responses: {
    200: jsonResponse(definitionSchema, 'La definición eliminada'),
    404: errorResponse('No existe esa definición o la calificación indicada'),
    409: errorResponse('Otro usuario la modificó después de que usted la leyera'),
  },
});

const syncRoute = defineRoute({
  method: 'post',
  path: '/api/v1/ai/definiciones/sync',
  summary: 'Sincroniza las definiciones con la base de datos',
  description:
    'Crea las que faltan (sin definición) y corrige los datos técnicos de las demás; nunca toca definición, notas, sinónimos, catálogo ni activo.',
  tags,
  access: ['ADMIN'],
  responses: { 200: jsonResponse(syncReportSchema, 'Lo que cambió') },
});

/** `/ai/definiciones`: read (ADMIN, ANALISTA), edit and sync (ADMIN). */
export function registerDefinitionRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(listRoute, async (c) => {
    const definiciones = await listFieldDefinitions(c.var.db, c.req.valid('query'));
    return c.json({ total: definiciones.length, definiciones }, 200);
  });

  app.openapi(getRoute, async (c) => c.json(await getFieldDefinition(c.var.db, c.req.valid('param').id), 200));

  app.openapi(createRoute, async (c) => {
    const created = await createFieldDefinition(c.var.db, actorOf(c.var.session.user), c.req.valid('json'));
    return c.json(created, 201);
  });

  app.openapi(updateRoute, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(await updateFieldDefinition(c.var.db, actorOf(c.var.session.user), id, c.req.valid('json')), 200);
  });

  app.openapi(removeRoute, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(await removeFieldDefinition(c.var.db, actorOf(c.var.session.user), id, c.req.valid('query')), 200);
  });

  app.openapi(syncRoute, async (c) => c.json(await syncFieldDefinitions(c.var.db, actorOf(c.var.session.user)), 200));
}
