import type { Queryable } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { IDENTIFIER } from './field-definition-input.ts';
import { PERSONAL_COLUMNS, type TechnicalFields } from './live-columns.ts';

/** A row of `ai_definiciones_campos` as the API and the CLI show it. */
export interface FieldDefinitionRecord extends Omit<TechnicalFields, 'tipo_dato'> {
  id: number;
  tabla: string;
  campo: string;
  definicion: string;
  /** Null for a row written by hand before any sync. */
  tipo_dato: string | null;
  sinonimos: string[];
  notas: string | null;
  es_catalogo: boolean;
  dato_personal: boolean;
  activo: boolean;
  sincronizado_en: Date | null;
  creado_por: number | null;
  actualizado_por: number | null;
  /** Who last edited the human text (an operator without an account, `cli:<login>`, shows here too). */
  actualizado_por_email: string | null;
  creado_en: Date;
  actualizado_en: Date;
}

/** A definition named by its number or as `tabla.campo`. */
export type DefinitionRef = number | string;

/** `SELECT` of full records, with who last edited the human text; append WHERE / ORDER BY. */
export const RECORD_SELECT = `
  SELECT d.id, d.tabla, d.campo, d.definicion, d.tipo_dato, d.es_obligatorio, d.tiene_indice, d.es_clave_foranea,
         d.tabla_referenciada, d.campo_referenciado, d.valores_posibles, d.ejemplos_valores, d.sinonimos, d.notas,
         d.es_catalogo, d.dato_personal, d.activo, d.sincronizado_en, d.creado_por, d.actualizado_por,
         coalesce((SELECT h.usuario_email FROM ai_historial_cambios h
                    WHERE h.entidad = 'definicion' AND h.registro_id = d.id AND h.accion <> 'sincronizar'
                    ORDER BY h.creado_en DESC, h.id DESC LIMIT 1), u.email) AS actualizado_por_email,
         d.creado_en, d.actualizado_en
    FROM ai_definiciones_campos d
    LEFT JOIN users u ON u.id = d.actualizado_por`;

/** `12` or `"12"` → id; `"prestamos.estado"` → the pair; anything else INVALID_INPUT. */
export function whereOf(ref: DefinitionRef): { sql: string; params: unknown[]; label: string } {
  const text = String(ref).trim();
  if (/^[0-9]+$/.test(text) && Number(text) <= 2_147_483_647) {
    return { sql: 'd.id = $1', params: [Number(text)], label: `la definición ${text}` };
  }
  const [tabla, campo, ...rest] = text.toLowerCase().split('.');
  if (rest.length > 0 || !tabla || !campo || !IDENTIFIER.test(tabla) || !IDENTIFIER.test(campo)) {
    throw new AppError(
      'INVALID_INPUT',
      `«${text}» no es una definición: indíquela por su número o como tabla.campo (por ejemplo prestamos.estado).`,
    );
  }
  return { sql: 'd.tabla = $1 AND d.campo = $2', params: [tabla, campo], label: `la definición de ${tabla}.${campo}` };
}

/** The definition `ref` (optionally locked FOR UPDATE), or NOT_FOUND. */
export async function readRecord(db: Queryable, ref: DefinitionRef, lock = false): Promise<FieldDefinitionRecord> {
  const where = whereOf(ref);
  const { rows } = await db.query<FieldDefinitionRecord>(
    lock
      ? // FOR UPDATE cannot lock the nullable side of the outer join: lock the row first.
        `WITH bloqueada AS (SELECT d.id FROM ai_definiciones_campos d WHERE ${where.sql} FOR UPDATE)
         ${RECORD_SELECT} WHERE d.id IN (SELECT id FROM bloqueada)`
      : `${RECORD_SELECT} WHERE ${where.sql}`,
    where.params,
  );
  const record = rows[0];
  if (!record) throw new AppError('NOT_FOUND', `No existe ${where.label}.`);
  return record;
}

/** CONFLICT when the definition changed after the client read it (`actualizado_en` as it read it). */
export function assertUnchanged(record: FieldDefinitionRecord, actualizadoEn: string | undefined): void {
  if (actualizadoEn === undefined || Date.parse(actualizadoEn) === record.actualizado_en.getTime()) return;
  const who = record.actualizado_por_email ? ` (${record.actualizado_por_email})` : '';
  throw new AppError(
    'CONFLICT',
    `La definición de ${record.tabla}.${record.campo} fue modificada por otro usuario${who} el ` +
      `${record.actualizado_en.toISOString()}; vuelva a cargarla antes de guardar.`,
  );
}

/** NOT_FOUND unless the rating `id` exists (an edit made while reviewing it is linked to it). */
export async function assertRatingExists(db: Queryable, id: number | undefined): Promise<void> {
  if (id === undefined) return;
  const { rows } = await db.query('SELECT 1 FROM ai_calificaciones_chat WHERE id = $1', [id]);
  if (rows.length === 0) throw new AppError('NOT_FOUND', `No existe la calificación ${id}.`);
}

/** INVALID_INPUT when an edit would unmark a column of the fixed personal-data list. */
export function assertPersonalKept(tabla: string, campo: string, datoPersonal: boolean | undefined): void {
  if (datoPersonal === false && PERSONAL_COLUMNS.has(`${tabla}.${campo}`)) {
    throw new AppError(
      'INVALID_INPUT',
      `${tabla}.${campo} es un dato personal por definición: sus ejemplos se muestran siempre enmascarados.`,
    );
  }
}
