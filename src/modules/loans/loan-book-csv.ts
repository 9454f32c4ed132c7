import { CsvWriter } from './csv-writer.ts';

/** The four tables of the loan book, in the order their foreign keys allow loading them. */
export type LoanBookTable = 'clientes' | 'prestamos' | 'cuotas' | 'pagos';

/** Tables in load order (parents first). */
export const LOAN_BOOK_TABLES: readonly LoanBookTable[] = ['clientes', 'prestamos', 'cuotas', 'pagos'];

const columns = (names: string): readonly string[] => names.split(' ');

/** Column order of each table's CSV text (ids explicit, so children can point at parents). */
export const LOAN_BOOK_COLUMNS: Readonly<Record<LoanBookTable, readonly string[]>> = {
  clientes: columns(
    'id cedula nombres telefono email direccion fecha_nacimiento ocupacion ingreso_mensual estado fecha_registro notas',
  ),
  prestamos: columns(
    'id cliente_id producto total_financiamiento tasa_interes modalidad_pago numero_cuotas cuota_periodo fecha_requerimiento fecha_aprobacion estado analista concesionario fecha_registro observaciones',
  ),
  cuotas: columns(
    'id prestamo_id numero_cuota fecha_vencimiento monto_cuota monto_capital monto_interes saldo_capital_inicial saldo_capital_final total_pagado fecha_pago dias_mora estado',
  ),
  pagos: columns(
    'id prestamo_id cliente_id cuota_id fecha_pago monto_pagado metodo_pago institucion_bancaria numero_documento conciliado fecha_registro usuario_registro',
  ),
};

/** One batch of the loan book as COPY-ready CSV text (no header), with its row counts. */
export interface LoanBookBatch {
  csv: Record<LoanBookTable, string>;
  rows: Record<LoanBookTable, number>;
}

/** Per-table writers and row counts of the batch being generated. */
export interface BatchWriter {
  csv: Record<LoanBookTable, CsvWriter>;
  rows: Record<LoanBookTable, number>;
}

/** Fresh writers for a new generation run. */
export function batchWriter(): BatchWriter {
  return {
    csv: { clientes: new CsvWriter(), prestamos: new CsvWriter(), cuotas: new CsvWriter(), pagos: new CsvWriter() },
    rows: { clientes: 0, prestamos: 0, cuotas: 0, pagos: 0 },
  };
}

/** The finished batch as text; the writers are emptied for the next one. */
export function takeBatch(writer: BatchWriter): LoanBookBatch {
  const batch: LoanBookBatch = {
    csv: {
      clientes: writer.csv.clientes.take(),
      prestamos: writer.csv.prestamos.take(),
      cuotas: writer.csv.cuotas.take(),
      pagos: writer.csv.pagos.take(),
    },
    rows: { ...writer.rows },
  };
  writer.rows = { clientes: 0, prestamos: 0, cuotas: 0, pagos: 0 };
  return batch;
}
