import type { Database } from '../../db/database.ts';
import { AppError, isAppError } from '../../errors.ts';
import { guardSql } from './sql-guard.ts';

/** Rows of a guarded query, cut to `maxRows`, with the SQL that actually ran. */
export interface GuardedQueryResult {
  columnas: string[];
  filas: unknown[][];
  /** True when the query had more rows than `maxRows`. */
  truncada: boolean;
  /** The executed SQL (the original wrapped with a row limit). */
  sql: string;
  /** The allowed tables the query reads. */
  tablas: string[];
}

/** SQLSTATE classes that mean "this query is wrong", as opposed to a failing server. */
const QUERY_ERROR_CLASSES = new Set(['0A', '21', '22', '42', '54']);

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

function translate(error: unknown, timeoutMs: number): unknown {
  if (isAppError(error)) return error;
  const state = sqlState(error);
  if (state === '57014') {
    return new AppError(
      'INVALID_INPUT',
      `La consulta tardó más de ${timeoutMs} ms y se canceló; pruebe con una consulta más simple o con más filtros.`,
      { cause: error },
    );
  }
  if (state === '25006') {
    return new AppError(
      'INVALID_INPUT',
      'La consulta intentó modificar datos; solo se permiten consultas de lectura.',
      {
        cause: error,
      },
    );
  }
  if (state !== undefined && QUERY_ERROR_CLASSES.has(state.slice(0, 2))) {
    return new AppError('INVALID_INPUT', `La base de datos rechazó la consulta: ${(error as Error).message}.`, {
      cause: error,
    });
  }
  return error;
}

/**
 * Runs a generated query after `guardSql` accepts it, in a READ ONLY transaction with a statement
 * timeout, returning at most `maxRows` rows. PGlite does not enforce statement_timeout; there the
 * guard and the row limit are the only protection.
 */
export async function runGuardedQuery(
  db: Database,
  sql: string,
  params: readonly unknown[],
  options: { maxRows: number; timeoutMs: number },
): Promise<GuardedQueryResult> {
  const guarded = await guardSql(sql, { maxRows: options.maxRows });
  const timeoutMs = Math.max(1, Math.trunc(options.timeoutMs));
  let result;
  try {
    result = await db.transaction(async (tx) => {
      await tx.exec('SET TRANSACTION READ ONLY');
      await tx.exec(`SET LOCAL statement_timeout = ${timeoutMs}`);
      return tx.queryArrays(guarded.sql, params);
    });
  } catch (error) {
    throw translate(error, timeoutMs);
  }
  return {
    columnas: result.columns,
    filas: result.rows.slice(0, options.maxRows),
    truncada: result.rows.length > options.maxRows,
    sql: guarded.sql,
    tablas: guarded.tablas,
  };
}
