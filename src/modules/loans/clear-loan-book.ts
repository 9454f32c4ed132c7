import type { Database, Queryable } from '../../db/database.ts';

const BOOK_TABLES = ['clientes', 'prestamos', 'cuotas', 'pagos', 'modelos_riesgo', 'modelos_impago_cuotas'];

// Conversations survive a reset (they are what the assistant learned from); only their links to
// the old book are cut. Predictions point at loans and cuotas that disappear, so they go too.
const UNLINK_CONVERSATIONS_SQL = `
  UPDATE conversaciones_ai SET cliente_id = NULL, prestamo_id = NULL, cuota_id = NULL, pago_id = NULL
  WHERE cliente_id IS NOT NULL OR prestamo_id IS NOT NULL OR cuota_id IS NOT NULL OR pago_id IS NOT NULL`;

// Foreign keys from tables outside the book into it.
const OUTSIDE_REFERENCES_SQL = `
  SELECT c.conrelid::regclass::text AS tabla, c.conname AS nombre, pg_get_constraintdef(c.oid) AS definicion
  FROM pg_constraint c
  WHERE c.contype = 'f' AND c.confrelid = ANY ($1::regclass[]) AND NOT (c.conrelid = ANY ($1::regclass[]))
  ORDER BY 1, 2`;

const DELETE_IN_ORDER_SQL = BOOK_TABLES.toReversed()
  .map((table) => `DELETE FROM ${table};`)
  .join('\n');

const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Deleting row by row fires one foreign-key trigger per row and referencing table, and
 * conversaciones_ai has no index on its links: millions of cuotas took minutes. When the only
 * outside references are the conversation links (already cleared), those constraints are lifted
 * for a TRUNCATE and put back, all in the same transaction. Any other reference (a table added
 * later) gets the plain DELETE in foreign-key order, so its ON DELETE rule still applies.
 */
async function emptyTables(tx: Queryable): Promise<void> {
  const { rows } = await tx.query<{ tabla: string; nombre: string; definicion: string }>(OUTSIDE_REFERENCES_SQL, [
    BOOK_TABLES,
  ]);
  if (rows.some((reference) => reference.tabla !== 'conversaciones_ai')) {
    await tx.exec(DELETE_IN_ORDER_SQL);
    return;
  }
  const lift = rows.map(
    (reference) => `ALTER TABLE conversaciones_ai DROP CONSTRAINT ${quoteIdentifier(reference.nombre)};`,
  );
  const restore = rows.map(
    (reference) =>
      `ALTER TABLE conversaciones_ai ADD CONSTRAINT ${quoteIdentifier(reference.nombre)} ${reference.definicion};`,
  );
  await tx.exec([...lift, `TRUNCATE ${BOOK_TABLES.join(', ')};`, ...restore].join('\n'));
}

/** Empties the loan book (clients, loans, cuotas, payments, predictions) in one transaction. */
export async function clearLoanBook(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(UNLINK_CONVERSATIONS_SQL);
    await emptyTables(tx);
  });
}
