import type { Queryable } from '../../db/database.ts';

/** Limits of the assistant's queries and the model's temperature, from `configuracion_sistema`. */
export interface ChatSettings {
  maxRows: number;
  timeoutMs: number;
  temperature: number;
}

const DEFAULTS: ChatSettings = { maxRows: 200, timeoutMs: 5000, temperature: 0.1 };

/** Reads the settings on every question, so an administrator's change applies to the next one. */
export async function readChatSettings(db: Queryable): Promise<ChatSettings> {
  const { rows } = await db.query<{ clave: string; valor: string | null }>(
    `SELECT clave, valor FROM configuracion_sistema
      WHERE categoria = 'AI' AND clave IN ('max_filas_consulta', 'timeout_consulta_ms', 'temperatura')`,
  );
  const number = (key: string, fallback: number, min: number, max: number): number => {
    const value = Number(rows.find((row) => row.clave === key)?.valor ?? Number.NaN);
    return Number.isFinite(value) && value >= min && value <= max ? value : fallback;
  };
  return {
    maxRows: Math.trunc(number('max_filas_consulta', DEFAULTS.maxRows, 1, 10_000)),
    timeoutMs: Math.trunc(number('timeout_consulta_ms', DEFAULTS.timeoutMs, 100, 600_000)),
    temperature: number('temperatura', DEFAULTS.temperature, 0, 2),
  };
}
