import type { BuiltQuery, Condition, Dimension, Measure, QueryPlan } from './query-plan.ts';
import type { FieldDefinition } from './semantic-catalog.ts';

/** A foreign key of the loan book: `child.column` references `parent.parentColumn`. */
interface Edge {
  child: string;
  column: string;
  parent: string;
  parentColumn: string;
}

/** Columns that identify a row of each entity in a list (besides the ones the question asks for). */
export const DISPLAY_COLUMNS: Record<string, string[]> = {
  clientes: ['cedula', 'nombres'],
  prestamos: ['id', 'producto', 'total_financiamiento', 'estado'],
  cuotas: ['id', 'prestamo_id', 'numero_cuota', 'fecha_vencimiento', 'monto_cuota', 'total_pagado', 'estado'],
  pagos: ['id', 'fecha_pago', 'monto_pagado', 'metodo_pago'],
};

/** Foreign keys between domain tables, from the field definitions. */
export function foreignKeys(fields: FieldDefinition[]): Edge[] {
  return fields
    .filter((field) => field.es_clave_foranea && field.tabla_referenciada && field.campo_referenciado)
    .map((field) => ({
      child: field.tabla,
      column: field.campo,
      parent: field.tabla_referenciada ?? '',
      parentColumn: field.campo_referenciado ?? '',
    }));
}

/** Tables reachable from `base` through foreign keys (many-to-one: joining them never repeats rows). */
function upwardPaths(base: string, edges: Edge[]): Map<string, Edge[]> {
  const paths = new Map<string, Edge[]>([[base, []]]);
  const queue = [base];
  while (queue.length > 0) {
    const table = queue.shift() ?? '';
    for (const edge of edges.filter((candidate) => candidate.child === table)) {
      if (paths.has(edge.parent)) continue;
      paths.set(edge.parent, [...(paths.get(table) ?? []), edge]);
      queue.push(edge.parent);
    }
  }
  return paths;
}

/** Shortest one-to-many path from `from` down to `to`, or undefined. */
function downwardPath(from: string, to: string, edges: Edge[]): Edge[] | undefined {
  const paths = new Map<string, Edge[]>([[from, []]]);
  const queue = [from];
  while (queue.length > 0) {
    const table = queue.shift() ?? '';
    if (table === to) return paths.get(table);
    for (const edge of edges.filter((candidate) => candidate.parent === table)) {
      if (paths.has(edge.child)) continue;
      paths.set(edge.child, [...(paths.get(table) ?? []), edge]);
      queue.push(edge.child);
    }
  }
  return undefined;
}

/**
 * `expression` over the rows of `from` that belong to one row of `to` (an ancestor), as a scalar
 * subquery correlated with the outer query's `to`: "the largest days late of this loan".
 */
export function correlated(
  expression: string,
  from: string,
  to: string,
  condition: string | null,
  edges: Edge[],
): string | undefined {
  const path = upwardPaths(from, edges).get(to);
  if (!path || path.length === 0 || path.length > 2) return undefined;
  const [first, second] = path;
  if (!first) return undefined;
  const link = second
    ? `${from}.${first.column} IN (SELECT via.${first.parentColumn} FROM ${first.parent} AS via WHERE via.${second.column} = ${to}.${second.parentColumn})`
    : `${from}.${first.column} = ${to}.${first.parentColumn}`;
  return `(SELECT ${expression} FROM ${from} WHERE ${link}${condition ? ` AND (${condition})` : ''})`;
}

/** The table from which every other needed table is reachable upward, preferring the subject. */
export function chooseBase(subject: string, tables: string[], edges: Edge[]): string {
  const candidates = [subject, ...tables.filter((table) => table !== subject)];
  for (const candidate of [...candidates].reverse()) {
    const reachable = upwardPaths(candidate, edges);
    if (candidates.every((table) => reachable.has(table))) return candidate;
  }
  return subject;
}

interface Exists {
  edge: Edge;
  conditions: string[];
  children: Map<string, Exists>;
}

/** Renders the plan's SQL with `$n` parameters; identifiers come from the catalogue, values are bound. */
export class SqlBuilder {
  readonly params: unknown[] = [];
  private readonly joins = new Map<string, Edge[]>();
  private readonly upward: Map<string, Edge[]>;
  private readonly base: string;
  private readonly edges: Edge[];

