import type { Database } from '../../db/database.ts';
import { AppError, isAppError } from '../../errors.ts';
import { requireAdmin, type Actor } from './actor.ts';
import { recordChange } from './change-log.ts';
import { contentOf, sameContent, type DictionaryContent } from './dictionary-entry.ts';
import { importEntryInput } from './dictionary-input.ts';
import { addedTerms, describeConflicts, indexEntry, loadTermIndex, termConflicts } from './dictionary-terms.ts';
import { insertEntry, updateEntryRow } from './dictionary.ts';
import { validateContent, type ValidationCache } from './dictionary-validation.ts';

/** Most entries one import may carry. */
export const MAX_IMPORT_ENTRIES = 5000;
/** Most item errors reported (the rest are counted). */
const MAX_REPORTED_PROBLEMS = 20;

/** What an import did. */
export interface ImportResult {
  total: number;
  creadas: number;
  actualizadas: number;
  sin_cambios: number;
}

/** Why one item of an import was refused (`posicion` counts from 1). */
export interface ImportProblem {
  posicion: number;
  palabra: string | null;
  mensaje: string;
}

interface Existing extends DictionaryContent {
  id: number;
  clave: string;
  actualizado_en: Date;
}

interface Planned {
  posicion: number;
  content: DictionaryContent;
  existing: Existing | undefined;
}

function itemsOf(input: unknown): unknown[] {
  if (Array.isArray(input)) return input;
  const entradas = (input as { entradas?: unknown } | null)?.entradas;
  if (typeof input === 'object' && input !== null && Array.isArray(entradas)) return entradas;
  throw new AppError('INVALID_INPUT', 'La importación debe ser una lista de entradas o un objeto {"entradas": [...]}.');
}

const palabraOf = (item: unknown): string | null => {
  const palabra = (item as { palabra?: unknown } | null)?.palabra;
  return typeof palabra === 'string' ? palabra.trim() : null;
};

function refuse(problems: ImportProblem[], total: number): never {
  problems.sort((a, b) => a.posicion - b.posicion);
  const shown = problems.slice(0, MAX_REPORTED_PROBLEMS);
  const more = problems.length - shown.length;
  const list = shown
    .map(
      (problem) =>
        `entrada ${problem.posicion}${problem.palabra ? ` «${problem.palabra}»` : ''}: ${problem.mensaje.replace(/\.$/, '')}`,
    )
    .join('; ');
  throw new AppError(
    'INVALID_INPUT',
    `La importación no se guardó (no cambió nada): ${problems.length} de ${total} entradas tienen errores. ${list}${more > 0 ? `; y ${more} más` : ''}.`,
    { details: shown },
  );
}

/** Keys exactly as the unique index computes them, so an import matches what the database would refuse. */
async function keysOf(db: Database, words: string[]): Promise<string[]> {
  const { rows } = await db.query<{ clave: string }>(
    'SELECT lower(rc_sin_acentos(palabra)) AS clave FROM unnest($1::text[]) WITH ORDINALITY AS t(palabra, n) ORDER BY n',
    [words],
  );
  return rows.map((row) => row.clave);
}

/** Parses and validates every item (outside the write transaction); collects every problem. */
async function plan(db: Database, items: unknown[]) {
  const problems: ImportProblem[] = [];
  const parsed: { posicion: number; content: DictionaryContent }[] = [];
  items.forEach((item, index) => {
    const result = importEntryInput.safeParse(item);
    if (result.success) parsed.push({ posicion: index + 1, content: result.data });
    else {
      const mensaje = result.error.issues
        .map((issue) => `${issue.path.join('.') || 'entrada'}: ${issue.message}`)
        .join('; ');
      problems.push({ posicion: index + 1, palabra: palabraOf(item), mensaje });
    }
  });
  const { rows } = await db.query<Existing>(
    `SELECT id, lower(rc_sin_acentos(palabra)) AS clave, palabra, definicion, categoria, tabla_relacionada,
            campo_relacionado, valor, condicion_sql, expresion_sql, sinonimos, ejemplos_uso, activo, actualizado_en
       FROM ai_diccionario_semantico`,
  );
  const existing = new Map(rows.map((row) => [row.clave, row]));
  const keys = await keysOf(
    db,
    parsed.map((item) => item.content.palabra),
  );
  const seen = new Map<string, number>();
  const planned: Planned[] = [];
  let unchanged = 0;
  const cache: ValidationCache = {};
  for (const [index, item] of parsed.entries()) {
    const key = keys[index] ?? '';
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({
        posicion: item.posicion,
        palabra: item.content.palabra,
        mensaje: `repite la palabra de la entrada ${first}`,
      });
      continue;
    }
    seen.set(key, item.posicion);
    const current = existing.get(key);
    if (current && sameContent(contentOf(current), item.content)) {
      unchanged++;
      continue;
    }
    try {
      const content = await validateContent(db, item.content, cache);
      // A value written another way ("aprobado") may become exactly what is stored ("APROBADO").
      if (current && sameContent(contentOf(current), content)) {
        unchanged++;
        continue;
      }
      planned.push({ posicion: item.posicion, content, existing: current });
    } catch (error) {
      if (!isAppError(error) || error.code !== 'INVALID_INPUT') throw error;
      problems.push({ posicion: item.posicion, palabra: item.content.palabra, mensaje: error.message });
    }
  }
  return { problems, planned, unchanged };
}

