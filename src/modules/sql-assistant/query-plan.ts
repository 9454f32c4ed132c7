/** A condition on one table; `{n}` marks stand for `values[n]` (bound as `$k` parameters). */
export interface Condition {
  table: string;
  sql: string;
  values: unknown[];
  /** How the answer describes it ("préstamo activo", "cédula V11034041"). */
  label: string;
  /** Set when the condition names one row of this table (a cédula, a name, an id). */
  entity?: string;
  /** Set when the condition is a calendar period (a follow-up question may replace it). */
  period?: boolean;
  /** `tabla.columna` when the condition fixes one column's value (a follow-up may replace it). */
  field?: string;
}

/** One figure the answer computes. */
export interface Measure {
  kind: 'count' | 'aggregate';
  /** Table whose rows the measure runs over. */
  table: string;
  /** For `aggregate`: the SQL aggregate over `table` ("SUM(pagos.monto_pagado)"). */
  expression: string;
  /** Applies to this measure only (a metric's own definition). */
  condition: string | null;
  alias: string;
  label: string;
  /** `percentage`: the share of the measure that meets these conditions, in %. */
  share?: Condition[];
}

/** What rows are grouped by. */
export type Dimension =
  | { kind: 'column'; table: string; column: string; alias: string; label: string; expression?: string }
  | { kind: 'entity'; table: string; alias: string; label: string }
  | {
      kind: 'time';
      table: string;
      column: string;
      grain: 'day' | 'week' | 'month' | 'year';
      alias: string;
      label: string;
    }
  | { kind: 'bucket'; table: string; ranges: BucketRange[]; alias: string; label: string };

/** A mora range: [from, to] days, `to` null for "más de from - 1". */
export interface BucketRange {
  from: number;
  to: number | null;
  label: string;
}

/** The meaning of a question, independent of SQL. */
export interface QueryPlan {
  /** The entity the question is about (the rows listed or counted). */
  subject: string;
  measures: Measure[];
  conditions: Condition[];
  groupBy: Dimension | null;
  /** Order by the first measure (or `orderColumn` in a list) and keep `limit` rows. */
  ranking: { direction: 'ASC' | 'DESC'; limit: number; orderColumn?: { table: string; column: string } } | null;
  /** A list: these columns (besides the subject's own display columns). */
  columns: { table: string; column: string }[];
  /** One row picked by a dictionary selection ("último pago"). */
  selection: { table: string; order: string; label: string } | null;
  /** Per-row values in a list ("lo que falta por pagar de cada una"): a metric without its aggregate. */
  computed: { table: string; expression: string; alias: string }[];
}

/** The SQL of a plan, ready to guard and run. */
export interface BuiltQuery {
  sql: string;
  params: unknown[];
}
