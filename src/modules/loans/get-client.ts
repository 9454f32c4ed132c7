import type { Queryable } from '../../db/database.ts';
import { AppError } from '../../errors.ts';

/** One line of a client's loan summary. */
export interface ClientLoanSummary {
  id: number;
  producto: string;
  estado: string;
  total_financiamiento: number;
  numero_cuotas: number;
  cuota_periodo: number;
  fecha_requerimiento: string;
  fecha_aprobacion: string | null;
  saldo_pendiente: number;
  /** Cuotas past due and not fully paid (ATRASADO or PARCIAL). */
  cuotas_vencidas: number;
}

/** A client with a summary of each of its loans. */
export interface ClientDetail {
  id: number;
  cedula: string;
  nombres: string;
  telefono: string | null;
  email: string | null;
  direccion: string | null;
  fecha_nacimiento: string | null;
  ocupacion: string | null;
  ingreso_mensual: number | null;
  estado: string;
  fecha_registro: Date;
  notas: string | null;
  prestamos: ClientLoanSummary[];
}

const clientSql = `
  SELECT id, cedula, nombres, telefono, email, direccion, fecha_nacimiento, ocupacion, ingreso_mensual, estado,
         fecha_registro, notas
  FROM clientes WHERE id = $1`;

const loansSql = `
  SELECT p.id, p.producto, p.estado, p.total_financiamiento, p.numero_cuotas, p.cuota_periodo,
         p.fecha_requerimiento, p.fecha_aprobacion,
         coalesce(sum(q.monto_cuota - q.total_pagado) FILTER (WHERE q.estado <> 'PAGADO'), 0) AS saldo_pendiente,
         count(q.id) FILTER (WHERE q.fecha_vencimiento < CURRENT_DATE AND q.estado IN ('ATRASADO', 'PARCIAL'))
           AS cuotas_vencidas
  FROM prestamos p LEFT JOIN cuotas q ON q.prestamo_id = p.id
  WHERE p.cliente_id = $1
  GROUP BY p.id
  ORDER BY p.fecha_requerimiento DESC, p.id DESC`;

/** A client by id with its loans summarised; NOT_FOUND when there is no such client. */
export async function getClient(options: { db: Queryable; id: number }): Promise<ClientDetail> {
  const { db, id } = options;
  const { rows } = await db.query<Omit<ClientDetail, 'prestamos'>>(clientSql, [id]);
  const client = rows[0];
  if (!client) throw new AppError('NOT_FOUND', `No existe el cliente ${id}.`);
  const loans = await db.query<ClientLoanSummary>(loansSql, [id]);
  return { ...client, prestamos: loans.rows };
}
