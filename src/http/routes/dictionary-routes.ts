import { z, type OpenAPIHono } from '@hono/zod-openapi';
import {
  actorOf,
  addDictionarySynonym,
  createDictionaryEntry,
  createEntryFields,
  exportDictionary,
  getDictionaryEntry,
  importDictionary,
  improveEntry,
  improveEntryInput,
  listDictionary,
  removeDictionaryEntry,
  synonymFields,
  updateDictionaryEntry,
  updateEntryFields,
} from '../../modules/learning/index.ts';
import type { ChatProvider } from '../../modules/llm/index.ts';
import type { AppEnv } from '../app-env.ts';
import { defineRoute, errorResponse, jsonBody, jsonResponse } from '../define-route.ts';
import {
  dictionaryContentSchema,
  dictionaryEntrySchema,
  dictionaryImportBody,
  dictionaryImportResult,
  dictionaryListQuery,
  dictionaryRemoveQuery,
  improvementSchema,
} from '../dictionary-schemas.ts';
import { idParams } from '../schemas.ts';

/** What the dictionary routes need besides the database: the chat model for "Mejorar con IA". */
export interface DictionaryRouteDeps {
  /** Undefined: proposals come from the local, network-free proposer. */
  chat?: ChatProvider;
}

const BASE = '/api/v1/ai/diccionario';
const tags = ['Diccionario semántico'];

const stale = errorResponse(
  'La entrada cambió después de que el cliente la leyó (actualizado_en), o la palabra ya existe',
);

const listRoute = defineRoute({
  method: 'get',
  path: BASE,
  summary: 'Lista el diccionario semántico',
  description: 'Filtra por categoría, tabla, estado o texto (palabra y sinónimos, sin distinguir acentos); paginado.',
  tags,
  access: ['ADMIN', 'ANALISTA'],
  request: { query: dictionaryListQuery },
  responses: {
    200: jsonResponse(z.object({ total: z.number().int(), entradas: z.array(dictionaryEntrySchema) }), 'Las entradas'),
  },
});

const exportRoute = defineRoute({
  method: 'get',
  path: `${BASE}/exportar`,
  summary: 'Exporta el diccionario como JSON',
  description: 'Todas las entradas (activas o no) sin ids ni fechas, en orden estable: el formato de la importación.',
  tags,
  access: ['ADMIN'],
  responses: { 200: jsonResponse(z.array(dictionaryContentSchema), 'El diccionario completo') },
});

const getRoute = defineRoute({
  method: 'get',
  path: `${BASE}/{id}`,
  summary: 'Una entrada del diccionario',
  tags,
  access: ['ADMIN', 'ANALISTA'],
  request: { params: idParams },
  responses: { 200: jsonResponse(dictionaryEntrySchema, 'La entrada'), 404: errorResponse('No existe la entrada') },
});

const createRoute = defineRoute({
  method: 'post',
  path: BASE,
  summary: 'Crea una entrada',
  description:
    'La tabla y la columna deben existir y estar permitidas; el valor, ser uno de los valores posibles de la columna; el SQL, pasar la verificación del motor. La palabra es única sin distinguir mayúsculas ni acentos. `calificacion_id` enlaza el cambio con la calificación que se revisa.',
  tags,
  access: ['ADMIN'],
  request: jsonBody(createEntryFields),
  responses: {
    201: jsonResponse(dictionaryEntrySchema, 'La entrada creada'),
    404: errorResponse('No existe la calificación indicada'),
    409: errorResponse('La palabra o un sinónimo ya pertenece a otra entrada'),
  },
});

const updateRoute = defineRoute({
  method: 'patch',
  path: `${BASE}/{id}`,
  summary: 'Edita una entrada',
  description:
    'Solo los campos enviados (null vacía un campo). Envíe `actualizado_en` tal como lo leyó: si otro usuario la cambió después, responde 409 y no guarda.',
  tags,
  access: ['ADMIN'],
  request: { params: idParams, ...jsonBody(updateEntryFields) },
  responses: {
    200: jsonResponse(dictionaryEntrySchema, 'La entrada editada'),
    404: errorResponse('No existe la entrada o la calificación'),
    409: stale,
  },
});

const removeRoute = defineRoute({
  method: 'delete',
  path: `${BASE}/{id}`,
  summary: 'Elimina una entrada',
  description: 'La elimina del todo; el historial de cambios conserva lo que decía.',
  tags,
  access: ['ADMIN'],
  request: { params: idParams, query: dictionaryRemoveQuery },
  responses: {
    200: jsonResponse(dictionaryEntrySchema, 'La entrada eliminada, tal como estaba'),
    404: errorResponse('No existe la entrada o la calificación'),
    409: stale,
  },
});

