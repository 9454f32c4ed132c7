import type { PGliteInterface } from '@electric-sql/pglite';

/** The narrow database seam that both PGlite and node-postgres satisfy. */
export interface QueryResult<Row> {
  rows: Row[];
  /** Column names in result order. */
  columns: string[];
  affectedRows: number;
}

export interface Queryable {
  /** One statement with `$n` parameters; rows as objects. */
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
  /** One statement with `$n` parameters; rows as arrays (for tabular output). */
  queryArrays(text: string, params?: readonly unknown[]): Promise<QueryResult<unknown[]>>;
  /** A script of several statements without parameters. */
  exec(script: string): Promise<void>;
}

export type DatabaseKind = 'pglite' | 'postgres';

/**
 * How a library that manages its own SQL sessions (the job queue) reaches the same database:
 * the single PGlite instance, or the server URL for a pool of its own.
 */
export type NativeConnection = { kind: 'pglite'; pglite: PGliteInterface } | { kind: 'postgres'; url: string };

export interface Database extends Queryable {
  readonly kind: DatabaseKind;
  /** Human-readable location (data folder or server URL without password). */
  readonly location: string;
  readonly native: NativeConnection;
  /** Runs `work` in one transaction on one connection; rolls back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Bulk-loads CSV text into `table (columns)` with COPY; returns the row count. */
  copyFrom(table: string, columns: readonly string[], csv: string): Promise<number>;
  close(): Promise<void>;
}

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

/**
 * Type parsers shared by both adapters so a row looks the same on either database:
 * counts and money as numbers, calendar dates as `YYYY-MM-DD` strings (never shifted by time zone).
 */
export const sharedTypeParsers: Record<number, (value: string) => unknown> = {
  [INT8]: (value) => Number(value),
  [NUMERIC]: (value) => Number(value),
  [DATE]: (value) => value,
};
