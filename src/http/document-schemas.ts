import { z } from '@hono/zod-openapi';
import { timestamp, wholeNumber } from './schemas.ts';

const documentTypes = ['pdf', 'docx', 'txt', 'md', 'html'] as const;
const processingStates = ['PENDIENTE', 'PROCESANDO', 'PROCESADO', 'ERROR'] as const;
const searchModes = ['hibrido', 'vectorial', 'texto'] as const;

/** A document as the API shows it: metadata and processing state, never its full text. */
export const documentSchema = z
  .object({
    id: z.number().int(),
    titulo: z.string(),
    descripcion: z.string().nullable(),
    nombre_archivo: z.string(),
    tipo_archivo: z.enum(documentTypes),
    tamano_bytes: z.number().int(),
    hash_contenido: z.string().nullable(),
    activo: z.boolean(),
    contenido_procesado: z.boolean(),
    estado_procesamiento: z.enum(processingStates),
    error_procesamiento: z.string().nullable(),
    intentos_procesamiento: z.number().int(),
    paginas: z.number().int().nullable(),
    chunks: z.number().int(),
    creado_en: timestamp,
    actualizado_en: timestamp,
    procesado_en: timestamp.nullable(),
  })
  .openapi('Documento');

/** The multipart body of an upload. */
export const uploadForm = z.object({
  archivo: z
    .instanceof(File, { error: 'es obligatorio y debe ser un archivo' })
    .openapi({ type: 'string', format: 'binary', description: 'PDF, DOCX, TXT, Markdown o HTML' }),
  titulo: z
    .string({ error: 'debe ser texto' })
    .max(200, 'debe tener como máximo 200 caracteres')
    .optional()
    .openapi({ description: 'Por defecto, el nombre del archivo' }),
  descripcion: z.string({ error: 'debe ser texto' }).max(2000, 'debe tener como máximo 2000 caracteres').optional(),
});

/** What an upload answers: the document, and whether the same content had been uploaded before. */
export const uploadResultSchema = z.object({
  documento: documentSchema,
  duplicado: z.boolean().openapi({ description: 'true si el mismo contenido ya estaba subido' }),
});

/** Filters of `GET /documentos`. */
export const listQuery = z.object({
  activo: z
    .enum(['true', 'false'], { error: 'debe ser true o false' })
    .transform((value) => value === 'true')
    .optional(),
  estado: z.enum(processingStates, { error: `debe ser ${processingStates.join(', ')}` }).optional(),
  tipo: z.enum(documentTypes, { error: `debe ser ${documentTypes.join(', ')}` }).optional(),
  texto: z
    .string()
    .max(200, 'debe tener como máximo 200 caracteres')
    .optional()
    .openapi({ description: 'Palabras del título, la descripción o el nombre del archivo' }),
  limite: wholeNumber('el límite', 1, 500).optional().openapi({ type: 'integer', example: 100 }),
  desplazamiento: wholeNumber('el desplazamiento', 0, 1_000_000).optional().openapi({ type: 'integer', example: 0 }),
});

/** The editable fields of a document; `actualizado_en` turns on optimistic concurrency. */
export const documentChanges = z
  .object({
    titulo: z
      .string({ error: 'debe ser texto' })
      .trim()
      .min(1, 'no puede quedar vacío')
      .max(200, 'debe tener como máximo 200 caracteres')
      .optional(),
    descripcion: z
      .string({ error: 'debe ser texto' })
      .max(2000, 'debe tener como máximo 2000 caracteres')
      .nullable()
      .optional(),
    activo: z.boolean({ error: 'debe ser true o false' }).optional(),
    actualizado_en: z
      .string({ error: 'debe ser una fecha y hora' })
      .refine((value) => !Number.isNaN(Date.parse(value)), { error: 'no es una fecha y hora válida' })
      .optional()
      .openapi({
        format: 'date-time',
        description: 'El actualizado_en del documento tal como se leyó; si cambió desde entonces, responde 409',
      }),
  })
  .refine((changes) => ['titulo', 'descripcion', 'activo'].some((key) => key in changes), {
    error: 'indique al menos un cambio: titulo, descripcion o activo',
  });

/** The body of `POST /documentos/buscar`. */
export const searchRequest = z.object({
  pregunta: z
    .string({ error: 'es obligatoria' })
    .trim()
    .min(1, 'no puede estar vacía')
    .max(1000, 'debe tener como máximo 1000 caracteres'),
  k: z
    .number({ error: 'debe ser un número' })
    .int('debe ser un número entero')
    .min(1, 'debe estar entre 1 y 50')
    .max(50, 'debe estar entre 1 y 50')
    .default(5),
  modo: z.enum(searchModes, { error: `debe ser ${searchModes.join(', ')}` }).default('hibrido'),
});

/** One retrieved passage, with what a citation needs. */
export const searchResultSchema = z
  .object({
    documento_id: z.number().int(),
    titulo: z.string(),
    nombre_archivo: z.string(),
    chunk_index: z.number().int(),
    pagina: z.number().int().nullable().openapi({ description: 'Página donde empieza (solo PDF)' }),
    pagina_fin: z.number().int().nullable(),
    encabezados: z.string().openapi({ description: 'Ruta de encabezados del pasaje, p. ej. «Política > Alcance»' }),
    score: z.number(),
    texto: z.string(),
  })
  .openapi('ResultadoBusqueda');
