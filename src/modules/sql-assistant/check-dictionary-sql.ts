import type { Database } from '../../db/database.ts';
import { AppError, isAppError } from '../../errors.ts';
import { runGuardedQuery } from './run-guarded-query.ts';
import { DOMAIN_TABLES } from './semantic-catalog.ts';

/** Each domain table with the tables above it, joined the way the engine joins them. */
const FROM_CLAUSE: Readonly<Record<(typeof DOMAIN_TABLES)[number], string>> = {
  clientes: 'clientes',
  prestamos: 'prestamos JOIN clientes ON clientes.id = prestamos.cliente_id',
  cuotas:
    'cuotas JOIN prestamos ON prestamos.id = cuotas.prestamo_id JOIN clientes ON clientes.id = prestamos.cliente_id',
  pagos: 'pagos JOIN prestamos ON prestamos.id = pagos.prestamo_id JOIN clientes ON clientes.id = prestamos.cliente_id',
};

const isDomainTable = (table: string): table is (typeof DOMAIN_TABLES)[number] =>
  (DOMAIN_TABLES as readonly string[]).includes(table);

/** The SQL a dictionary entry may carry: a condition ("préstamo vivo") and/or an expression ("saldo"). */
export interface DictionarySql {
  tabla: string;
  condicion?: string | null;
  expresion?: string | null;
}

/**
 * Checks the SQL of a dictionary entry before it is saved: it must pass the same guard as every
 * generated query (one read-only SELECT over the allowed tables, columns and functions) inside a
 * probe over its table and the tables above it, and PostgreSQL must accept it (columns and types
 * exist). The probe reads no rows. Throws INVALID_INPUT in Spanish naming the faulty part.
 */
export async function checkDictionarySql(db: Database, entry: DictionarySql): Promise<void> {
  const condicion = entry.condicion?.trim() || null;
  const expresion = entry.expresion?.trim() || null;
  if (!condicion && !expresion) return;
  if (!isDomainTable(entry.tabla)) {
    throw new AppError(
      'INVALID_INPUT',
      `La condición o expresión de una entrada debe referirse a una tabla de la cartera (${DOMAIN_TABLES.join(', ')}); se recibió «${entry.tabla}».`,
    );
  }
  for (const [label, fragment] of [
    ['condición', condicion],
    ['expresión', expresion],
  ] as const) {
    if (fragment && /;|--|\/\*/.test(fragment)) {
      throw new AppError(
        'INVALID_INPUT',
        `La ${label} no puede contener «;» ni comentarios: debe ser un solo fragmento de SQL.`,
      );
    }
  }
  const probe = `SELECT ${expresion ? `(${expresion})` : '1'} AS valor FROM ${FROM_CLAUSE[entry.tabla]}${
    condicion ? ` WHERE (${condicion})` : ''
  }`;
  try {
    await runGuardedQuery(db, `SELECT * FROM (${probe}) AS prueba LIMIT 0`, [], { maxRows: 1, timeoutMs: 5000 });
  } catch (error) {
    if (isAppError(error) && error.code === 'INVALID_INPUT') {
      throw new AppError('INVALID_INPUT', `El SQL de la entrada no es válido: ${error.message}`, { cause: error });
    }
    throw error;
  }
}
