import type { Queryable } from '../../db/database.ts';
import type { Actor } from './actor.ts';

export type ChangeEntity = 'diccionario' | 'definicion' | 'ejemplo' | 'calificacion';
export type ChangeAction = 'crear' | 'editar' | 'eliminar' | 'importar' | 'sincronizar' | 'procesar' | 'corregir';

/** One recorded edit, as `ai_historial_cambios` keeps it. */
export interface ChangeRecord {
  id: number;
  entidad: ChangeEntity;
  registro_id: number | null;
  accion: ChangeAction;
  usuario_id: number | null;
  usuario_email: string;
  calificacion_id: number | null;
  antes: unknown;
  despues: unknown;
  creado_en: Date;
}

/** What changed: the record before and after (null when created or removed). */
export interface Change {
  entidad: ChangeEntity;
  registroId: number | null;
  accion: ChangeAction;
  antes?: unknown;
  despues?: unknown;
  /** The rating whose review led to this change, when there is one. */
  calificacionId?: number | null;
}

/** Records an edit with who made it; call inside the edit's transaction so both land or neither. */
export async function recordChange(db: Queryable, actor: Actor, change: Change): Promise<void> {
  await db.query(
    `INSERT INTO ai_historial_cambios (entidad, registro_id, accion, usuario_id, usuario_email, calificacion_id, antes, despues)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      change.entidad,
      change.registroId,
      change.accion,
      actor.id,
      actor.email,
      change.calificacionId ?? null,
      change.antes === undefined ? null : JSON.stringify(change.antes),
      change.despues === undefined ? null : JSON.stringify(change.despues),
    ],
  );
}

/** The recorded edits, newest first, optionally of one kind or one record. */
export async function listChanges(
  db: Queryable,
  filter: { entidad?: ChangeEntity; registroId?: number; limite?: number; desplazamiento?: number } = {},
): Promise<{ total: number; cambios: ChangeRecord[] }> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.entidad) {
    params.push(filter.entidad);
    where.push(`entidad = $${params.length}`);
  }
  if (filter.registroId !== undefined) {
    params.push(filter.registroId);
    where.push(`registro_id = $${params.length}`);
  }
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const total = await db.query<{ total: number }>(
    `SELECT count(*)::int AS total FROM ai_historial_cambios ${clause}`,
    params,
  );
  params.push(filter.limite ?? 50, filter.desplazamiento ?? 0);
  const { rows } = await db.query<ChangeRecord>(
    `SELECT * FROM ai_historial_cambios ${clause} ORDER BY creado_en DESC, id DESC
      LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  return { total: total.rows[0]?.total ?? 0, cambios: rows };
}
