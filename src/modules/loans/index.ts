export { getClient, type ClientDetail, type ClientLoanSummary } from './get-client.ts';
export { getLoan, type LoanDetail, type LoanInstallment } from './get-loan.ts';
export { seedLoanBook, type SeedLoanBookOptions, type SeedLoanBookReport } from './seed-loan-book.ts';
export { generateLoanBook, type GenerateLoanBookOptions } from './generate-loan-book.ts';
export { copyLoanBookBatch } from './copy-loan-book-batch.ts';
export { LOAN_BOOK_COLUMNS, LOAN_BOOK_TABLES, type LoanBookBatch, type LoanBookTable } from './loan-book-csv.ts';
export {
  frenchSchedule,
  PERIODS_PER_YEAR,
  type FrenchSchedule,
  type PaymentFrequency,
  type ScheduledInstallment,
} from './amortization.ts';
export { refreshInstallmentStates, type RefreshReport } from './refresh-installment-states.ts';
