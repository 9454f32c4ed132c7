import type { QueryPlan } from '../sql-assistant/index.ts';

const ENTITY_NAMES: Record<string, [string, string]> = {
  clientes: ['cliente', 'clientes'],
  prestamos: ['préstamo', 'préstamos'],
  cuotas: ['cuota', 'cuotas'],
  pagos: ['pago', 'pagos'],
};

const numberFormat = new Intl.NumberFormat('es-VE', { maximumFractionDigits: 2 });

/** A cell as a person reads it: 1.234,56; dates as they are; empty as "—". */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return numberFormat.format(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'boolean') return value ? 'sí' : 'no';
  return String(value);
}

const humanize = (name: string): string => name.replace(/_/g, ' ');

function conditionsText(plan: QueryPlan): string {
  const labels = [...new Set(plan.conditions.map((condition) => condition.label).filter((label) => label !== ''))];
  return labels.length > 0 ? ` (${labels.join('; ')})` : '';
}

function entityName(table: string, count: number): string {
  const names = ENTITY_NAMES[table] ?? [table, table];
  return count === 1 ? names[0] : names[1];
}

/**
 * The answer in Spanish prose, built only from the rows: every figure it states is a cell of the
 * result, and an empty result says so instead of guessing.
 */
export function describeResult(
  plan: QueryPlan,
  result: { columnas: string[]; filas: unknown[][]; truncada: boolean },
): string {
  const { columnas, filas } = result;
  const where = conditionsText(plan);
  if (filas.length === 0) {
    if (plan.measures.length === 0 && plan.selection) return `No encontré ${plan.selection.label}${where}.`;
    return `No hay ${entityName(plan.subject, 2)} que cumplan las condiciones${where}.`;
  }
  const single = filas.length === 1 && plan.groupBy === null;
  if (single && plan.measures.length > 0) {
    const row = filas[0] ?? [];
    const parts = plan.measures.map((measure) => {
      const index = columnas.indexOf(measure.alias);
      const value = row[index];
      if (measure.kind === 'count' && !measure.share) {
        const count = Number(value ?? 0);
        return `${formatValue(count)} ${entityName(measure.table, count)}`;
      }
      if (value === null || value === undefined) {
        // A sum over no rows is zero to a person ("saldo pendiente de un préstamo pagado"); an average is not.
        const additive = /^\s*(SUM|COUNT)\s*\(/i.test(measure.expression);
        return `${humanize(measure.label)}: ${additive ? '0' : 'sin datos'} (ninguna fila cumple las condiciones)`;
      }
      return `${humanize(measure.share ? `porcentaje (${measure.share.map((condition) => condition.label).join(', ')})` : measure.label)}: ${formatValue(value)}${measure.share ? ' %' : ''}`;
    });
    return `${capitalize(parts.join('; '))}${where}.`;
  }
  if (single && plan.selection) {
    const row = filas[0] ?? [];
    const details = columnas.map((column, index) => `${humanize(column)}: ${formatValue(row[index])}`).join(', ');
    return `${capitalize(plan.selection.label)}${where}: ${details}.`;
  }
  if (single) {
    const row = filas[0] ?? [];
    const details = columnas.map((column, index) => `${humanize(column)}: ${formatValue(row[index])}`).join(', ');
    return `${capitalize(entityName(plan.subject, 1))}${where}: ${details}.`;
  }
  const shown = Math.min(filas.length, 5);
  const lines = filas.slice(0, shown).map((row) => `- ${row.map((cell) => formatValue(cell)).join(' · ')}`);
  const total = result.truncada ? `más de ${filas.length}` : String(filas.length);
  const first = plan.measures[0];
  let head: string;
  if (plan.ranking) {
    const direction = plan.ranking.direction === 'DESC' ? 'mayor' : 'menor';
    const by = first ? humanize(first.label) : humanize(plan.ranking.orderColumn?.column ?? '');
    const what =
      plan.groupBy?.kind === 'column'
        ? plan.groupBy.label
        : entityName(plan.groupBy?.kind === 'entity' ? plan.groupBy.table : plan.subject, filas.length);
    head = `${filas.length === 1 ? 'El' : `Los ${filas.length}`} ${what} con ${direction} ${by}${where}`;
  } else if (plan.groupBy) {
    const measures = plan.measures
      .map((measure) => humanize(measure.kind === 'count' ? entityName(measure.table, 2) : measure.label))
      .join(' y ');
    head = `${capitalize(measures)} por ${plan.groupBy.label}${where} (${filas.length} grupos)`;
  } else {
    head = `Encontré ${total} ${entityName(plan.subject, filas.length)}${where}`;
  }
  const more = filas.length > shown ? `\n(… y ${filas.length - shown} filas más en la tabla.)` : '';
  return `${head}:\n${lines.join('\n')}${more}`;
}

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Rows of a query the engine did not plan (a verified SQL, a model's SQL) in plain Spanish: one
 * value as "columna: valor", one row as its columns, several rows as the first lines of a list.
 */
export function describeRows(result: { columnas: string[]; filas: unknown[][]; truncada: boolean }): string {
  const { columnas, filas } = result;
  if (filas.length === 0) return 'La consulta no devolvió filas.';
  const first = filas[0] ?? [];
  if (filas.length === 1) {
    return `${capitalize(columnas.map((column, index) => `${humanize(column)}: ${formatValue(first[index])}`).join(', '))}.`;
  }
  const shown = Math.min(filas.length, 5);
  const lines = filas.slice(0, shown).map((row) => `- ${row.map((cell) => formatValue(cell)).join(' · ')}`);
  const total = result.truncada ? `más de ${filas.length}` : String(filas.length);
  const more = filas.length > shown ? `\n(… y ${filas.length - shown} filas más en la tabla.)` : '';
  return `Encontré ${total} filas (${columnas.map(humanize).join(', ')}):\n${lines.join('\n')}${more}`;
}
