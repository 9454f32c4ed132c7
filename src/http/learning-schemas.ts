import { z } from '@hono/zod-openapi';
import { MAX_FEEDBACK_LENGTH } from '../modules/learning/index.ts';
import { date, positiveId, timestamp, wholeNumber } from './schemas.ts';

const thumb = z.enum(['arriba', 'abajo'], { error: 'debe ser «arriba» o «abajo»' });
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'debe ser una fecha AAAA-MM-DD' });
const yesNo = (name: string) =>
  z.enum(['true', 'false'], { error: `${name} debe ser true o false` }).transform((value) => value === 'true');

/** The body of `POST /ai/conversaciones/{id}/calificacion`. */
export const ratingRequest = z
  .object({
    estrellas: z
      .number({ error: 'debe ser un número entero del 1 al 5' })
      .int('debe ser un número entero del 1 al 5')
      .min(1, 'debe ser un número entero del 1 al 5')
      .max(5, 'debe ser un número entero del 1 al 5')
      .optional(),
    pulgar: thumb.optional(),
    feedback: z
      .string({ error: 'debe ser texto' })
      .max(MAX_FEEDBACK_LENGTH, `debe tener como máximo ${MAX_FEEDBACK_LENGTH} caracteres`)
      .optional(),
  })
  .openapi('Calificar', { example: { estrellas: 1, feedback: 'No entendió «préstamos vivos».' } });

/** A rating as the API shows it. */
export const ratingSchema = z
  .object({
    id: z.number().int(),
    conversacion_id: z.number().int(),
    pregunta: z.string(),
    respuesta_ai: z.string(),
    calificacion: thumb,
    estrellas: z.number().int().nullable(),
    feedback: z.string().nullable(),
    usuario_id: z.number().int().nullable(),
    usuario_email: z.string().nullable(),
    procesado: z.boolean(),
    notas_procesamiento: z.string().nullable(),
    mejorado: z.boolean(),
    procesado_por: z.number().int().nullable(),
    procesado_en: timestamp.nullable(),
    reintento: z.unknown(),
    creado_en: timestamp,
    actualizado_en: timestamp,
  })
  .openapi('Calificacion');

/** One item of the review queue: the rating, the answer's evidence and any correction. */
export const reviewItemSchema = z
  .object({
    calificacion: ratingSchema,
    conversacion: z.object({
      conversacion_id: z.number().int(),
      hilo_id: z.number().int().nullable(),
      pregunta: z.string(),
      respuesta: z.string(),
      ruta: z.string().nullable(),
      motor: z.string().nullable(),
      modelo_usado: z.string().nullable(),
      sql: z.string().nullable(),
      parametros: z.array(z.unknown()),
      filas: z.number().int(),
      columnas: z.array(z.string()),
      muestra_filas: z.array(z.array(z.unknown())),
      pasajes: z.array(
        z.object({
          chunk_id: z.number().int(),
          documento_id: z.number().int(),
          titulo: z.string(),
          chunk_index: z.number().int(),
          texto: z.string(),
        }),
      ),
      terminos_diccionario: z.array(z.string()),
      no_entendidas: z.array(z.string()),
      estrellas: z.number().int().nullable(),
      feedback: z.string().nullable(),
      usuario_id: z.number().int().nullable(),
      creado_en: timestamp,
    }),
    ejemplo_verificado: z
      .object({
        id: z.number().int(),
        sql_corregido: z.string().nullable(),
        respuesta_corregida: z.string().nullable(),
      })
      .nullable(),
  })
  .openapi('ElementoRevision');

/** Filters of the review queue. */
export const reviewQuery = z.object({
  pendientes: yesNo('pendientes').optional().openapi({ type: 'boolean', description: 'Pulgares abajo sin procesar' }),
  calificacion: thumb.optional(),
  procesado: yesNo('procesado').optional().openapi({ type: 'boolean' }),
  estrellas_max: wholeNumber('estrellas_max', 1, 5).optional().openapi({ type: 'integer' }),
  desde: isoDate.optional().openapi({ format: 'date' }),
  hasta: isoDate.optional().openapi({ format: 'date' }),
  limite: wholeNumber('el límite', 1, 200).optional().openapi({ type: 'integer', example: 50 }),
  desplazamiento: wholeNumber('el desplazamiento', 0, 1_000_000).optional().openapi({ type: 'integer' }),
});

const snapshot = z.object({
  respuesta: z.string(),
  ruta: z.string().nullable(),
  sql: z.string().nullable(),
  columnas: z.array(z.string()),
  filas: z.array(z.array(z.unknown())),
  modelo: z.string().nullable(),
});

/** A re-asked question: before and after. */
export const reaskSchema = z
  .object({
    antes: snapshot,
    despues: snapshot,
    cambio: z.boolean(),
    reintentado_en: timestamp,
    reintentado_por: z.string(),
  })
  .openapi('Repregunta');