  constructor(base: string, edges: Edge[]) {
    this.base = base;
    this.edges = edges;
    this.upward = upwardPaths(base, edges);
  }

  /** The condition's SQL with its values bound. */
  bind(condition: Condition): string {
    return condition.sql.replace(/\{(\d+)\}/g, (_, index: string) => {
      this.params.push(condition.values[Number(index)]);
      return `$${this.params.length}`;
    });
  }

  /** Makes `table` available to the outer query (joined when it is an ancestor); false when it is not. */
  use(table: string): boolean {
    const path = this.upward.get(table);
    if (!path) return false;
    if (table !== this.base) this.joins.set(table, path);
    return true;
  }

  /** Conditions as one SQL predicate: ancestors inline, descendants inside EXISTS, grouped per table. */
  predicate(conditions: Condition[]): string {
    const parts: string[] = [];
    const roots = new Map<string, Exists>();
    for (const condition of conditions) {
      const sql = this.bind(condition);
      if (this.use(condition.table)) {
        parts.push(`(${sql})`);
        continue;
      }
      const path = this.pathDown(condition.table);
      if (!path) throw new Error(`No join path to ${condition.table}`);
      let level = roots;
      let node: Exists | undefined;
      for (const edge of path) {
        node = level.get(edge.child);
        if (!node) {
          node = { edge, conditions: [], children: new Map() };
          level.set(edge.child, node);
        }
        level = node.children;
      }
      node?.conditions.push(`(${sql})`);
    }
    for (const node of roots.values()) parts.push(renderExists(node));
    return parts.join(' AND ');
  }

  private pathDown(table: string): Edge[] | undefined {
    let best: Edge[] | undefined;
    let from = this.base;
    for (const ancestor of this.upward.keys()) {
      const path = downwardPath(ancestor, table, this.edges);
      if (path && (!best || path.length < best.length)) {
        best = path;
        from = ancestor;
      }
    }
    if (best) this.use(from);
    return best;
  }

  /** FROM clause with the joins the query used. */
  from(): string {
    const joined = new Set([this.base]);
    const lines = [`FROM ${this.base}`];
    const paths = [...this.joins.values()].sort((a, b) => a.length - b.length);
    for (const path of paths) {
      for (const edge of path) {
        if (joined.has(edge.parent)) continue;
        joined.add(edge.parent);
        lines.push(`JOIN ${edge.parent} ON ${edge.parent}.${edge.parentColumn} = ${edge.child}.${edge.column}`);
      }
    }
    return lines.join('\n');
  }
}

function renderExists(node: Exists): string {
  const { edge } = node;
  const inner = [
    `${edge.child}.${edge.column} = ${edge.parent}.${edge.parentColumn}`,
    ...node.conditions,
    ...[...node.children.values()].map(renderExists),
  ];
  return `EXISTS (SELECT 1 FROM ${edge.child} WHERE ${inner.join(' AND ')})`;
}

const quoteAlias = (alias: string): string => `"${alias.replace(/"/g, '')}"`;

/** True when `expression` is one aggregate call, so a FILTER clause can follow it. */
const isSingleCall = (expression: string): boolean => {
  const match = /^\s*[a-z_]+\s*\(([\s\S]*)\)\s*$/i.exec(expression);
  if (!match) return false;
  let depth = 0;
  for (const character of match[1] ?? '') {
    if (character === '(') depth++;
    if (character === ')' && --depth < 0) return false;
  }
  return depth === 0;
};

function measureSql(measure: Measure, builder: SqlBuilder, subject: string, base: string, inWhere: boolean): string {
  const own = measure.condition && !inWhere ? measure.condition : null;
  const core =
    measure.kind === 'count' ? (subject === base ? 'COUNT(*)' : `COUNT(DISTINCT ${subject}.id)`) : measure.expression;
  const filtered = (extra: string | null): string => {
    const conditions = [own, extra].filter((part): part is string => part !== null && part !== '');
    if (conditions.length === 0) return core;
    if (measure.kind === 'count' && subject !== base)
      return `COUNT(DISTINCT ${subject}.id) FILTER (WHERE ${conditions.join(' AND ')})`;
    if (measure.kind === 'count') return `COUNT(*) FILTER (WHERE ${conditions.join(' AND ')})`;
    if (!isSingleCall(core)) throw new Error('Metric cannot take a filter');
    return `${core} FILTER (WHERE ${conditions.join(' AND ')})`;
  };
  if (measure.share && measure.share.length > 0) {
    const share = builder.predicate(measure.share);
    return `ROUND(100.0 * ${filtered(share)} / NULLIF(${filtered(null)}, 0), 2)`;
  }
  return filtered(null);
}