/**
 * Imports entries (administrators only) in the export's format: an array, or `{entradas: [...]}`.
 * Each is matched to a stored entry by its word ignoring case and accents and created or replaced;
 * all in one transaction, so one invalid item saves nothing and the error lists every bad item.
 */
export async function importDictionary(options: { db: Database; actor: Actor; input: unknown }): Promise<ImportResult> {
  const { db, actor } = options;
  requireAdmin(actor);
  const items = itemsOf(options.input);
  if (items.length > MAX_IMPORT_ENTRIES) {
    throw new AppError(
      'INVALID_INPUT',
      `La importación admite como máximo ${MAX_IMPORT_ENTRIES} entradas; se recibieron ${items.length}.`,
    );
  }
  const { problems, planned, unchanged } = await plan(db, items);
  return db
    .transaction(async (tx) => {
      // The words of the dictionary as it will be after the import, to check new synonyms against.
      const replaced = planned.flatMap((item) => (item.existing ? [item.existing.id] : []));
      const index = await loadTermIndex(tx, replaced);
      for (const item of planned) {
        if (item.content.activo)
          indexEntry(index, item.existing?.id ?? null, item.content.palabra, item.content.sinonimos);
      }
      for (const item of planned) {
        const self = { id: item.existing?.id ?? null, palabra: item.content.palabra };
        const conflicts = termConflicts(
          index,
          self,
          addedTerms(item.existing?.sinonimos ?? null, item.content.sinonimos),
        );
        if (conflicts.length > 0) {
          problems.push({
            posicion: item.posicion,
            palabra: item.content.palabra,
            mensaje: describeConflicts(conflicts),
          });
        }
      }
      if (problems.length > 0) refuse(problems, items.length);
      const { rows: locked } = await tx.query<{ id: number; actualizado_en: Date }>(
        'SELECT id, actualizado_en FROM ai_diccionario_semantico WHERE id = ANY($1::int[]) FOR UPDATE',
        [replaced],
      );
      const lockedAt = new Map(locked.map((row) => [row.id, row.actualizado_en.getTime()]));
      let creadas = 0;
      let actualizadas = 0;
      for (const item of planned) {
        const { existing, content } = item;
        if (existing && lockedAt.get(existing.id) !== existing.actualizado_en.getTime()) {
          throw new AppError(
            'CONFLICT',
            `Otro usuario modificó o eliminó «${existing.palabra}» durante la importación; no se guardó nada. Repita la importación.`,
          );
        }
        let id: number;
        if (existing) {
          id = existing.id;
          await updateEntryRow(tx, actor, id, content);
          actualizadas++;
        } else {
          id = await insertEntry(tx, actor, content);
          creadas++;
        }
        await recordChange(tx, actor, {
          entidad: 'diccionario',
          registroId: id,
          accion: 'importar',
          antes: existing ? contentOf(existing) : undefined,
          despues: content,
        });
      }
      return { total: items.length, creadas, actualizadas, sin_cambios: unchanged };
    })
    .catch((error: unknown) => {
      if ((error as { code?: unknown }).code === '23505') {
        throw new AppError(
          'CONFLICT',
          'Otro usuario creó una de estas palabras durante la importación; no se guardó nada. Repita la importación.',
          { cause: error },
        );
      }
      throw error;
    });
}
