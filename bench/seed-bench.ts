import type { Database } from '../src/db/database.ts';
import { copyLoanBookBatch, generateLoanBook, type LoanBookBatch, seedLoanBook } from '../src/modules/loans/index.ts';

const perSecond = (rows: number, ms: number) => Math.round(rows / (ms / 1000));

/**
 * Seeds `clientes` clients into a fresh database, then COPYs the same rows, generated beforehand,
 * into another fresh one: the ratio shows what generation adds on top of the database's own work.
 */
export async function benchSeed(options: {
  open: () => Promise<{ db: Database; close: () => Promise<void> }>;
  clientes: number;
  semilla?: string;
}): Promise<object> {
  const semilla = options.semilla ?? 'rapicredit-bench';
  const seeded = await options.open();
  let report;
  let seedMs: number;
  try {
    const started = performance.now();
    report = await seedLoanBook({ db: seeded.db, clientes: options.clientes, semilla, reset: false });
    seedMs = performance.now() - started;
  } finally {
    await seeded.close();
  }
  const filas = Object.values(report.filas).reduce((total, rows) => total + rows, 0);

  const batches: LoanBookBatch[] = [...generateLoanBook({ clientes: options.clientes, semilla, hoy: report.hoy })];
  const copied = await options.open();
  let copyMs: number;
  try {
    const started = performance.now();
    for (const batch of batches) await copyLoanBookBatch(copied.db, batch);
    copyMs = performance.now() - started;
  } finally {
    await copied.close();
  }
  return {
    clientes: options.clientes,
    filas,
    seed_ms: Math.round(seedMs),
    seed_filas_por_s: perSecond(filas, seedMs),
    copy_ms: Math.round(copyMs),
    copy_filas_por_s: perSecond(filas, copyMs),
    ratio_seed_vs_copy: Number((seedMs / copyMs).toFixed(3)),
    generacion_ms: Math.round(report.generacionMs),
    escritura_ms: Math.round(report.escrituraMs),
  };
}