function dimensionSelect(
  dimension: Dimension,
  builder: SqlBuilder,
): { select: string[]; group: string[]; order: string } {
  switch (dimension.kind) {
    case 'column': {
      builder.use(dimension.table);
      const column = dimension.expression ?? `${dimension.table}.${dimension.column}`;
      return { select: [`${column} AS ${quoteAlias(dimension.alias)}`], group: [column], order: column };
    }
    case 'entity': {
      builder.use(dimension.table);
      const display = DISPLAY_COLUMNS[dimension.table] ?? ['id'];
      const columns = [...new Set(['id', ...display.slice(0, 2)])].map((column) => `${dimension.table}.${column}`);
      return { select: columns, group: columns, order: `${dimension.table}.id` };
    }
    case 'time': {
      builder.use(dimension.table);
      const expression = `date_trunc('${dimension.grain}', ${dimension.table}.${dimension.column})::date`;
      return { select: [`${expression} AS ${quoteAlias(dimension.alias)}`], group: [expression], order: expression };
    }
    case 'bucket':
      throw new Error('Buckets are built by bucketQuery');
  }
}

function bucketCase(value: string, dimension: Extract<Dimension, { kind: 'bucket' }>): string {
  const branches = dimension.ranges.map((range) =>
    range.to === null
      ? `WHEN ${value} >= ${range.from} THEN '${range.label}'`
      : `WHEN ${value} BETWEEN ${range.from} AND ${range.to} THEN '${range.label}'`,
  );
  return `CASE ${branches.join(' ')} END`;
}

