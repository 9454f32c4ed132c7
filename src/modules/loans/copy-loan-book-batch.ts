import type { Database } from '../../db/database.ts';
import { LOAN_BOOK_COLUMNS, LOAN_BOOK_TABLES, type LoanBookBatch } from './loan-book-csv.ts';

/** Loads one generated batch with COPY, parents first; returns the rows written. */
export async function copyLoanBookBatch(db: Database, batch: LoanBookBatch): Promise<number> {
  let written = 0;
  for (const table of LOAN_BOOK_TABLES) {
    if (batch.rows[table] === 0) continue;
    const copied = await db.copyFrom(table, LOAN_BOOK_COLUMNS[table], batch.csv[table]);
    // A short count means the CSV and the row tally disagree: a generator bug, not a user error.
    if (copied !== batch.rows[table]) {
      throw new Error(`COPY ${table}: ${copied} rows loaded, ${batch.rows[table]} generated`);
    }
    written += copied;
  }
  return written;
}
