import type { Database, Queryable } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { parseInput } from '../../validation.ts';
import { requireAdmin, type Actor } from './actor.ts';
import { recordChange } from './change-log.ts';
import {
  assertRatingExists,
  assertUnchanged,
  cleanTerms,
  contentOf,
  PALABRA_KEY_SQL,
  readRecord,
  RECORD_SELECT,
  sameContent,
  termKey,
  type DictionaryContent,
  type DictionaryRecord,
} from './dictionary-entry.ts';
import { contentInput, createEntryInput, synonymFields, updateEntryInput } from './dictionary-input.ts';
import { addedTerms, describeConflicts, loadTermIndex, termConflicts } from './dictionary-terms.ts';
import { validateContent } from './dictionary-validation.ts';

/** Filters of the dictionary list; words are matched ignoring case and accents. */
export interface DictionaryFilter {
  categoria?: string;
  tabla?: string;
  activo?: boolean;
  /** Text inside the palabra or a synonym. */
  texto?: string;
  /** The exact palabra or synonym (ignoring case and accents). */
  palabra?: string;
  limite?: number;
  desplazamiento?: number;
}

/** An edit by an administrator. */
interface EditOptions {
  db: Database;
  actor: Actor;
}

const UNIQUE_VIOLATION = '23505';
const MAX_ATTEMPTS = 3;

const singleSpaced = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Entries matching `filter`, ordered by word (ignoring accents), with the total before paging. */
export async function listDictionary(
  db: Queryable,
  filter: DictionaryFilter = {},
): Promise<{ total: number; entradas: DictionaryRecord[] }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replaceAll('?', `$${params.length}`));
  };
  if (filter.categoria?.trim()) add('d.categoria = ?', filter.categoria.trim().toLowerCase());
  if (filter.tabla?.trim()) add('d.tabla_relacionada = ?', filter.tabla.trim().toLowerCase());
  if (filter.activo !== undefined) add('d.activo = ?', filter.activo);
  if (filter.texto?.trim()) {
    add(
      `(strpos(rc_sin_acentos(d.palabra), rc_sin_acentos(?)) > 0
        OR strpos(rc_sin_acentos(d.sinonimos::text), rc_sin_acentos(?)) > 0)`,
      singleSpaced(filter.texto),
    );
  }
  if (filter.palabra?.trim()) {
    add(
      `(${PALABRA_KEY_SQL} = lower(rc_sin_acentos(?))
        OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(d.sinonimos) s(sinonimo)
                    WHERE lower(rc_sin_acentos(s.sinonimo)) = lower(rc_sin_acentos(?))))`,
      singleSpaced(filter.palabra),
    );
  }
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const total = await db.query<{ total: number }>(
    `SELECT count(*)::int AS total FROM ai_diccionario_semantico d ${clause}`,
    params,
  );
  params.push(filter.limite ?? 100, filter.desplazamiento ?? 0);
  const { rows } = await db.query<DictionaryRecord>(
    `${RECORD_SELECT} ${clause} ORDER BY ${PALABRA_KEY_SQL}, d.id LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  return { total: total.rows[0]?.total ?? 0, entradas: rows };
}

/** The entry `id`, or NOT_FOUND. */
export function getDictionaryEntry(db: Queryable, id: number): Promise<DictionaryRecord> {
  return readRecord(db, id);
}

/** The active entries that have `text` among their synonyms (ignoring case and accents). */
export async function findBySynonym(db: Queryable, text: string): Promise<DictionaryRecord[]> {
  const { rows } = await db.query<DictionaryRecord>(
    `${RECORD_SELECT}
      WHERE d.activo AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(d.sinonimos) s(sinonimo)
                                  WHERE lower(rc_sin_acentos(s.sinonimo)) = lower(rc_sin_acentos($1)))
      ORDER BY d.id`,
    [singleSpaced(text)],
  );
  return rows;
}

/**
 * The entry named by its id (digits) or its palabra (ignoring case and accents). When the text is
 * only a synonym, NOT_FOUND says whose synonym it is.
 */
export async function findDictionaryEntry(db: Queryable, palabraOrId: string): Promise<DictionaryRecord> {
  const text = singleSpaced(palabraOrId);
  if (/^\d+$/.test(text) && Number(text) <= 2_147_483_647) return readRecord(db, Number(text));
  const { rows } = await db.query<DictionaryRecord>(
    `${RECORD_SELECT} WHERE ${PALABRA_KEY_SQL} = lower(rc_sin_acentos($1))`,
    [text],
  );
  if (rows[0]) return rows[0];
  const owners = await findBySynonym(db, text);
  const hint =
    owners.length > 0
      ? `; es sinónimo de ${owners.map((owner) => `«${owner.palabra}» (id ${owner.id})`).join(', ')}`
      : '';
  throw new AppError('NOT_FOUND', `No existe la entrada «${text}» en el diccionario${hint}.`);
}

/** CONFLICT when another entry has the same palabra ignoring case and accents. */
async function assertPalabraFree(db: Queryable, palabra: string, selfId: number | null): Promise<void> {
  const { rows } = await db.query<{ id: number; palabra: string }>(
    `SELECT d.id, d.palabra FROM ai_diccionario_semantico d
      WHERE ${PALABRA_KEY_SQL} = lower(rc_sin_acentos($1)) AND d.id IS DISTINCT FROM $2`,
    [palabra, selfId],
  );
  const other = rows[0];
  if (other) {
    throw new AppError(
      'CONFLICT',
      `Ya existe la entrada «${other.palabra}» (id ${other.id}); la palabra «${palabra}» es la misma sin contar mayúsculas ni acentos. Edite esa entrada.`,
    );
  }
}

/** CONFLICT when a synonym being added is the word of another active entry. */
async function assertTermsFree(
  db: Queryable,
  self: { id: number | null; palabra: string },
  added: string[],
): Promise<void> {
  if (added.length === 0) return;
  const conflicts = termConflicts(await loadTermIndex(db), self, added);
  if (conflicts.length > 0) {
    throw new AppError('CONFLICT', `No se puede agregar el sinónimo: ${describeConflicts(conflicts)}.`, {
      details: conflicts,
    });
  }
}

/** Turns the unique index's error (two edits racing for the same word) into CONFLICT. */
async function uniqueWord<T>(palabra: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) {
      throw new AppError(
        'CONFLICT',
        `Ya existe una entrada con la palabra «${palabra}» (sin contar mayúsculas ni acentos).`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}

const CONTENT_PARAMS = (content: DictionaryContent) => [
  content.palabra,
  content.definicion,
  content.categoria,
  content.tabla_relacionada,
  content.campo_relacionado,
  content.valor,
  content.condicion_sql,
  content.expresion_sql,
  JSON.stringify(content.sinonimos),
  JSON.stringify(content.ejemplos_uso),
  content.activo,
];

/** Inserts a validated entry (inside the caller's transaction); returns its id. */
export async function insertEntry(tx: Queryable, actor: Actor, content: DictionaryContent): Promise<number> {
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO ai_diccionario_semantico
       (palabra, definicion, categoria, tabla_relacionada, campo_relacionado, valor, condicion_sql, expresion_sql,
        sinonimos, ejemplos_uso, activo, creado_por, actualizado_por)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::jsonb, $11, $12, $12)
     RETURNING id`,
    [...CONTENT_PARAMS(content), actor.id],
  );
  return (rows[0] as { id: number }).id;
}

