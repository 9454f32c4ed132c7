import type { Queryable } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { ScheduledInstallment } from './amortization.ts';

/** One installment of a loan, as stored. */
export interface LoanInstallment extends ScheduledInstallment {
  id: number;
  total_pagado: number;
  fecha_pago: string | null;
  dias_mora: number;
  estado: 'PENDIENTE' | 'PAGADO' | 'PARCIAL' | 'ATRASADO' | 'ADELANTADO';
}

/** A loan with its client's identity, its cuotas in order and its saldo pendiente. */
export interface LoanDetail {
  id: number;
  cliente_id: number;
  cliente_cedula: string;
  cliente_nombres: string;
  producto: string;
  total_financiamiento: number;
  tasa_interes: number;
  modalidad_pago: string;
  numero_cuotas: number;
  cuota_periodo: number;
  fecha_requerimiento: string;
  fecha_aprobacion: string | null;
  estado: string;
  analista: string | null;
  concesionario: string | null;
  fecha_registro: Date;
  observaciones: string | null;
  /** Sum of `monto_cuota - total_pagado` over the cuotas not PAGADO (the glossary's saldo pendiente). */
  saldo_pendiente: number;
  cuotas: LoanInstallment[];
}

const loanSql = `
  SELECT p.id, p.cliente_id, c.cedula AS cliente_cedula, c.nombres AS cliente_nombres, p.producto,
         p.total_financiamiento, p.tasa_interes, p.modalidad_pago, p.numero_cuotas, p.cuota_periodo,
         p.fecha_requerimiento, p.fecha_aprobacion, p.estado, p.analista, p.concesionario, p.fecha_registro,
         p.observaciones,
         (SELECT coalesce(sum(q.monto_cuota - q.total_pagado), 0) FROM cuotas q
          WHERE q.prestamo_id = p.id AND q.estado <> 'PAGADO') AS saldo_pendiente
  FROM prestamos p JOIN clientes c ON c.id = p.cliente_id
  WHERE p.id = $1`;

const installmentsSql = `
  SELECT id, numero_cuota, fecha_vencimiento, monto_cuota, monto_capital, monto_interes, saldo_capital_inicial,
         saldo_capital_final, total_pagado, fecha_pago, dias_mora, estado
  FROM cuotas WHERE prestamo_id = $1 ORDER BY numero_cuota`;

/** A loan by id with its cuotas and saldo pendiente; NOT_FOUND when there is no such loan. */
export async function getLoan(options: { db: Queryable; id: number }): Promise<LoanDetail> {
  const { db, id } = options;
  const { rows } = await db.query<Omit<LoanDetail, 'cuotas'>>(loanSql, [id]);
  const loan = rows[0];
  if (!loan) throw new AppError('NOT_FOUND', `No existe el préstamo ${id}.`);
  const cuotas = await db.query<LoanInstallment>(installmentsSql, [id]);
  return { ...loan, cuotas: cuotas.rows };
}
