import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../../errors.ts';
import {
  deleteDocument,
  getDocument,
  listDocuments,
  readDocumentSettings,
  reprocessDocument,
  searchDocuments,
  updateDocument,
  uploadDocument,
  type DocumentQueue,
} from '../../modules/documents/index.ts';
import type { EmbeddingProvider } from '../../modules/embeddings/index.ts';
import type { AppEnv } from '../app-env.ts';
import { defineRoute, errorResponse } from '../define-route.ts';
import {
  documentChanges,
  documentSchema,
  listQuery,
  searchRequest,
  searchResultSchema,
  uploadForm,
  uploadResultSchema,
} from '../document-schemas.ts';
import { idParams } from '../schemas.ts';

/** What the document routes need besides the database and the configuration. */
export interface DocumentRouteDeps {
  /** Where uploads and reprocessing requests go (the background job). */
  queue: DocumentQueue;
  /** The configured embedding provider, created on first use. */
  embeddings: () => Promise<EmbeddingProvider>;
}

const DOCUMENTS_PATH = '/api/v1/documentos';
/** Room for the multipart boundaries, part headers, `titulo` and `descripcion` around the file. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** True for the upload request, which brings its own size limit instead of the JSON one. */
export function isDocumentUpload(c: Context): boolean {
  return c.req.method === 'POST' && c.req.path === DOCUMENTS_PATH;
}

const megabytes = (bytes: number) => Number((bytes / 1024 / 1024).toFixed(1));

/**
 * The upload's body limit: `AI.tamano_maximo_documento_mb`, read now so a change needs no restart.
 * Checked from Content-Length before reading, or counted while the body streams in when there is none.
 * The form is parsed here too, so a malformed one gets a Spanish message instead of hono's.
 */
const guardUpload: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!/^multipart\/form-data\s*;/i.test(c.req.header('content-type') ?? '')) {
    throw new AppError(
      'INVALID_INPUT',
      'Envíe el documento como multipart/form-data, con el archivo en el campo archivo.',
    );
  }
  const { maxBytes } = await readDocumentSettings(c.var.db, c.var.config.dataDir);
  const limit = bodyLimit({
    maxSize: maxBytes + MULTIPART_OVERHEAD_BYTES,
    onError: () => {
      throw new AppError('PAYLOAD_TOO_LARGE', `El archivo supera el tamaño máximo de ${megabytes(maxBytes)} MB.`);
    },
  });
  return limit(c, async () => {
    try {
      await c.req.formData();
    } catch (error) {
      throw new AppError('INVALID_INPUT', 'El formulario multipart no es válido.', { cause: error });
    }
    await next();
  });
};

const documentContent = { content: { 'application/json': { schema: documentSchema } } };

const uploadRoute = defineRoute({
  method: 'post',
  path: DOCUMENTS_PATH,
  summary: 'Sube un documento para el asistente',
  description:
    'Guarda el archivo y encola su procesamiento (extraer, dividir, indexar): responde enseguida con el documento ' +
    'en estado PENDIENTE. El tipo se decide por el contenido. El tamaño máximo es AI.tamano_maximo_documento_mb.',
  tags: ['Documentos'],
  access: ['ADMIN'],
  request: { body: { required: true, content: { 'multipart/form-data': { schema: uploadForm } } } },
  responses: {
    200: {
      description: 'El mismo contenido ya estaba subido: el documento existente',
      content: { 'application/json': { schema: uploadResultSchema } },
    },
    202: {
      description: 'Documento guardado; se procesará en segundo plano',
      content: { 'application/json': { schema: uploadResultSchema } },
    },
    413: errorResponse('El archivo supera el tamaño máximo'),
  },
});

const listRoute = defineRoute({
  method: 'get',
  path: DOCUMENTS_PATH,
  summary: 'Lista los documentos',
  description: 'Los más recientes primero.',
  tags: ['Documentos'],
  access: ['ADMIN', 'ANALISTA'],
  request: { query: listQuery },
  responses: {
    200: {
      description: 'Los documentos que cumplen los filtros',
      content: { 'application/json': { schema: z.object({ documentos: z.array(documentSchema) }) } },
    },
  },
});

const getRoute = defineRoute({
  method: 'get',
  path: `${DOCUMENTS_PATH}/{id}`,
  summary: 'Un documento con su estado de procesamiento',
  tags: ['Documentos'],
  access: ['ADMIN', 'ANALISTA'],
  request: { params: idParams },
  responses: {
    200: { description: 'El documento', ...documentContent },
    404: errorResponse('No existe el documento'),
  },
});

