import { z } from 'zod';
import { maskValue } from './mask-value.ts';

/** A table or column name. */
export const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

const identifier = (what: string) =>
  z
    .string({ error: `es obligatorio y debe ser el nombre de una ${what}` })
    .trim()
    .toLowerCase()
    .regex(IDENTIFIER, `debe ser el nombre de una ${what} (letras minúsculas, números y «_»)`);

const definicion = z
  .string({ error: 'es obligatoria y debe ser texto' })
  .trim()
  .min(1, 'no puede estar vacía')
  .max(2000, 'debe tener como máximo 2000 caracteres');

const notas = z
  .string({ error: 'debe ser texto o null' })
  .trim()
  .max(2000, 'debe tener como máximo 2000 caracteres')
  .nullable()
  .transform((value) => value || null);

const textList = (max: number, each: number) =>
  z
    .array(
      z
        .string({ error: 'debe ser texto' })
        .trim()
        .min(1, 'no puede estar vacío')
        .max(each, `debe tener como máximo ${each} caracteres`),
      { error: 'debe ser una lista de textos' },
    )
    .max(max, `admite como máximo ${max} elementos`);

const flag = z.boolean({ error: 'debe ser true o false' });

const ratingId = z
  .number({ error: 'debe ser un número entero' })
  .int('debe ser un número entero')
  .min(1, 'debe ser mayor que 0')
  .max(2_147_483_647, 'es demasiado grande');

const readTimestamp = z
  .string({ error: 'debe ser una fecha ISO 8601' })
  .refine((value) => !Number.isNaN(Date.parse(value)), 'debe ser una fecha ISO 8601');

/** Fields read from the database by the sync; a body that sends them is refused. */
const TECHNICAL_FIELDS = new Set([
  'tipo_dato',
  'es_obligatorio',
  'tiene_indice',
  'es_clave_foranea',
  'tabla_referenciada',
  'campo_referenciado',
  'sincronizado_en',
]);

const unknownKeys = {
  error: (issue: { code?: string; keys?: string[] }) => {
    if (issue.code !== 'unrecognized_keys') return undefined;
    const keys = issue.keys ?? [];
    const technical = keys.filter((key) => TECHNICAL_FIELDS.has(key));
    if (technical.length > 0) {
      return `${technical.join(', ')} no se edita a mano: se lee de la base de datos al sincronizar las definiciones`;
    }
    return `campos desconocidos: ${keys.join(', ')}`;
  },
};

const humanShape = {
  notas: notas.optional(),
  sinonimos: textList(200, 120).optional(),
  valores_posibles: textList(200, 200).optional(),
  ejemplos_valores: textList(20, 200).optional(),
  es_catalogo: flag.optional(),
  dato_personal: flag.optional(),
  activo: flag.optional(),
  /** The rating under review that led to this edit. */
  calificacion_id: ratingId.optional(),
};

/** A new definition: the column must exist and be readable; technical fields come from the database. */
export const createDefinitionInput = z.strictObject(
  { tabla: identifier('tabla'), campo: identifier('columna'), definicion, ...humanShape },
  unknownKeys,
);

/** An edit of the human fields; `actualizado_en` is the value the client read (stale → CONFLICT). */
export const updateDefinitionInput = z.strictObject(
  { definicion: definicion.optional(), ...humanShape, actualizado_en: readTimestamp.optional() },
  unknownKeys,
);

/** What a removal may carry: the `actualizado_en` the client read and the rating under review. */
export const removeDefinitionInput = z.strictObject(
  { actualizado_en: readTimestamp.optional(), calificacion_id: ratingId.optional() },
  unknownKeys,
);

/** Filters of the list; `texto` searches column, definition, notes and synonyms (any case, any accents). */
export const definitionFilter = z.object({
  tabla: identifier('tabla').optional(),
  activo: flag.optional(),
  texto: z.string({ error: 'debe ser texto' }).trim().max(200, 'debe tener como máximo 200 caracteres').optional(),
});

export type CreateDefinitionInput = z.input<typeof createDefinitionInput>;
export type UpdateDefinitionInput = z.input<typeof updateDefinitionInput>;
export type DefinitionFilter = z.input<typeof definitionFilter>;
export type RemoveDefinitionInput = z.input<typeof removeDefinitionInput>;

const fold = (text: string): string =>
  text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();

/** Trims, collapses spaces and drops empties and duplicates (ignoring case and accents), keeping the first. */
export function cleanList(items: readonly string[]): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const item of items) {
    const text = item.replace(/\s+/g, ' ').trim();
    const key = fold(text);
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    kept.push(text);
  }
  return kept;
}

/** Exact duplicates dropped (values such as EN_REVISION and en_revision are different values). */
export const distinct = (items: readonly string[]): string[] => [...new Set(items.map((item) => item.trim()))];

/** Examples of personal data as stored: masked, without repeats. */
export const maskAll = (items: readonly string[]): string[] => distinct(items.map(maskValue));