const synonymRoute = defineRoute({
  method: 'post',
  path: `${BASE}/{id}/sinonimos`,
  summary: 'Agrega un sinónimo',
  description: 'No puede ser la palabra ni un sinónimo de otra entrada activa (409).',
  tags,
  access: ['ADMIN'],
  request: { params: idParams, ...jsonBody(synonymFields) },
  responses: {
    200: jsonResponse(dictionaryEntrySchema, 'La entrada con el sinónimo'),
    404: errorResponse('No existe la entrada o la calificación'),
    409: errorResponse('El sinónimo ya pertenece a otra entrada'),
  },
});

const importRoute = defineRoute({
  method: 'post',
  path: `${BASE}/importar`,
  summary: 'Importa entradas',
  description:
    'Crea o reemplaza cada entrada según su palabra (sin distinguir mayúsculas ni acentos), todo en una transacción: si una entrada no es válida no se guarda ninguna y el error las enumera.',
  tags,
  access: ['ADMIN'],
  request: jsonBody(dictionaryImportBody),
  responses: { 200: jsonResponse(dictionaryImportResult, 'Cuántas se crearon, actualizaron y quedaron igual') },
});

const improveRoute = defineRoute({
  method: 'post',
  path: `${BASE}/mejorar`,
  summary: 'Mejorar con IA',
  description:
    'Propone definición, tabla y columna o valor, SQL, sinónimos y ejemplos para una entrada (`id`) o una palabra nueva, o hace una pregunta aclaratoria. No guarda nada: la propuesta se aplica con POST o PATCH.',
  tags,
  access: ['ADMIN'],
  request: jsonBody(improveEntryInput),
  responses: {
    200: jsonResponse(improvementSchema, 'La propuesta o la pregunta'),
    404: errorResponse('No existe la entrada'),
    502: errorResponse('El modelo de chat no respondió'),
  },
});

/** `/ai/diccionario`: read by ADMIN and ANALISTA, edited, imported, exported and improved by ADMIN. */
export function registerDictionaryRoutes(app: OpenAPIHono<AppEnv>, deps: DictionaryRouteDeps): void {
  app.openapi(listRoute, async (c) => {
    const { limite, desplazamiento, ...filter } = c.req.valid('query');
    return c.json(await listDictionary(c.var.db, { ...filter, limite, desplazamiento }), 200);
  });

  // Before `/{id}`, so "exportar" is not read as an id.
  app.openapi(exportRoute, async (c) => {
    c.header('Content-Disposition', 'attachment; filename="diccionario-semantico.json"');
    return c.json(await exportDictionary(c.var.db), 200);
  });

  app.openapi(getRoute, async (c) => c.json(await getDictionaryEntry(c.var.db, c.req.valid('param').id), 200));

  app.openapi(createRoute, async (c) => {
    const actor = actorOf(c.var.session.user);
    return c.json(await createDictionaryEntry({ db: c.var.db, actor, input: c.req.valid('json') }), 201);
  });

  app.openapi(updateRoute, async (c) => {
    const actor = actorOf(c.var.session.user);
    const { id } = c.req.valid('param');
    return c.json(await updateDictionaryEntry({ db: c.var.db, actor, id, input: c.req.valid('json') }), 200);
  });

  app.openapi(removeRoute, async (c) => {
    const actor = actorOf(c.var.session.user);
    const { id } = c.req.valid('param');
    const { actualizado_en, calificacion_id } = c.req.valid('query');
    const removed = await removeDictionaryEntry({
      db: c.var.db,
      actor,
      id,
      actualizadoEn: actualizado_en,
      calificacionId: calificacion_id,
    });
    return c.json(removed, 200);
  });

  app.openapi(synonymRoute, async (c) => {
    const actor = actorOf(c.var.session.user);
    const { id } = c.req.valid('param');
    return c.json(await addDictionarySynonym({ db: c.var.db, actor, id, input: c.req.valid('json') }), 200);
  });

  app.openapi(importRoute, async (c) => {
    const actor = actorOf(c.var.session.user);
    return c.json(await importDictionary({ db: c.var.db, actor, input: c.req.valid('json') }), 200);
  });

  app.openapi(improveRoute, async (c) =>
    c.json(await improveEntry({ db: c.var.db, chat: deps.chat, input: c.req.valid('json') }), 200),
  );
}
