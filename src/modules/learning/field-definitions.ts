import type { Database, Queryable } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { parseInput } from '../../validation.ts';
import { ALLOWED_TABLES } from '../sql-assistant/index.ts';
import { requireAdmin, type Actor } from './actor.ts';
import { recordChange } from './change-log.ts';
import {
  cleanList,
  createDefinitionInput,
  definitionFilter,
  distinct,
  maskAll,
  removeDefinitionInput,
  updateDefinitionInput,
  type CreateDefinitionInput,
  type DefinitionFilter,
  type RemoveDefinitionInput,
  type UpdateDefinitionInput,
} from './field-definition-input.ts';
import {
  assertPersonalKept,
  assertRatingExists,
  assertUnchanged,
  readRecord,
  RECORD_SELECT,
  type DefinitionRef,
  type FieldDefinitionRecord,
} from './field-definition-record.ts';
import { PERSONAL_COLUMNS, readLiveColumns, technicalFields } from './live-columns.ts';
import { insertDefinition } from './sync-field-definitions.ts';

/** The definitions, by table and id, optionally of one table, active or not, or matching a text. */
export async function listFieldDefinitions(
  db: Queryable,
  filter: DefinitionFilter = {},
): Promise<FieldDefinitionRecord[]> {
  const data = parseInput(definitionFilter, filter);
  const where: string[] = [];
  const params: unknown[] = [];
  if (data.tabla !== undefined) {
    params.push(data.tabla);
    where.push(`d.tabla = $${params.length}`);
  }
  if (data.activo !== undefined) {
    params.push(data.activo);
    where.push(`d.activo = $${params.length}`);
  }
  if (data.texto) {
    params.push(data.texto);
    where.push(
      `strpos(lower(rc_sin_acentos(concat_ws(' ', d.tabla || '.' || d.campo, d.definicion, d.notas, d.sinonimos::text))),
              lower(rc_sin_acentos($${params.length}))) > 0`,
    );
  }
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const { rows } = await db.query<FieldDefinitionRecord>(`${RECORD_SELECT} ${clause} ORDER BY d.tabla, d.id`, params);
  return rows;
}

/** One definition, by number or as `tabla.campo`; NOT_FOUND when there is none. */
export function getFieldDefinition(db: Queryable, ref: DefinitionRef): Promise<FieldDefinitionRecord> {
  return readRecord(db, ref);
}

/**
 * Creates the definition of a column the assistant may read (INVALID_INPUT otherwise; CONFLICT when it
 * has one already). Its technical fields are read from the database as the sync would.
 */
export async function createFieldDefinition(
  db: Database,
  actor: Actor,
  input: CreateDefinitionInput | unknown,
): Promise<FieldDefinitionRecord> {
  requireAdmin(actor);
  const data = parseInput(createDefinitionInput, input);
  return db.transaction(async (tx) => {
    await assertRatingExists(tx, data.calificacion_id);
    const key = `${data.tabla}.${data.campo}`;
    const column = (await readLiveColumns(tx, { tabla: data.tabla })).find((live) => live.campo === data.campo);
    if (!column) {
      throw new AppError(
        'INVALID_INPUT',
        `La columna ${key} no existe en la base de datos o el asistente no puede leerla ` +
          `(tablas permitidas: ${Object.keys(ALLOWED_TABLES).join(', ')}).`,
      );
    }
    const existing = await tx.query<{ id: number }>(
      'SELECT id FROM ai_definiciones_campos WHERE tabla = $1 AND campo = $2',
      [data.tabla, data.campo],
    );
    if (existing.rows[0]) {
      throw new AppError(
        'CONFLICT',
        `Ya existe la definición de ${key} (número ${existing.rows[0].id}); edítela en lugar de crear otra.`,
      );
    }
    assertPersonalKept(data.tabla, data.campo, data.dato_personal);
    const personal = data.dato_personal ?? PERSONAL_COLUMNS.has(key);
    const fields = technicalFields(column, personal, {
      valores_posibles: distinct(data.valores_posibles ?? []),
      ejemplos_valores: [],
    });
    const examples = data.ejemplos_valores
      ? personal
        ? maskAll(data.ejemplos_valores)
        : distinct(data.ejemplos_valores)
      : fields.ejemplos_valores;
    const id = await insertDefinition(tx, actor, data, { ...fields, ejemplos_valores: examples }, personal, {
      definicion: data.definicion,
      sinonimos: cleanList(data.sinonimos ?? []),
      notas: data.notas ?? null,
      es_catalogo: data.es_catalogo,
      activo: data.activo,
    });
    await recordChange(tx, actor, {
      entidad: 'definicion',
      registroId: id,
      accion: 'crear',
      despues: await readRecord(tx, id),
      calificacionId: data.calificacion_id,
    });
    return readRecord(tx, id);
  });
}

