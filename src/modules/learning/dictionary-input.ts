import { z } from 'zod';
import { cleanTerms } from './dictionary-entry.ts';

/** Longest word or phrase an entry may name. */
export const MAX_PALABRA_LENGTH = 120;

const singleSpaced = (text: string) => text.replace(/\s+/g, ' ');

const palabra = z
  .string({ error: 'es obligatoria y debe ser texto' })
  .transform(singleSpaced)
  .pipe(
    z
      .string()
      .trim()
      .min(1, 'no puede estar vacía')
      .max(MAX_PALABRA_LENGTH, `debe tener como máximo ${MAX_PALABRA_LENGTH} caracteres`),
  );

const definicion = z
  .string({ error: 'es obligatoria y debe ser texto' })
  .trim()
  .min(1, 'no puede estar vacía')
  .max(2000, 'debe tener como máximo 2000 caracteres');

/** Optional text: null, or trimmed text where "" also means null. */
const optionalText = (max: number) =>
  z
    .string({ error: 'debe ser texto o null' })
    .trim()
    .max(max, `debe tener como máximo ${max} caracteres`)
    .nullable()
    .transform((value) => value || null);

const identifier = z
  .string({ error: 'debe ser texto o null' })
  .trim()
  .toLowerCase()
  .max(63, 'debe tener como máximo 63 caracteres')
  .nullable()
  .transform((value) => value || null);

const categoria = z
  .string({ error: 'debe ser texto o null' })
  .trim()
  .toLowerCase()
  .max(40, 'debe tener como máximo 40 caracteres')
  .refine((value) => /^[\p{L}\p{N} _-]*$/u.test(value), 'solo puede tener letras, números, espacios, «-» y «_»')
  .nullable()
  .transform((value) => value || null);

const termList = (max: number, each: number, what: string) =>
  z
    .array(
      z
        .string({ error: 'debe ser texto' })
        .trim()
        .min(1, 'no puede estar vacío')
        .max(each, `debe tener como máximo ${each} caracteres`),
      { error: `debe ser una lista de ${what}` },
    )
    .max(max, `admite como máximo ${max} elementos`);

const contentShape = {
  palabra,
  definicion,
  categoria: categoria.optional(),
  tabla_relacionada: identifier.optional(),
  campo_relacionado: identifier.optional(),
  valor: optionalText(200).optional(),
  condicion_sql: optionalText(4000).optional(),
  expresion_sql: optionalText(4000).optional(),
  sinonimos: termList(200, MAX_PALABRA_LENGTH, 'textos').optional(),
  ejemplos_uso: termList(50, 500, 'textos').optional(),
  activo: z.boolean({ error: 'debe ser true o false' }).optional(),
};

const unknownKeys = {
  error: (issue: { code?: string; keys?: string[] }) =>
    issue.code === 'unrecognized_keys' ? `campos desconocidos: ${(issue.keys ?? []).join(', ')}` : undefined,
};

type ParsedContent = z.output<z.ZodObject<typeof contentShape>>;

/** Fills the optional fields and cleans the lists as they are stored. */
function complete(data: ParsedContent) {
  return {
    palabra: data.palabra,
    definicion: data.definicion,
    categoria: data.categoria ?? null,
    tabla_relacionada: data.tabla_relacionada ?? null,
    campo_relacionado: data.campo_relacionado ?? null,
    valor: data.valor ?? null,
    condicion_sql: data.condicion_sql ?? null,
    expresion_sql: data.expresion_sql ?? null,
    sinonimos: cleanTerms(data.sinonimos ?? [], data.palabra),
    ejemplos_uso: cleanTerms(data.ejemplos_uso ?? [], ''),
    activo: data.activo ?? true,
  };
}

/** The rating under review that led to an edit (linked in the change history). */
export const ratingId = z
  .number({ error: 'debe ser un número entero' })
  .int('debe ser un número entero')
  .min(1, 'debe ser mayor que 0')
  .max(2_147_483_647, 'es demasiado grande');

/** A new entry as the API receives it: palabra and definicion required. */
export const createEntryFields = z.strictObject({ ...contentShape, calificacion_id: ratingId.optional() }, unknownKeys);

/** A new entry with the optional fields filled (empty) and the lists cleaned. */
export const createEntryInput = createEntryFields.transform((data) => ({
  content: complete(data),
  calificacionId: data.calificacion_id,
}));

/** A complete content (an edit merged over the stored entry), checked by the same rules. */
export const contentInput = z.strictObject(contentShape, unknownKeys).transform(complete);

/** One entry of an import file (fields other than the content, such as ids, are ignored). */
export const importEntryInput = z.object(contentShape).transform(complete);

/** A partial edit; `actualizado_en` is the value the client read (stale → CONFLICT). */
export const updateEntryFields = z
  .strictObject(
    {
      ...contentShape,
      palabra: palabra.optional(),
      definicion: definicion.optional(),
      actualizado_en: z
        .string({ error: 'debe ser una fecha ISO 8601' })
        .refine((value) => !Number.isNaN(Date.parse(value)), 'debe ser una fecha ISO 8601')
        .optional(),
      calificacion_id: ratingId.optional(),
    },
    unknownKeys,
  )
  .refine((data) => Object.keys(data).some((key) => key !== 'actualizado_en' && key !== 'calificacion_id'), {
    error: 'indique al menos un campo a cambiar',
  });

/** The edit split into the changed fields, the version read and the linked rating. */
export const updateEntryInput = updateEntryFields.transform(({ actualizado_en, calificacion_id, ...changes }) => ({
  changes,
  actualizadoEn: actualizado_en,
  calificacionId: calificacion_id,
}));

/** One synonym to add. */
export const synonymFields = z.strictObject(
  {
    sinonimo: z
      .string({ error: 'es obligatorio y debe ser texto' })
      .transform(singleSpaced)
      .pipe(
        z
          .string()
          .trim()
          .min(1, 'no puede estar vacío')
          .max(MAX_PALABRA_LENGTH, `debe tener como máximo ${MAX_PALABRA_LENGTH} caracteres`),
      ),
    calificacion_id: ratingId.optional(),
  },
  unknownKeys,
);

export type CreateEntryInput = z.input<typeof createEntryFields>;
export type UpdateEntryInput = z.input<typeof updateEntryFields>;
export type SynonymInput = z.input<typeof synonymFields>;
