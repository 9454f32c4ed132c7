import { loadModule, parse } from 'libpg-query';

type AstObject = Record<string, unknown>;

const isObject = (value: unknown): value is AstObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The body of a `{ Type: body }` node when it is of `type`. */
function node(value: unknown, type: string): AstObject | undefined {
  if (!isObject(value)) return undefined;
  const body = value[type];
  return isObject(body) ? body : undefined;
}

/** Strips casts: `(estado)::text` is still the column, `'A'::text` still the constant. */
function uncast(value: unknown): unknown {
  const cast = node(value, 'TypeCast');
  return cast ? uncast(cast.arg) : value;
}

function constantText(value: unknown): string | undefined {
  const constant = node(uncast(value), 'A_Const');
  if (!constant) return undefined;
  for (const [key, field] of [
    ['sval', 'sval'],
    ['ival', 'ival'],
    ['fval', 'fval'],
    ['boolval', 'boolval'],
  ] as const) {
    const inner = constant[key];
    if (isObject(inner)) return String(inner[field] ?? (key === 'ival' ? 0 : key === 'boolval' ? false : ''));
  }
  return undefined;
}

/**
 * The column and the values of a CHECK constraint that lists what one column may hold
 * (`campo IN (...)` or `campo = ANY (ARRAY[...])`, as pg_get_constraintdef prints it); undefined otherwise.
 */
export async function parseCheckValues(definition: string): Promise<{ campo: string; valores: string[] } | undefined> {
  await loadModule();
  let tree: unknown;
  try {
    tree = await parse(`ALTER TABLE t ADD ${definition}`);
  } catch {
    return undefined;
  }
  const statements = isObject(tree) && Array.isArray(tree.stmts) ? tree.stmts : [];
  const alter = node((statements[0] as AstObject | undefined)?.stmt, 'AlterTableStmt');
  const command = node(Array.isArray(alter?.cmds) ? alter.cmds[0] : undefined, 'AlterTableCmd');
  const expression = node(node(command?.def, 'Constraint')?.raw_expr, 'A_Expr');
  if (!expression) return undefined;
  const operator = Array.isArray(expression.name) ? node(expression.name[0], 'String')?.sval : undefined;
  if (operator !== '=' || !['AEXPR_IN', 'AEXPR_OP_ANY'].includes(String(expression.kind))) return undefined;
  const column = node(uncast(expression.lexpr), 'ColumnRef');
  const fields = Array.isArray(column?.fields) ? column.fields : [];
  const campo = fields.length === 1 ? node(fields[0], 'String')?.sval : undefined;
  if (typeof campo !== 'string') return undefined;
  const right = uncast(expression.rexpr);
  const items = node(right, 'List')?.items ?? node(right, 'A_ArrayExpr')?.elements;
  if (!Array.isArray(items) || items.length === 0) return undefined;
  const valores = items.map(constantText);
  if (valores.some((value) => value === undefined)) return undefined;
  return { campo, valores: valores as string[] };
}
