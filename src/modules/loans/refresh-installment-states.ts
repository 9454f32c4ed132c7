import type { Queryable } from '../../db/database.ts';

/** What one refresh changed. */
export interface RefreshReport {
  cuotasActualizadas: number;
  hoy: string;
}

/**
 * Brings unpaid installments up to today. `estado` and `dias_mora` are stored, but for an unpaid
 * installment they depend on the date: each midnight a PENDIENTE one may fall due (ATRASADO), an
 * ADELANTADO one becomes PARCIAL, and every overdue one is one day later. Paid installments never
 * change. Idempotent: a second run on the same day changes nothing.
 */
export async function refreshInstallmentStates(options: { db: Queryable }): Promise<RefreshReport> {
  const result = await options.db.query(
    `UPDATE cuotas
        SET estado = CASE WHEN total_pagado > 0 THEN 'PARCIAL' ELSE 'ATRASADO' END,
            dias_mora = CURRENT_DATE - fecha_vencimiento
      WHERE estado IN ('PENDIENTE', 'ADELANTADO', 'PARCIAL', 'ATRASADO')
        AND fecha_vencimiento < CURRENT_DATE
        AND (estado IN ('PENDIENTE', 'ADELANTADO') OR dias_mora <> CURRENT_DATE - fecha_vencimiento)`,
  );
  const { rows } = await options.db.query<{ hoy: string }>('SELECT CURRENT_DATE::text AS hoy');
  return { cuotasActualizadas: result.affectedRows, hoy: rows[0]?.hoy ?? '' };
}