/** Replaces the content of entry `id` with a validated one (inside the caller's transaction). */
export async function updateEntryRow(tx: Queryable, actor: Actor, id: number, content: DictionaryContent) {
  await tx.query(
    `UPDATE ai_diccionario_semantico
        SET palabra = $1, definicion = $2, categoria = $3, tabla_relacionada = $4, campo_relacionado = $5,
            valor = $6, condicion_sql = $7, expresion_sql = $8, sinonimos = $9::jsonb, ejemplos_uso = $10::jsonb,
            activo = $11, actualizado_por = $12
      WHERE id = $13`,
    [...CONTENT_PARAMS(content), actor.id, id],
  );
}

/** Creates an entry (administrators only): validated against the live schema, recorded in the history. */
export async function createDictionaryEntry(options: EditOptions & { input: unknown }): Promise<DictionaryRecord> {
  const { db, actor } = options;
  requireAdmin(actor);
  const { content, calificacionId } = parseInput(createEntryInput, options.input);
  await assertRatingExists(db, calificacionId);
  await assertPalabraFree(db, content.palabra, null);
  const validated = await validateContent(db, content);
  return uniqueWord(content.palabra, () =>
    db.transaction(async (tx) => {
      await assertPalabraFree(tx, validated.palabra, null);
      await assertTermsFree(tx, { id: null, palabra: validated.palabra }, validated.sinonimos);
      const id = await insertEntry(tx, actor, validated);
      await recordChange(tx, actor, {
        entidad: 'diccionario',
        registroId: id,
        accion: 'crear',
        despues: validated,
        calificacionId,
      });
      return readRecord(tx, id);
    }),
  );
}

