import type { Database, Queryable } from '../../db/database.ts';
import { requireAdmin, type Actor } from './actor.ts';
import { recordChange } from './change-log.ts';
import { PERSONAL_COLUMNS, readLiveColumns, technicalFields, type TechnicalFields } from './live-columns.ts';

/** What a sync did; counts plus the `tabla.campo` keys behind them. */
export interface SyncReport {
  creadas: number;
  actualizadas: number;
  sin_cambios: number;
  campos_creados: string[];
  campos_actualizados: string[];
  /** Active definitions whose human text is still empty. */
  sin_definicion: string[];
  /** Definitions whose column no longer exists (or may no longer be read); left as they are. */
  sin_columna: string[];
  tiempo_ms: number;
}

const TECHNICAL_KEYS = [
  'tipo_dato',
  'es_obligatorio',
  'tiene_indice',
  'es_clave_foranea',
  'tabla_referenciada',
  'campo_referenciado',
  'valores_posibles',
  'ejemplos_valores',
] as const;

interface StoredDefinition extends TechnicalFields {
  id: number;
  tabla: string;
  campo: string;
  definicion: string;
  activo: boolean;
  dato_personal: boolean;
}

/** The technical fields (and dato_personal) that differ, before and after. */
function differences(
  stored: StoredDefinition,
  next: TechnicalFields & { dato_personal: boolean },
): { antes: Record<string, unknown>; despues: Record<string, unknown> } | undefined {
  const antes: Record<string, unknown> = {};
  const despues: Record<string, unknown> = {};
  for (const key of [...TECHNICAL_KEYS, 'dato_personal'] as const) {
    if (JSON.stringify(stored[key]) === JSON.stringify(next[key])) continue;
    antes[key] = stored[key];
    despues[key] = next[key];
  }
  return Object.keys(despues).length > 0 ? { antes, despues } : undefined;
}

const SYNC_LOCK = 'ai_definiciones_campos:sincronizar';

/**
 * Brings the field definitions in line with the live schema of the tables the assistant may read:
 * creates the missing ones (empty definicion: never invented), corrects the technical fields of the
 * others and leaves the human ones (definicion, notas, sinonimos, es_catalogo, activo) alone. One
 * transaction; one history row per created or changed definition. Running it twice changes nothing.
 */
export async function syncFieldDefinitions(db: Database, actor: Actor): Promise<SyncReport> {
  requireAdmin(actor);
  const started = performance.now();
  return db.transaction(async (tx) => {
    // Two syncs at once would both create the same rows; the second waits and finds them.
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [SYNC_LOCK]);
    const live = await readLiveColumns(tx);
    const { rows: stored } = await tx.query<StoredDefinition>(
      `SELECT id, tabla, campo, definicion, activo, dato_personal, ${TECHNICAL_KEYS.join(', ')}
         FROM ai_definiciones_campos ORDER BY tabla, id FOR UPDATE`,
    );
    const byKey = new Map(stored.map((row) => [`${row.tabla}.${row.campo}`, row]));
    const report: SyncReport = {
      creadas: 0,
      actualizadas: 0,
      sin_cambios: 0,
      campos_creados: [],
      campos_actualizados: [],
      sin_definicion: [],
      sin_columna: [],
      tiempo_ms: 0,
    };
    for (const column of live) {
      const key = `${column.tabla}.${column.campo}`;
      const row = byKey.get(key);
      const builtInPersonal = PERSONAL_COLUMNS.has(key);
      if (!row) {
        const fields = technicalFields(column, builtInPersonal);
        const created = await insertDefinition(tx, actor, column, fields, builtInPersonal);
        await recordChange(tx, actor, {
          entidad: 'definicion',
          registroId: created,
          accion: 'sincronizar',
          antes: null,
          despues: { tabla: column.tabla, campo: column.campo, ...fields, dato_personal: builtInPersonal },
        });
        report.creadas++;
        report.campos_creados.push(key);
        continue;
      }
      // Built-in personal columns are marked personal and stay so; others keep what an administrator chose.
      const personal = row.dato_personal || builtInPersonal;
      const next = { ...technicalFields(column, personal, row), dato_personal: personal };
      const change = differences(row, next);
      if (!change) {
        report.sin_cambios++;
        continue;
      }
      await tx.query(
        `UPDATE ai_definiciones_campos
            SET tipo_dato = $2, es_obligatorio = $3, tiene_indice = $4, es_clave_foranea = $5,
                tabla_referenciada = $6, campo_referenciado = $7, valores_posibles = $8, ejemplos_valores = $9,
                dato_personal = $10, sincronizado_en = now()
          WHERE id = $1`,
        [
          row.id,
          next.tipo_dato,
          next.es_obligatorio,
          next.tiene_indice,
          next.es_clave_foranea,
          next.tabla_referenciada,
          next.campo_referenciado,
          JSON.stringify(next.valores_posibles),
          JSON.stringify(next.ejemplos_valores),
          next.dato_personal,
        ],
      );
      await recordChange(tx, actor, {
        entidad: 'definicion',
        registroId: row.id,
        accion: 'sincronizar',
        antes: { tabla: row.tabla, campo: row.campo, ...change.antes },
        despues: { tabla: row.tabla, campo: row.campo, ...change.despues },
      });
      report.actualizadas++;
      report.campos_actualizados.push(key);
    }
    const liveKeys = new Set(live.map((column) => `${column.tabla}.${column.campo}`));
    report.sin_columna = stored.map((row) => `${row.tabla}.${row.campo}`).filter((key) => !liveKeys.has(key));
    const { rows: blank } = await tx.query<{ clave: string }>(
      `SELECT tabla || '.' || campo AS clave FROM ai_definiciones_campos
        WHERE activo AND btrim(definicion) = '' ORDER BY tabla, campo`,
    );
    report.sin_definicion = blank.map((row) => row.clave);
    report.tiempo_ms = Math.round(performance.now() - started);
    return report;
  });
}

/** The text an administrator writes for a definition (empty when the sync creates it). */
export interface HumanFields {
  definicion?: string;
  sinonimos?: string[];
  notas?: string | null;
  es_catalogo?: boolean;
  activo?: boolean;
}

/** Inserts one definition: the column's technical fields, and the human text when there is one. */
export async function insertDefinition(
  tx: Queryable,
  actor: Actor,
  column: { tabla: string; campo: string },
  fields: TechnicalFields,
  personal: boolean,
  human: HumanFields = {},
): Promise<number> {
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO ai_definiciones_campos
       (tabla, campo, definicion, tipo_dato, es_obligatorio, tiene_indice, es_clave_foranea, tabla_referenciada,
        campo_referenciado, valores_posibles, ejemplos_valores, sinonimos, notas, es_catalogo, dato_personal, activo,
        sincronizado_en, creado_por, actualizado_por)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, now(), $17, $17)
     RETURNING id`,
    [
      column.tabla,
      column.campo,
      human.definicion ?? '',
      fields.tipo_dato,
      fields.es_obligatorio,
      fields.tiene_indice,
      fields.es_clave_foranea,
      fields.tabla_referenciada,
      fields.campo_referenciado,
      JSON.stringify(fields.valores_posibles),
      JSON.stringify(fields.ejemplos_valores),
      JSON.stringify(human.sinonimos ?? []),
      human.notas ?? null,
      human.es_catalogo ?? false,
      personal,
      human.activo ?? true,
      actor.id,
    ],
  );
  return rows[0]?.id as number;
}