const HUMAN_FIELDS = [
  'definicion',
  'notas',
  'sinonimos',
  'valores_posibles',
  'ejemplos_valores',
  'es_catalogo',
  'dato_personal',
  'activo',
] as const;

type HumanField = (typeof HUMAN_FIELDS)[number];

/**
 * Edits the human fields of a definition (technical ones belong to the sync). Lists are cleaned as
 * stored; examples of personal data are masked. An edit that changes nothing writes nothing.
 */
export async function updateFieldDefinition(
  db: Database,
  actor: Actor,
  ref: DefinitionRef,
  input: UpdateDefinitionInput | unknown,
): Promise<FieldDefinitionRecord> {
  requireAdmin(actor);
  const data = parseInput(updateDefinitionInput, input);
  if (!HUMAN_FIELDS.some((field) => data[field] !== undefined)) {
    throw new AppError('INVALID_INPUT', `Indique al menos un campo a cambiar: ${HUMAN_FIELDS.join(', ')}.`);
  }
  return db.transaction(async (tx) => {
    const record = await readRecord(tx, ref, true);
    assertUnchanged(record, data.actualizado_en);
    await assertRatingExists(tx, data.calificacion_id);
    assertPersonalKept(record.tabla, record.campo, data.dato_personal);
    const personal = data.dato_personal ?? record.dato_personal;
    const next: Pick<FieldDefinitionRecord, HumanField> = {
      definicion: data.definicion ?? record.definicion,
      notas: data.notas === undefined ? record.notas : data.notas,
      sinonimos: data.sinonimos ? cleanList(data.sinonimos) : record.sinonimos,
      valores_posibles: data.valores_posibles ? distinct(data.valores_posibles) : record.valores_posibles,
      ejemplos_valores: data.ejemplos_valores ? distinct(data.ejemplos_valores) : record.ejemplos_valores,
      es_catalogo: data.es_catalogo ?? record.es_catalogo,
      dato_personal: personal,
      activo: data.activo ?? record.activo,
    };
    if (personal) next.ejemplos_valores = maskAll(next.ejemplos_valores);
    const changed = HUMAN_FIELDS.filter((field) => JSON.stringify(record[field]) !== JSON.stringify(next[field]));
    if (changed.length === 0) return record;
    const params: unknown[] = [record.id, actor.id];
    const sets = changed.map((field) => {
      const value = next[field];
      params.push(Array.isArray(value) ? JSON.stringify(value) : value);
      return `${field} = $${params.length}`;
    });
    // Identifiers come from HUMAN_FIELDS, values are parameters.
    await tx.query(`UPDATE ai_definiciones_campos SET ${sets.join(', ')}, actualizado_por = $2 WHERE id = $1`, params);
    const pick = (source: Pick<FieldDefinitionRecord, HumanField>) =>
      Object.fromEntries([
        ['tabla', record.tabla],
        ['campo', record.campo],
        ...changed.map((field) => [field, source[field]]),
      ]);
    await recordChange(tx, actor, {
      entidad: 'definicion',
      registroId: record.id,
      accion: 'editar',
      antes: pick(record),
      despues: pick(next),
      calificacionId: data.calificacion_id,
    });
    return readRecord(tx, record.id);
  });
}

/** Deletes a definition (the history keeps it as it was); returns what was deleted. */
export async function removeFieldDefinition(
  db: Database,
  actor: Actor,
  ref: DefinitionRef,
  options: RemoveDefinitionInput | unknown = {},
): Promise<FieldDefinitionRecord> {
  requireAdmin(actor);
  const data = parseInput(removeDefinitionInput, options ?? {});
  return db.transaction(async (tx) => {
    const record = await readRecord(tx, ref, true);
    assertUnchanged(record, data.actualizado_en);
    await assertRatingExists(tx, data.calificacion_id);
    await tx.query('DELETE FROM ai_definiciones_campos WHERE id = $1', [record.id]);
    await recordChange(tx, actor, {
      entidad: 'definicion',
      registroId: record.id,
      accion: 'eliminar',
      antes: record,
      calificacionId: data.calificacion_id,
    });
    return record;
  });
}