/**
 * One edit of entry `id`: `change` computes the new content from the current one; the result is
 * validated, then saved only if the row is still the one read (locked with FOR UPDATE). A row
 * changed in between is re-read and the edit recomputed, unless the client named the version it
 * read (`actualizadoEn`): then the edit is refused with CONFLICT.
 */
async function editEntry(
  options: EditOptions & {
    id: number;
    actualizadoEn?: string;
    calificacionId?: number;
    change: (current: DictionaryRecord) => DictionaryContent;
  },
): Promise<DictionaryRecord> {
  const { db, actor, id } = options;
  requireAdmin(actor);
  await assertRatingExists(db, options.calificacionId);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const current = await readRecord(db, id);
    assertUnchanged(current, options.actualizadoEn);
    const changed = options.change(current);
    const next = {
      ...changed,
      sinonimos: cleanTerms(changed.sinonimos, changed.palabra),
      ejemplos_uso: cleanTerms(changed.ejemplos_uso, ''),
    };
    if (sameContent(current, next)) return current;
    if (termKey(next.palabra) !== termKey(current.palabra)) await assertPalabraFree(db, next.palabra, id);
    const validated = await validateContent(db, next);
    const saved = await uniqueWord(validated.palabra, () =>
      db.transaction(async (tx) => {
        const locked = await readRecord(tx, id, true);
        if (locked.actualizado_en.getTime() !== current.actualizado_en.getTime()) {
          assertUnchanged(locked, options.actualizadoEn);
          return undefined;
        }
        await assertPalabraFree(tx, validated.palabra, id);
        await assertTermsFree(
          tx,
          { id, palabra: validated.palabra },
          addedTerms(current.sinonimos, validated.sinonimos),
        );
        await updateEntryRow(tx, actor, id, validated);
        await recordChange(tx, actor, {
          entidad: 'diccionario',
          registroId: id,
          accion: 'editar',
          antes: contentOf(current),
          despues: validated,
          calificacionId: options.calificacionId,
        });
        return readRecord(tx, id);
      }),
    );
    if (saved) return saved;
  }
  throw new AppError('CONFLICT', `La entrada ${id} cambió varias veces mientras se guardaba; vuelva a intentarlo.`);
}

/** Edits some fields of an entry (administrators only); `actualizado_en` in the input guards against stale copies. */
export async function updateDictionaryEntry(
  options: EditOptions & { id: number; input: unknown },
): Promise<DictionaryRecord> {
  const { changes, actualizadoEn, calificacionId } = parseInput(updateEntryInput, options.input);
  return editEntry({
    ...options,
    actualizadoEn,
    calificacionId,
    change: (current) => parseInput(contentInput, { ...contentOf(current), ...changes }),
  });
}

/** Adds one synonym to an entry (administrators only); adding one it already has changes nothing. */
export async function addDictionarySynonym(
  options: EditOptions & { id: number; input: unknown },
): Promise<DictionaryRecord> {
  const { sinonimo, calificacion_id } = parseInput(synonymFields, options.input);
  return editEntry({
    ...options,
    calificacionId: calificacion_id,
    change: (current) => {
      if (termKey(sinonimo) === termKey(current.palabra)) {
        throw new AppError('INVALID_INPUT', `«${sinonimo}» es la palabra de la entrada; no puede ser su sinónimo.`);
      }
      return { ...contentOf(current), sinonimos: [...current.sinonimos, sinonimo] };
    },
  });
}

/** Deletes an entry (administrators only); the change history keeps what it said. */
export async function removeDictionaryEntry(
  options: EditOptions & { id: number; actualizadoEn?: string; calificacionId?: number },
): Promise<DictionaryRecord> {
  const { db, actor, id } = options;
  requireAdmin(actor);
  await assertRatingExists(db, options.calificacionId);
  return db.transaction(async (tx) => {
    const locked = await readRecord(tx, id, true);
    assertUnchanged(locked, options.actualizadoEn);
    await tx.query('DELETE FROM ai_diccionario_semantico WHERE id = $1', [id]);
    await recordChange(tx, actor, {
      entidad: 'diccionario',
      registroId: id,
      accion: 'eliminar',
      antes: contentOf(locked),
      calificacionId: options.calificacionId,
    });
    return locked;
  });
}
