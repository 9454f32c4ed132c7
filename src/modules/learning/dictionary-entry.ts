import type { Queryable } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { foldText } from '../embeddings/index.ts';

/** What an entry of `ai_diccionario_semantico` says (everything but ids, authors and timestamps). */
export interface DictionaryContent {
  palabra: string;
  definicion: string;
  categoria: string | null;
  tabla_relacionada: string | null;
  campo_relacionado: string | null;
  /** The value of `tabla.campo` the word stands for ("préstamo vivo" → APROBADO). */
  valor: string | null;
  condicion_sql: string | null;
  expresion_sql: string | null;
  sinonimos: string[];
  ejemplos_uso: string[];
  activo: boolean;
}

/** A stored entry with who wrote and last edited it. */
export interface DictionaryRecord extends DictionaryContent {
  id: number;
  creado_por: number | null;
  /** The creator's email (a `cli:<login>` operator has no account, only this). */
  creado_por_email: string | null;
  actualizado_por: number | null;
  actualizado_por_email: string | null;
  creado_en: Date;
  actualizado_en: Date;
}

/** The content fields, in the order an export writes them. */
export const CONTENT_FIELDS = [
  'palabra',
  'definicion',
  'categoria',
  'tabla_relacionada',
  'campo_relacionado',
  'valor',
  'condicion_sql',
  'expresion_sql',
  'sinonimos',
  'ejemplos_uso',
  'activo',
] as const satisfies readonly (keyof DictionaryContent)[];

// Emails come from the account, or from the change history for an operator without one.
const RECORD_COLUMNS = `
  d.id, d.palabra, d.definicion, d.categoria, d.tabla_relacionada, d.campo_relacionado, d.valor,
  d.condicion_sql, d.expresion_sql, d.sinonimos, d.ejemplos_uso, d.activo,
  d.creado_por,
  coalesce(cu.email, (SELECT h.usuario_email FROM ai_historial_cambios h
                       WHERE h.entidad = 'diccionario' AND h.registro_id = d.id
                       ORDER BY h.creado_en, h.id LIMIT 1)) AS creado_por_email,
  d.actualizado_por,
  coalesce((SELECT h.usuario_email FROM ai_historial_cambios h
             WHERE h.entidad = 'diccionario' AND h.registro_id = d.id
             ORDER BY h.creado_en DESC, h.id DESC LIMIT 1), uu.email) AS actualizado_por_email,
  d.creado_en, d.actualizado_en`;

/** `SELECT` of full records; append a WHERE / ORDER BY. */
export const RECORD_SELECT = `SELECT ${RECORD_COLUMNS}
  FROM ai_diccionario_semantico d
  LEFT JOIN users cu ON cu.id = d.creado_por
  LEFT JOIN users uu ON uu.id = d.actualizado_por`;

/** The key an entry's word is unique by: lower case, no accents, single spaces. */
export function termKey(text: string): string {
  return foldText(text).replace(/\s+/g, ' ').trim();
}

/** SQL expression of the same key (the unique index is on `lower(rc_sin_acentos(palabra))`). */
export const PALABRA_KEY_SQL = 'lower(rc_sin_acentos(d.palabra))';

/** Trims, collapses spaces, drops empties, duplicates (ignoring case and accents) and the entry's own word. */
export function cleanTerms(items: readonly string[], palabra: string): string[] {
  const seen = new Set([termKey(palabra)]);
  const kept: string[] = [];
  for (const item of items) {
    const text = item.replace(/\s+/g, ' ').trim();
    const key = termKey(text);
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    kept.push(text);
  }
  return kept;
}

/** The content of a record, in export order. */
export function contentOf(entry: DictionaryContent): DictionaryContent {
  return {
    palabra: entry.palabra,
    definicion: entry.definicion,
    categoria: entry.categoria,
    tabla_relacionada: entry.tabla_relacionada,
    campo_relacionado: entry.campo_relacionado,
    valor: entry.valor,
    condicion_sql: entry.condicion_sql,
    expresion_sql: entry.expresion_sql,
    sinonimos: [...entry.sinonimos],
    ejemplos_uso: [...entry.ejemplos_uso],
    activo: entry.activo,
  };
}

/** True when two contents say the same (lists compared after cleaning, as they would be saved). */
export function sameContent(a: DictionaryContent, b: DictionaryContent): boolean {
  const normal = (entry: DictionaryContent) =>
    JSON.stringify({
      ...contentOf(entry),
      sinonimos: cleanTerms(entry.sinonimos, entry.palabra),
      ejemplos_uso: cleanTerms(entry.ejemplos_uso, ''),
    });
  return normal(a) === normal(b);
}

/**
 * The entry `id`, or NOT_FOUND. `lock` (inside a transaction) takes the row lock first, in its own
 * statement: the read that follows starts after any edit it waited for, so it sees that edit.
 */
export async function readRecord(db: Queryable, id: number, lock = false): Promise<DictionaryRecord> {
  if (lock) await db.query('SELECT id FROM ai_diccionario_semantico WHERE id = $1 FOR UPDATE', [id]);
  const { rows } = await db.query<DictionaryRecord>(`${RECORD_SELECT} WHERE d.id = $1`, [id]);
  const record = rows[0];
  if (!record) throw new AppError('NOT_FOUND', `No existe la entrada ${id} del diccionario.`);
  return record;
}

/** Fails with CONFLICT when the entry changed after the client read it (`actualizado_en` as it read it). */
export function assertUnchanged(record: DictionaryRecord, actualizadoEn: string | undefined): void {
  if (actualizadoEn === undefined) return;
  const read = Date.parse(actualizadoEn);
  if (Number.isNaN(read)) {
    throw new AppError('INVALID_INPUT', `actualizado_en debe ser una fecha ISO 8601 (se recibió «${actualizadoEn}»).`);
  }
  if (read === record.actualizado_en.getTime()) return;
  const who = record.actualizado_por_email ? ` (${record.actualizado_por_email})` : '';
  throw new AppError(
    'CONFLICT',
    `La entrada «${record.palabra}» fue modificada por otro usuario${who} el ${record.actualizado_en.toISOString()}; vuelva a cargarla.`,
  );
}

/** NOT_FOUND unless the rating `id` exists (an edit made while reviewing it is linked to it). */
export async function assertRatingExists(db: Queryable, id: number | undefined): Promise<void> {
  if (id === undefined) return;
  const { rows } = await db.query('SELECT 1 FROM ai_calificaciones_chat WHERE id = $1', [id]);
  if (rows.length === 0) throw new AppError('NOT_FOUND', `No existe la calificación ${id}.`);
}
