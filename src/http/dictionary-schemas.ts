import { z } from '@hono/zod-openapi';
import { MAX_IMPORT_ENTRIES } from '../modules/learning/index.ts';
import { timestamp, wholeNumber } from './schemas.ts';

const nullableText = z.string().nullable();

/** The content of an entry: what an export writes and an import reads. */
export const dictionaryContentSchema = z
  .object({
    palabra: z.string(),
    definicion: z.string(),
    categoria: nullableText.openapi({
      description:
        'Con significado para el motor: entidad, consulta, campo, filtro, metrica, seleccion; otras (crédito, cobranza, pagos…) son conceptos de política.',
    }),
    tabla_relacionada: nullableText,
    campo_relacionado: nullableText,
    valor: nullableText.openapi({ description: 'La palabra equivale a tabla.campo = valor' }),
    condicion_sql: nullableText,
    expresion_sql: nullableText,
    sinonimos: z.array(z.string()),
    ejemplos_uso: z.array(z.string()),
    activo: z.boolean(),
  })
  .openapi('ContenidoDiccionario');

/** An entry as the API shows it: its content, who wrote and edited it, and when. */
export const dictionaryEntrySchema = dictionaryContentSchema
  .extend({
    id: z.number().int(),
    creado_por: z.number().int().nullable(),
    creado_por_email: nullableText,
    actualizado_por: z.number().int().nullable(),
    actualizado_por_email: nullableText,
    creado_en: timestamp,
    actualizado_en: timestamp,
  })
  .openapi('EntradaDiccionario');

/** Filters of `GET /ai/diccionario`. */
export const dictionaryListQuery = z.object({
  categoria: z.string().max(40).optional().openapi({ example: 'filtro' }),
  tabla: z.string().max(63).optional().openapi({ example: 'prestamos' }),
  activo: z
    .enum(['true', 'false'], { error: 'debe ser true o false' })
    .transform((value) => value === 'true')
    .optional()
    .openapi({ type: 'boolean' }),
  texto: z
    .string()
    .max(120)
    .optional()
    .openapi({ description: 'Texto dentro de la palabra o de un sinónimo (sin distinguir acentos)' }),
  palabra: z
    .string()
    .max(120)
    .optional()
    .openapi({ description: 'La palabra o uno de sus sinónimos, exacta (sin distinguir mayúsculas ni acentos)' }),
  limite: wholeNumber('el límite', 1, 1000).optional().openapi({ type: 'integer', example: 100 }),
  desplazamiento: wholeNumber('el desplazamiento', 0, 1_000_000).optional().openapi({ type: 'integer', example: 0 }),
});

/** Query of `DELETE /ai/diccionario/{id}`. */
export const dictionaryRemoveQuery = z.object({
  actualizado_en: z
    .string()
    .refine((value) => !Number.isNaN(Date.parse(value)), 'debe ser una fecha ISO 8601')
    .optional()
    .openapi({ description: 'El actualizado_en que leyó el cliente: si la entrada cambió después, 409' }),
  calificacion_id: wholeNumber('la calificación', 1, 2_147_483_647).optional().openapi({ type: 'integer' }),
});

/** The body of `POST /ai/diccionario/importar`: the export's array, or `{entradas: [...]}`. */
export const dictionaryImportBody = z
  .union([z.array(z.unknown()), z.object({ entradas: z.array(z.unknown()) })], {
    error: 'debe ser una lista de entradas o un objeto {"entradas": [...]}',
  })
  .openapi('ImportacionDiccionario', {
    description: `Hasta ${MAX_IMPORT_ENTRIES} entradas con el formato de la exportación.`,
  });

/** What an import did. */
export const dictionaryImportResult = z
  .object({
    total: z.number().int(),
    creadas: z.number().int(),
    actualizadas: z.number().int(),
    sin_cambios: z.number().int(),
  })
  .openapi('ResultadoImportacion');

const proposalSchema = dictionaryContentSchema.omit({ palabra: true, activo: true });

/** A proposal of "Mejorar con IA" (nothing is saved). */
export const improvementSchema = z
  .object({
    entrada_id: z.number().int().nullable(),
    palabra: z.string(),
    propuesta: proposalSchema.nullable(),
    valida: z.boolean().openapi({ description: 'La propuesta pasó las mismas validaciones que al guardar' }),
    problemas: z.array(z.string()),
    pregunta_aclaratoria: nullableText,
    explicacion: z.string(),
    modelo: z.string(),
    tokens_usados: z.number().int(),
  })
  .openapi('MejoraDiccionario');