const updateRoute = defineRoute({
  method: 'patch',
  path: `${DOCUMENTS_PATH}/{id}`,
  summary: 'Edita el título, la descripción o si el documento está activo',
  description: 'Un documento inactivo no aparece en las búsquedas ni en las respuestas del asistente.',
  tags: ['Documentos'],
  access: ['ADMIN'],
  request: {
    params: idParams,
    body: { required: true, content: { 'application/json': { schema: documentChanges } } },
  },
  responses: {
    200: { description: 'El documento editado', ...documentContent },
    404: errorResponse('No existe el documento'),
    409: errorResponse('El documento cambió desde que se leyó (actualizado_en)'),
  },
});

const reprocessRoute = defineRoute({
  method: 'post',
  path: `${DOCUMENTS_PATH}/{id}/reprocesar`,
  summary: 'Vuelve a procesar un documento',
  description: 'Sus pasajes actuales siguen disponibles hasta que el nuevo procesamiento los reemplaza.',
  tags: ['Documentos'],
  access: ['ADMIN'],
  request: { params: idParams },
  responses: {
    202: { description: 'Documento en cola, en estado PENDIENTE', ...documentContent },
    404: errorResponse('No existe el documento'),
  },
});

const deleteRoute = defineRoute({
  method: 'delete',
  path: `${DOCUMENTS_PATH}/{id}`,
  summary: 'Elimina un documento, sus pasajes y su archivo',
  tags: ['Documentos'],
  access: ['ADMIN'],
  request: { params: idParams },
  responses: {
    200: {
      description: 'Documento eliminado',
      content: { 'application/json': { schema: z.object({ eliminado: z.number().int() }) } },
    },
    404: errorResponse('No existe el documento'),
  },
});

const searchRoute = defineRoute({
  method: 'post',
  path: `${DOCUMENTS_PATH}/buscar`,
  summary: 'Busca pasajes en los documentos activos',
  description: 'Búsqueda híbrida (similitud de embeddings y texto completo) sobre los documentos procesados y activos.',
  tags: ['Documentos'],
  access: ['ADMIN', 'ANALISTA'],
  request: { body: { required: true, content: { 'application/json': { schema: searchRequest } } } },
  responses: {
    200: {
      description: 'Los pasajes más relevantes, el mejor primero',
      content: { 'application/json': { schema: z.object({ resultados: z.array(searchResultSchema) }) } },
    },
  },
});

/** `/documentos`: upload, list, get, edit, reprocess, delete (ADMIN manages; ANALISTA reads and searches). */
export function registerDocumentRoutes(app: OpenAPIHono<AppEnv>, deps: DocumentRouteDeps): void {
  // The upload's own limit runs after authorization: no body is read for a caller who may not upload.
  app.openapi({ ...uploadRoute, middleware: [uploadRoute.middleware, guardUpload] }, async (c) => {
    const { archivo, titulo, descripcion } = c.req.valid('form');
    const result = await uploadDocument(
      { db: c.var.db, dataDir: c.var.config.dataDir, queue: deps.queue },
      {
        bytes: new Uint8Array(await archivo.arrayBuffer()),
        nombreArchivo: archivo.name,
        titulo,
        descripcion,
        usuarioId: c.var.session.user.id,
      },
    );
    return result.duplicado ? c.json(result, 200) : c.json(result, 202);
  });

  app.openapi(listRoute, async (c) => {
    const { limite, desplazamiento, ...filter } = c.req.valid('query');
    const documentos = await listDocuments(c.var.db, { ...filter, limit: limite, offset: desplazamiento });
    return c.json({ documentos }, 200);
  });

  app.openapi(searchRoute, async (c) => {
    const { pregunta, k, modo } = c.req.valid('json');
    const resultados = await searchDocuments(c.var.db, await deps.embeddings(), pregunta, { k, mode: modo });
    return c.json({ resultados }, 200);
  });

  app.openapi(getRoute, async (c) => c.json(await getDocument(c.var.db, c.req.valid('param').id), 200));

  app.openapi(updateRoute, async (c) => {
    const { actualizado_en: actualizadoEn, ...changes } = c.req.valid('json');
    return c.json(await updateDocument(c.var.db, c.req.valid('param').id, changes, actualizadoEn), 200);
  });

  app.openapi(reprocessRoute, async (c) =>
    c.json(await reprocessDocument(c.var.db, deps.queue, c.req.valid('param').id), 202),
  );

  app.openapi(deleteRoute, async (c) => {
    const { id } = c.req.valid('param');
    await deleteDocument(c.var.db, c.var.config.dataDir, id);
    return c.json({ eliminado: id }, 200);
  });
}
