import { z } from '@hono/zod-openapi';
import { timestamp, wholeNumber } from './schemas.ts';

/** A field definition (`ai_definiciones_campos`). */
export const definitionSchema = z
  .object({
    id: z.number().int(),
    tabla: z.string(),
    campo: z.string(),
    definicion: z.string().openapi({ description: 'Texto humano; vacío en las creadas por la sincronización' }),
    tipo_dato: z.string().nullable().openapi({ example: 'numeric(14,2)' }),
    es_obligatorio: z.boolean(),
    tiene_indice: z.boolean(),
    es_clave_foranea: z.boolean(),
    tabla_referenciada: z.string().nullable(),
    campo_referenciado: z.string().nullable(),
    valores_posibles: z.array(z.string()),
    ejemplos_valores: z.array(z.string()).openapi({ description: 'Enmascarados si dato_personal' }),
    sinonimos: z.array(z.string()),
    notas: z.string().nullable(),
    es_catalogo: z.boolean(),
    dato_personal: z.boolean(),
    activo: z.boolean(),
    sincronizado_en: timestamp.nullable(),
    creado_por: z.number().int().nullable(),
    actualizado_por: z.number().int().nullable(),
    actualizado_por_email: z.string().nullable(),
    creado_en: timestamp,
    actualizado_en: timestamp.openapi({ description: 'Envíelo al editar o eliminar para detectar cambios ajenos' }),
  })
  .openapi('DefinicionCampo');

/** `GET /ai/definiciones` filters. */
export const definitionListQuery = z.object({
  tabla: z.string().optional().openapi({ example: 'prestamos' }),
  texto: z.string().optional().openapi({ description: 'Busca en columna, definición, notas y sinónimos' }),
  activo: z
    .enum(['true', 'false'], { error: 'activo debe ser true o false' })
    .transform((value) => value === 'true')
    .optional(),
});

/** The list. */
export const definitionListSchema = z.object({
  total: z.number().int(),
  definiciones: z.array(definitionSchema),
});

/** `DELETE /ai/definiciones/{id}` options, in the query string. */
export const definitionRemoveQuery = z.object({
  actualizado_en: z.string().optional().openapi({ description: 'El actualizado_en que leyó el cliente' }),
  calificacion_id: wholeNumber('calificacion_id', 1, 2_147_483_647).optional(),
});

/** What a sync did. */
export const syncReportSchema = z
  .object({
    creadas: z.number().int(),
    actualizadas: z.number().int(),
    sin_cambios: z.number().int(),
    campos_creados: z.array(z.string()),
    campos_actualizados: z.array(z.string()),
    sin_definicion: z.array(z.string()).openapi({ description: 'Definiciones activas aún sin texto humano' }),
    sin_columna: z.array(z.string()).openapi({ description: 'Definiciones cuya columna ya no existe' }),
    tiempo_ms: z.number().int(),
  })
  .openapi('SincronizacionDefiniciones');
