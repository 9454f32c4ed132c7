import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { isIsoDate } from './calendar.ts';
import { clearLoanBook } from './clear-loan-book.ts';
import { copyLoanBookBatch } from './copy-loan-book-batch.ts';
import { generateLoanBook } from './generate-loan-book.ts';
import { LOAN_BOOK_TABLES, type LoanBookTable } from './loan-book-csv.ts';

/** Options of seedLoanBook. */
export interface SeedLoanBookOptions {
  db: Database;
  /** Number of clients to generate (1 to 1,000,000). */
  clientes: number;
  semilla: string | number;
  /** Replace an existing book (conversations are kept, their links to the book cleared). */
  reset: boolean;
  /** The book's "today" (YYYY-MM-DD); the database's CURRENT_DATE when omitted. */
  hoy?: string;
  /** Clients per COPY batch (default 2,000). */
  clientesPorLote?: number;
}

/** What seedLoanBook wrote and how long it took. */
export interface SeedLoanBookReport {
  semilla: string;
  hoy: string;
  filas: Record<LoanBookTable, number>;
  /** Time spent producing CSV text. */
  generacionMs: number;
  /** Time spent in COPY and resetting the id sequences. */
  escrituraMs: number;
  /** Time spent emptying the previous book (reset only). */
  limpiezaMs: number;
  totalMs: number;
}

const MAX_CLIENTS = 1_000_000;

// Explicit ids were loaded, so each identity must continue after the largest one.
const RESET_SEQUENCES_SQL = LOAN_BOOK_TABLES.map(
  (table) =>
    `SELECT setval(pg_get_serial_sequence('${table}', 'id'), coalesce((SELECT max(id) FROM ${table}), 0) + 1, false);`,
).join('\n');

function validate(options: SeedLoanBookOptions): { semilla: string } {
  const { clientes, hoy } = options;
  if (!Number.isInteger(clientes) || clientes < 1 || clientes > MAX_CLIENTS) {
    throw new AppError('INVALID_INPUT', `El número de clientes debe ser un entero entre 1 y ${MAX_CLIENTS}.`);
  }
  const semilla = String(options.semilla);
  if (semilla.trim() === '') throw new AppError('INVALID_INPUT', 'La semilla no puede estar vacía.');
  if (hoy !== undefined && !isIsoDate(hoy)) {
    throw new AppError('INVALID_INPUT', `La fecha «${hoy}» no es válida; use el formato AAAA-MM-DD.`);
  }
  return { semilla };
}

/**
 * Writes the deterministic demo loan book (clientes, prestamos, cuotas, pagos) with COPY, batch by
 * batch so memory stays bounded. Refuses to touch an existing book unless `reset` is set.
 */
export async function seedLoanBook(options: SeedLoanBookOptions): Promise<SeedLoanBookReport> {
  const { semilla } = validate(options);
  const { db } = options;
  const started = performance.now();
  const { rows } = await db.query<{ total: number; hoy: string }>(
    'SELECT (SELECT count(*) FROM clientes) AS total, CURRENT_DATE::text AS hoy',
  );
  const existing = rows[0]?.total ?? 0;
  const hoy = options.hoy ?? rows[0]?.hoy ?? '';
  if (existing > 0 && !options.reset) {
    throw new AppError(
      'CONFLICT',
      `La cartera ya tiene ${existing} clientes. Use --reset para reemplazarla (las conversaciones se conservan).`,
    );
  }
  let limpiezaMs = 0;
  if (options.reset) {
    const clearing = performance.now();
    await clearLoanBook(db);
    limpiezaMs = performance.now() - clearing;
  }
  const filas: Record<LoanBookTable, number> = { clientes: 0, prestamos: 0, cuotas: 0, pagos: 0 };
  let generacionMs = 0;
  let escrituraMs = 0;
  const batches = generateLoanBook({
    clientes: options.clientes,
    semilla,
    hoy,
    clientesPorLote: options.clientesPorLote,
  });
  for (;;) {
    const generating = performance.now();
    const next = batches.next();
    generacionMs += performance.now() - generating;
    if (next.done) break;
    const writing = performance.now();
    await copyLoanBookBatch(db, next.value);
    escrituraMs += performance.now() - writing;
    for (const table of LOAN_BOOK_TABLES) filas[table] += next.value.rows[table];
  }
  const sequencing = performance.now();
  await db.exec(RESET_SEQUENCES_SQL);
  escrituraMs += performance.now() - sequencing;
  // Planner statistics now (PGlite has no autovacuum): see loadScript.
  await db.exec('ANALYZE clientes, prestamos, cuotas, pagos');
  return { semilla, hoy, filas, generacionMs, escrituraMs, limpiezaMs, totalMs: performance.now() - started };
}
