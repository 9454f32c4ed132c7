import { loadModule, parse } from 'libpg-query';
import { AppError } from '../errors.ts';
import type { Database } from './database.ts';

interface ParsedStatement {
  stmt: Record<string, { kind?: string }>;
  stmt_location?: number;
  stmt_len?: number;
}

const ROW_WRITING_KINDS = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/** The script's own transaction control, which `loadScript` replaces with its single transaction. */
const OWN_TRANSACTION_KINDS = new Set(['TRANS_STMT_BEGIN', 'TRANS_STMT_START', 'TRANS_STMT_COMMIT']);

function lineOf(bytes: Buffer, byteOffset: number): number {
  let line = 1;
  for (let index = 0; index < byteOffset && index < bytes.length; index += 1) if (bytes[index] === 10) line += 1;
  return line;
}

/** Splits a script into statements with a real PostgreSQL parser (offsets are UTF-8 byte offsets). */
async function splitStatements(script: string): Promise<{ sql: string; kind: string; line: number }[]> {
  await loadModule();
  let parsed: { stmts: ParsedStatement[] };
  try {
    parsed = (await parse(script)) as { stmts: ParsedStatement[] };
  } catch (error) {
    const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    const bytes = Buffer.from(script);
    const where = details?.cursorPosition === undefined ? '' : ` (línea ${lineOf(bytes, details.cursorPosition)})`;
    throw new AppError('INVALID_INPUT', `El script SQL no es válido${where}: ${(error as Error).message}.`, {
      cause: error,
    });
  }
  const bytes = Buffer.from(script);
  return parsed.stmts.map((statement) => {
    const start = statement.stmt_location ?? 0;
    const end = statement.stmt_len ? start + statement.stmt_len : bytes.length;
    const [type = 'desconocida'] = Object.keys(statement.stmt);
    const kind = type === 'TransactionStmt' ? (statement.stmt[type]?.kind ?? type) : type;
    return { sql: bytes.subarray(start, end).toString('utf8'), kind, line: lineOf(bytes, start) };
  });
}

/** What a loaded script did. */
export interface LoadReport {
  sentencias: number;
  filasAfectadas: number;
}

/**
 * Runs a SQL script (fixtures, evaluation books, restores) as one transaction: either every
 * statement applies or none does. The script's own BEGIN/COMMIT are absorbed into that
 * transaction; any other transaction control (ROLLBACK, SAVEPOINT...) is refused up front.
 */
export async function loadScript(db: Database, script: string): Promise<LoadReport> {
  const statements = await splitStatements(script);
  const foreign = statements.find(
    (statement) => statement.kind.startsWith('TRANS_STMT_') && !OWN_TRANSACTION_KINDS.has(statement.kind),
  );
  if (foreign) {
    throw new AppError(
      'INVALID_INPUT',
      `El script controla su propia transacción en la línea ${foreign.line} (${foreign.kind.replace('TRANS_STMT_', '')}); ` +
        'db load ya ejecuta todo el script en una sola transacción: quite esa sentencia.',
    );
  }
  const work = statements.filter((statement) => !OWN_TRANSACTION_KINDS.has(statement.kind));
  const report = await db.transaction(async (tx) => {
    let affected = 0;
    for (const [index, statement] of work.entries()) {
      try {
        const result = await tx.query(statement.sql);
        if (ROW_WRITING_KINDS.has(statement.kind)) affected += result.affectedRows;
      } catch (error) {
        throw new AppError(
          'INVALID_INPUT',
          `La sentencia ${index + 1} (línea ${statement.line}) falló: ${(error as Error).message}. ` +
            'No se aplicó ningún cambio del script.',
          { cause: error },
        );
      }
    }
    return { sentencias: work.length, filasAfectadas: affected };
  });
  // Planner statistics for what was just loaded: PGlite has no autovacuum, and on a server it comes
  // later; without them a lookup by cédula walked a whole index of payments (seconds at 100,000 clients).
  if (report.filasAfectadas > 0) await db.exec('ANALYZE');
  return report;
}
