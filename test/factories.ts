// Row factories for tests: sensible defaults, unique cédulas, overrides for what a test cares about.
import type { Queryable } from '../src/db/database.ts';
import { frenchSchedule, type PaymentFrequency } from '../src/modules/loans/index.ts';

/** A clientes row without id. */
export interface ClientRow {
  cedula: string;
  nombres: string;
  telefono: string | null;
  email: string | null;
  direccion: string | null;
  fecha_nacimiento: string | null;
  ocupacion: string | null;
  ingreso_mensual: number | null;
  estado: 'ACTIVO' | 'INACTIVO' | 'FINALIZADO';
  notas: string | null;
}

/** A prestamos row without id. */
export interface LoanRow {
  cliente_id: number;
  producto: 'MOTO' | 'VEHICULO' | 'PERSONAL' | 'COMERCIAL';
  total_financiamiento: number;
  tasa_interes: number;
  modalidad_pago: PaymentFrequency;
  numero_cuotas: number;
  cuota_periodo: number;
  fecha_requerimiento: string;
  fecha_aprobacion: string | null;
  estado: 'DRAFT' | 'EN_REVISION' | 'APROBADO' | 'RECHAZADO' | 'FINALIZADO';
  analista: string | null;
  concesionario: string | null;
  observaciones: string | null;
}

let sequence = 0;

/** Today in Caracas, the time zone of the test databases (so it matches CURRENT_DATE). */
function caracasToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Caracas' }).format(new Date());
}

function daysBefore(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/** A client row; the cédula is unique and has 10 digits, a range the demo generator never uses. */
export function buildClient(overrides: Partial<ClientRow> = {}): ClientRow {
  sequence++;
  return {
    cedula: `V${9_900_000_000 + sequence}`,
    nombres: `Cliente de Prueba ${sequence}`,
    telefono: '0414-5550000',
    email: `cliente${sequence}@example.com`,
    direccion: 'Av. Libertador, Casa Nro. 1, Caracas, Distrito Capital',
    fecha_nacimiento: '1988-05-17',
    ocupacion: 'Comerciante',
    ingreso_mensual: 800,
    estado: 'ACTIVO',
    notas: null,
    ...overrides,
  };
}

/** An approved loan row (1,200 at 36 % in 12 monthly installments, approved today) for `cliente_id`. */
export function buildLoan(overrides: Partial<LoanRow> = {}): LoanRow {
  const approved = overrides.fecha_aprobacion === undefined ? caracasToday() : overrides.fecha_aprobacion;
  const base = {
    cliente_id: 0,
    producto: 'PERSONAL' as const,
    total_financiamiento: 1200,
    tasa_interes: 36,
    modalidad_pago: 'MENSUAL' as const,
    numero_cuotas: 12,
    fecha_aprobacion: approved,
    estado: 'APROBADO' as const,
    analista: 'María Useche',
    concesionario: null,
    observaciones: null,
    ...overrides,
  };
  const schedule = frenchSchedule({
    principal: base.total_financiamiento,
    tasaAnual: base.tasa_interes,
    modalidad: base.modalidad_pago,
    numeroCuotas: base.numero_cuotas,
    fechaAprobacion: approved ?? caracasToday(),
  });
  return {
    fecha_requerimiento: daysBefore(approved ?? caracasToday(), 3),
    cuota_periodo: schedule.cuota_periodo,
    ...base,
  };
}

async function insertRow(db: Queryable, table: string, row: object): Promise<number> {
  const columns = Object.keys(row);
  const placeholders = columns.map((_, index) => `$${index + 1}`).join(', ');
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${placeholders}) RETURNING id`,
    Object.values(row),
  );
  return rows[0]?.id as number;
}

/** Inserts a client; returns its id and cédula. */
export async function insertClient(
  db: Queryable,
  overrides: Partial<ClientRow> = {},
): Promise<{ id: number; cedula: string }> {
  const client = buildClient(overrides);
  return { id: await insertRow(db, 'clientes', client), cedula: client.cedula };
}

/**
 * Inserts a loan for `cliente_id`; an approved one gets its French schedule of cuotas, all PENDIENTE.
 * Returns the loan id and the cuota ids in installment order.
 */
export async function insertLoan(
  db: Queryable,
  overrides: Partial<LoanRow> & { cliente_id: number },
): Promise<{ id: number; cuotaIds: number[] }> {
  const loan = buildLoan(overrides);
  const id = await insertRow(db, 'prestamos', loan);
  if (!loan.fecha_aprobacion || !['APROBADO', 'FINALIZADO'].includes(loan.estado)) return { id, cuotaIds: [] };
  const schedule = frenchSchedule({
    principal: loan.total_financiamiento,
    tasaAnual: loan.tasa_interes,
    modalidad: loan.modalidad_pago,
    numeroCuotas: loan.numero_cuotas,
    fechaAprobacion: loan.fecha_aprobacion,
  });
  const columns = ['prestamo_id', ...Object.keys(schedule.cuotas[0] ?? {})];
  const values = schedule.cuotas.flatMap((cuota) => [id, ...Object.values(cuota)]);
  const tuples = schedule.cuotas.map(
    (_, row) => `(${columns.map((__, column) => `$${row * columns.length + column + 1}`).join(', ')})`,
  );
  await db.query(`INSERT INTO cuotas (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, values);
  const { rows } = await db.query<{ id: number }>(
    'SELECT id FROM cuotas WHERE prestamo_id = $1 ORDER BY numero_cuota',
    [id],
  );
  return { id, cuotaIds: rows.map((row) => row.id) };
}