/** Mora ranges of entities other than cuotas: each row falls in the range of its largest days late. */
function bucketQuery(
  plan: QueryPlan,
  dimension: Extract<Dimension, { kind: 'bucket' }>,
  edges: Edge[],
  overdue: string,
): BuiltQuery {
  const builder = new SqlBuilder(plan.subject, edges);
  const where = plan.conditions.length > 0 ? `\nWHERE ${builder.predicate(plan.conditions)}` : '';
  const days = correlated('MAX(cuotas.dias_mora)', 'cuotas', plan.subject, overdue, edges) ?? 'NULL';
  const inner = [`${plan.subject}.id`, `${days} AS dias`];
  const outer = [`${bucketCase('t.dias', dimension)} AS ${quoteAlias(dimension.alias)}`];
  plan.measures.forEach((measure, index) => {
    if (measure.kind === 'count') {
      outer.push(`COUNT(*) AS ${quoteAlias(measure.alias)}`);
      return;
    }
    // Each row's own figure, then added up (or the extreme of them) across the range.
    const outerFunction = /^\s*(MAX|MIN)\s*\(/i.exec(measure.expression)?.[1]?.toUpperCase() ?? 'SUM';
    const value = correlated(measure.expression, measure.table, plan.subject, measure.condition, edges);
    if (!value) return;
    inner.push(`${value} AS m${index}`);
    outer.push(`${outerFunction}(t.m${index}) AS ${quoteAlias(measure.alias)}`);
  });
  // MATERIALIZED: each row's days late is computed once, not once per reference in CASE, WHERE and ORDER.
  const sql = `WITH t AS MATERIALIZED (SELECT ${inner.join(', ')}\n${builder.from()}${where})
SELECT ${outer.join(', ')}
FROM t
WHERE t.dias >= ${dimension.ranges[0]?.from ?? 1}
GROUP BY 1
ORDER BY MIN(t.dias)`;
  return { sql, params: builder.params };
}

/** Turns a plan into one SELECT over the loan book. */
export function buildSql(input: QueryPlan, fields: FieldDefinition[], options: { overdue?: string } = {}): BuiltQuery {
  // The same condition named twice ("préstamos en mora ... mora") is applied once.
  const seen = new Set<string>();
  const distinct = input.conditions.filter((condition) => {
    const key = `${condition.sql}|${JSON.stringify(condition.values)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  let plan = { ...input, conditions: distinct };
  const edges = foreignKeys(fields);
  const dimension = plan.groupBy;
  if (dimension?.kind === 'bucket' && dimension.table !== 'cuotas') {
    return bucketQuery(plan, dimension, edges, options.overdue ?? 'true');
  }
  const tables = [
    ...plan.measures.map((measure) => measure.table),
    ...(plan.measures.length === 0 ? plan.columns.map((column) => column.table) : []),
    ...(dimension && dimension.kind !== 'entity' ? [dimension.table] : []),
    ...(dimension?.kind === 'entity' ? [dimension.table] : []),
  ];
  const base = chooseBase(plan.subject, tables, edges);
  // A metric's own condition that the question already asks for applies to every row anyway.
  const asked = new Set(plan.conditions.map((condition) => condition.sql));
  plan = {
    ...plan,
    measures: plan.measures.map((measure) =>
      measure.condition && asked.has(measure.condition) ? { ...measure, condition: null } : measure,
    ),
  };
  const builder = new SqlBuilder(base, edges);
  const sharedCondition =
    plan.measures.length > 0 &&
    plan.measures.every((measure) => measure.condition && measure.condition === plan.measures[0]?.condition)
      ? (plan.measures[0]?.condition ?? null)
      : null;
  const select: string[] = [];
  const group: string[] = [];
  let order: string[] = [];
  if (plan.measures.length === 0) {
    const columns = new Map<string, string>();
    for (const column of DISPLAY_COLUMNS[plan.subject] ?? ['id']) columns.set(`${plan.subject}.${column}`, column);
    for (const column of plan.columns) {
      if (builder.use(column.table)) columns.set(`${column.table}.${column.column}`, column.column);
    }
    builder.use(plan.subject);
    const aliases = new Set<string>();
    for (const [qualified, column] of columns) {
      const alias = aliases.has(column) ? `${qualified.split('.')[0]}_${column}` : column;
      aliases.add(alias);
      select.push(`${qualified} AS ${quoteAlias(alias)}`);
    }
    for (const value of plan.computed) {
      builder.use(value.table);
      select.push(`${value.expression} AS ${quoteAlias(value.alias)}`);
    }
    if (plan.selection) order = [plan.selection.order];
    else if (plan.ranking?.orderColumn) {
      builder.use(plan.ranking.orderColumn.table);
      order = [
        `${plan.ranking.orderColumn.table}.${plan.ranking.orderColumn.column} ${plan.ranking.direction}`,
        `${base}.id`,
      ];
    } else order = [plan.subject === 'clientes' ? 'clientes.nombres' : `${base}.id`, `${base}.id`];
  } else {
    if (dimension?.kind === 'bucket') {
      const value = `${dimension.table}.dias_mora`;
      select.push(`${bucketCase(value, dimension)} AS ${quoteAlias(dimension.alias)}`);
      group.push('1');
      order = [`MIN(${value})`];
    } else if (dimension) {
      const parts = dimension ? dimensionSelect(dimension, builder) : undefined;
      if (parts) {
        select.push(...parts.select);
        group.push(...parts.group);
        order = [parts.order];
      }
    }
    if (plan.measures.some((measure) => measure.kind === 'count')) builder.use(plan.subject);
    for (const measure of plan.measures) {
      select.push(
        `${measureSql(measure, builder, plan.subject, base, sharedCondition !== null)} AS ${quoteAlias(measure.alias)}`,
      );
    }
    if (plan.ranking) {
      const first = plan.measures[0];
      order = [`${quoteAlias(first?.alias ?? '1')} ${plan.ranking.direction}`, ...order];
    }
  }
  const conditions = [...plan.conditions];
  if (sharedCondition) {
    const table = plan.measures[0]?.table ?? base;
    conditions.push({ table, sql: sharedCondition, values: [], label: '' });
  }
  const where = conditions.length > 0 ? builder.predicate(conditions) : '';
  const lines = [`SELECT ${select.join(', ')}`, builder.from()];
  if (where) lines.push(`WHERE ${where}`);
  if (group.length > 0) lines.push(`GROUP BY ${group.join(', ')}`);
  if (order.length > 0 && (plan.measures.length === 0 || group.length > 0 || plan.ranking))
    lines.push(`ORDER BY ${order.join(', ')}`);
  if (plan.selection) lines.push(`LIMIT ${plan.ranking?.limit ?? 1}`);
  else if (plan.ranking) lines.push(`LIMIT ${plan.ranking.limit}`);
  return { sql: lines.join('\n'), params: builder.params };
}