/** The body of `POST /ai/calificaciones/{id}/procesar`. */
export const processRequest = z
  .object({
    notas: z.string({ error: 'debe ser texto' }).max(2000, 'debe tener como máximo 2000 caracteres').optional(),
    aceptar: z
      .boolean({ error: 'debe ser true o false' })
      .optional()
      .openapi({ description: 'Acepta la respuesta repreguntada como la mejora (marca «mejorado»)' }),
  })
  .openapi('ProcesarCalificacion');

/** The body of `POST /ai/conversaciones/{id}/correccion`. */
export const correctionRequest = z
  .object({
    sql: z.string({ error: 'debe ser texto' }).max(20_000, 'es demasiado larga').optional(),
    respuesta: z.string({ error: 'debe ser texto' }).max(4000, 'debe tener como máximo 4000 caracteres').optional(),
    calificacion_id: positiveId.optional(),
  })
  .openapi('Correccion', {
    example: { sql: "SELECT count(*) AS prestamos FROM prestamos WHERE estado = 'APROBADO'", calificacion_id: 1 },
  });

/** A verified example. */
export const exampleSchema = z
  .object({
    id: z.number().int(),
    conversacion_id: z.number().int().nullable(),
    pregunta: z.string(),
    sql_corregido: z.string().nullable(),
    respuesta_corregida: z.string().nullable(),
    ruta: z.string(),
    activo: z.boolean(),
    creado_por: z.number().int().nullable(),
    actualizado_por: z.number().int().nullable(),
    creado_en: timestamp,
    actualizado_en: timestamp,
  })
  .openapi('EjemploVerificado');

/** The result of recording a correction. */
export const correctionSchema = z.object({
  ejemplo: exampleSchema,
  vista_previa: z
    .object({ columnas: z.array(z.string()), filas: z.array(z.array(z.unknown())), truncada: z.boolean() })
    .nullable(),
});

/** Query of the quality figures. */
export const statsQuery = z.object({
  desde: isoDate.optional().openapi({ format: 'date' }),
  hasta: isoDate.optional().openapi({ format: 'date' }),
  agrupar: z.enum(['dia', 'semana', 'mes'], { error: 'debe ser dia, semana o mes' }).optional(),
  top: wholeNumber('top', 1, 100).optional().openapi({ type: 'integer' }),
});

/** The quality dashboard's data. */
export const statsSchema = z
  .object({
    periodo: z.object({ desde: date, hasta: date, agrupar: z.string() }),
    conversaciones: z.number().int(),
    distribucion_estrellas: z.array(z.object({ estrellas: z.number().int(), total: z.number().int() })),
    sin_estrellas: z.number().int(),
    promedio_estrellas: z.number().nullable(),
    pulgares: z.object({ arriba: z.number().int(), abajo: z.number().int() }),
    evolucion: z.array(
      z.object({
        periodo: date,
        positivas: z.number().int(),
        negativas: z.number().int(),
        porcentaje_positivo: z.number().nullable(),
      }),
    ),
    preguntas_fallidas: z.array(
      z.object({ pregunta: z.string(), veces: z.number().int(), pendientes: z.number().int(), ultima: timestamp }),
    ),
    mejoras: z.object({
      negativas: z.number().int(),
      pendientes: z.number().int(),
      procesadas: z.number().int(),
      mejoradas: z.number().int(),
      tasa_mejora: z.number().nullable(),
      cambios: z.array(z.object({ entidad: z.string(), accion: z.string(), total: z.number().int() })),
      ejemplos_verificados: z.number().int(),
    }),
  })
  .openapi('EstadisticasCalidad');

/** Query of the change history. */
export const changesQuery = z.object({
  entidad: z
    .enum(['diccionario', 'definicion', 'ejemplo', 'calificacion'], {
      error: 'debe ser diccionario, definicion, ejemplo o calificacion',
    })
    .optional(),
  registro_id: wholeNumber('registro_id', 1, 2_147_483_647).optional().openapi({ type: 'integer' }),
  limite: wholeNumber('el límite', 1, 500).optional().openapi({ type: 'integer' }),
  desplazamiento: wholeNumber('el desplazamiento', 0, 1_000_000).optional().openapi({ type: 'integer' }),
});

/** One recorded edit. */
export const changeSchema = z
  .object({
    id: z.number().int(),
    entidad: z.string(),
    registro_id: z.number().int().nullable(),
    accion: z.string(),
    usuario_id: z.number().int().nullable(),
    usuario_email: z.string(),
    calificacion_id: z.number().int().nullable(),
    antes: z.unknown(),
    despues: z.unknown(),
    creado_en: timestamp,
  })
  .openapi('Cambio');
