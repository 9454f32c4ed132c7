import type { BucketRange } from './query-plan.ts';
import type { Token } from './question-tokens.ts';

/** A calendar period: `sql` has `%c` where the date column goes and `{n}` for `values[n]`. */
export interface Period {
  start: number;
  end: number;
  sql: string;
  values: unknown[];
  label: string;
}

/** "más de 5000", "menor a 400", "entre 10 y 20": a comparison waiting for its column. */
export interface Comparison {
  start: number;
  end: number;
  operator: '>' | '<' | '>=' | '<=' | 'BETWEEN';
  values: number[];
  label: string;
}

const MONTHS = [
  'enero',
  'febrero',
  'marzo',
  'abril',
  'mayo',
  'junio',
  'julio',
  'agosto',
  'septiembre',
  'octubre',
  'noviembre',
  'diciembre',
];
const UNITS: Record<string, 'day' | 'week' | 'month' | 'year'> = {
  dia: 'day',
  semana: 'week',
  mes: 'month',
  ano: 'year',
};
const UNIT_NAMES = { day: 'días', week: 'semanas', month: 'meses', year: 'años' } as const;
const THIS = new Set(['este', 'esta', 'actual', 'presente', 'en curso']);
const LAST = new Set(['pasado', 'pasada', 'anterior']);
const NEXT = new Set(['proximo', 'proxima', 'siguiente', 'entrante']);

const trunc = (unit: string): string => `date_trunc('${unit}', CURRENT_DATE)::date`;
const range = (from: string, to: string): string => `%c >= ${from} AND %c < ${to}`;
const shift = (unit: string, amount: number): string =>
  amount === 0
    ? trunc(unit)
    : `(date_trunc('${unit}', CURRENT_DATE) ${amount > 0 ? '+' : '-'} interval '${Math.abs(amount)} ${unit}')::date`;

function calendar(unit: 'week' | 'month' | 'year', offset: number): string {
  return range(shift(unit, offset), shift(unit, offset + 1));
}

const keyAt = (tokens: Token[], index: number): string => tokens[index]?.key ?? '';
const numberAt = (tokens: Token[], index: number): number | undefined =>
  tokens[index]?.kind === 'number' ? (tokens[index]?.value as number) : undefined;

/** Numbers written as words, as comparisons use them ("más de un préstamo", "al menos dos cuotas"). */
export const NUMBER_WORDS: Record<string, number> = {
  un: 1,
  uno: 1,
  una: 1,
  dos: 2,
  tres: 3,
  cuatro: 4,
  cinco: 5,
  seis: 6,
  siete: 7,
  ocho: 8,
  nueve: 9,
  diez: 10,
};
const amountAt = (tokens: Token[], index: number): number | undefined =>
  numberAt(tokens, index) ?? NUMBER_WORDS[keyAt(tokens, index)];
const isYear = (value: number | undefined): value is number => value !== undefined && value >= 1990 && value <= 2100;

/** Finds calendar periods, relative to CURRENT_DATE (the spec's definitions: weeks Monday to Sunday). */
export function findPeriods(tokens: Token[], used: boolean[]): Period[] {
  const periods: Period[] = [];
  const take = (start: number, end: number, sql: string, label: string, values: unknown[] = []): void => {
    for (let index = start; index < end; index++) used[index] = true;
    periods.push({ start, end, sql, values, label });
  };
  // "dentro de 7 días", "desde hoy hasta dentro de 7 días": from today to N days ahead.
  for (let index = 0; index + 3 < tokens.length; index++) {
    const unit = UNITS[keyAt(tokens, index + 3)];
    const amount = numberAt(tokens, index + 2);
    if (keyAt(tokens, index) !== 'dentro' || keyAt(tokens, index + 1) !== 'de' || amount === undefined || !unit)
      continue;
    let start = index;
    if (keyAt(tokens, start - 1) === 'hasta') start--;
    if (keyAt(tokens, start - 1) === 'hoy' && keyAt(tokens, start - 2) === 'desde') start -= 2;
    const until =
      unit === 'day'
        ? `CURRENT_DATE + ${amount}`
        : unit === 'week'
          ? `CURRENT_DATE + ${amount * 7}`
          : `(CURRENT_DATE + interval '${amount} ${unit}')::date`;
    take(
      start,
      index + 4,
      `%c >= CURRENT_DATE AND %c <= ${until}`,
      `desde hoy hasta dentro de ${amount} ${UNIT_NAMES[unit]}`,
    );
  }
  for (let index = 0; index < tokens.length; index++) {
    if (used[index]) continue;
    const key = keyAt(tokens, index);
    const next = keyAt(tokens, index + 1);
    // "en lo que va de año": from the start of the period to today.
    if (
      key === 'lo' &&
      keyAt(tokens, index + 1) === 'que' &&
      keyAt(tokens, index + 2) === 'va' &&
      ['de', 'del'].includes(keyAt(tokens, index + 3))
    ) {
      const article = keyAt(tokens, index + 4) === 'el' ? 1 : 0;
      const word = keyAt(tokens, index + 4 + article);
      const unit = word === 'semana' ? 'week' : word === 'mes' ? 'month' : word === 'ano' ? 'year' : undefined;
      if (unit) {
        const start = keyAt(tokens, index - 1) === 'en' ? index - 1 : index;
        const label = `en lo que va de ${word === 'ano' ? 'año' : word}`;
        take(start, index + 5 + article, `%c >= ${trunc(unit)} AND %c <= CURRENT_DATE`, label);
        continue;
      }
    }
    // "antes de 1975", "después de 2020", "desde 2024": open-ended years.
    const yearAfterDe = numberAt(tokens, index + 2);
    const anyYear = (value: number | undefined): value is number =>
      value !== undefined && value >= 1900 && value <= 2100;
    if ((key === 'antes' || key === 'despues') && next === 'de' && anyYear(yearAfterDe)) {
      const sql = key === 'antes' ? '%c < make_date({0}, 1, 1)' : '%c >= make_date({0} + 1, 1, 1)';
      take(index, index + 3, sql, `${key === 'antes' ? 'antes' : 'después'} de ${yearAfterDe}`, [yearAfterDe]);
      continue;
    }
    if (key === 'desde' && anyYear(numberAt(tokens, index + 1))) {
      const year = numberAt(tokens, index + 1);
      take(index, index + 2, '%c >= make_date({0}, 1, 1)', `desde ${year}`, [year]);
      continue;
    }
    if (key === 'hoy') take(index, index + 1, '%c = CURRENT_DATE', 'hoy');
    else if (key === 'ayer') take(index, index + 1, '%c = CURRENT_DATE - 1', 'ayer');
    else if (key === 'manana' && index > 0) take(index, index + 1, '%c = CURRENT_DATE + 1', 'mañana');
    else if (THIS.has(key) && ['semana', 'mes', 'ano', 'trimestre'].includes(next)) {
      const unit = next === 'semana' ? 'week' : next === 'mes' ? 'month' : next === 'ano' ? 'year' : 'quarter';
      take(
        index,
        index + 2,
        unit === 'quarter' ? range(trunc('quarter'), shift('quarter', 1)) : calendar(unit, 0),
        `${key} ${tokens[index + 1]?.text ?? ''}`,
      );
    } else if (
      ['semana', 'mes', 'ano'].includes(key) &&
      (LAST.has(next) || NEXT.has(next) || next === 'actual' || next === 'presente')
    ) {
      const unit = key === 'semana' ? 'week' : key === 'mes' ? 'month' : 'year';
      const offset = LAST.has(next) ? -1 : NEXT.has(next) ? 1 : 0;
      take(index, index + 2, calendar(unit, offset), `${tokens[index]?.text ?? ''} ${tokens[index + 1]?.text ?? ''}`);
    } else if (NEXT.has(key) && ['semana', 'mes', 'ano'].includes(next)) {
      const unit = next === 'semana' ? 'week' : next === 'mes' ? 'month' : 'year';
      take(index, index + 2, calendar(unit, 1), `${key} ${next}`);
    } else if (
      (key === 'ultimo' || NEXT.has(key)) &&
      numberAt(tokens, index + 1) !== undefined &&
      UNITS[keyAt(tokens, index + 2)]
    ) {
      const amount = numberAt(tokens, index + 1) ?? 0;
      const unit = UNITS[keyAt(tokens, index + 2)] ?? 'day';
      const days = unit === 'day' ? amount : unit === 'week' ? amount * 7 : undefined;
      const label = `${key === 'ultimo' ? 'últimos' : 'próximos'} ${amount} ${UNIT_NAMES[unit]}`;
      if (key === 'ultimo') {
        const since =
          days !== undefined ? `CURRENT_DATE - ${days}` : `(CURRENT_DATE - interval '${amount} ${unit}')::date`;
        take(index, index + 3, `%c >= ${since}`, label);
      } else {
        const until =
          days !== undefined ? `CURRENT_DATE + ${days}` : `(CURRENT_DATE + interval '${amount} ${unit}')::date`;
        take(index, index + 3, `%c >= CURRENT_DATE AND %c <= ${until}`, label);
      }
    } else if (MONTHS.includes(key)) {
      const month = MONTHS.indexOf(key) + 1;
      let end = index + 1;
      let year: number | undefined;
      if (['de', 'del'].includes(keyAt(tokens, end)) && isYear(numberAt(tokens, end + 1))) {
        year = numberAt(tokens, end + 1);
        end += 2;
      } else if (isYear(numberAt(tokens, end))) {
        year = numberAt(tokens, end);
        end += 1;
      }
      const start =
        ['en', 'de', 'del', 'durante'].includes(keyAt(tokens, index - 1)) && !used[index - 1] ? index - 1 : index;
      const first =
        year === undefined
          ? `make_date(EXTRACT(YEAR FROM CURRENT_DATE)::int, ${month}, 1)`
          : `make_date({0}, ${month}, 1)`;
      take(
        start,
        end,
        range(first, `(${first} + interval '1 month')::date`),
        `${tokens[index]?.text ?? key}${year ? ` de ${year}` : ''}`,
        year ? [year] : [],
      );
    } else if (
      isYear(numberAt(tokens, index)) &&
      ['en', 'del', 'de', 'ano', 'durante', 'todo', 'el'].includes(keyAt(tokens, index - 1)) &&
      // "menos de 2000" is an amount, not a year.
      !GREATER.has(keyAt(tokens, index - 2)) &&
      !LESS.has(keyAt(tokens, index - 2))
    ) {
      const year = numberAt(tokens, index);
      take(index - 1, index + 1, range('make_date({0}, 1, 1)', 'make_date({0} + 1, 1, 1)'), `el año ${year}`, [year]);
    }
  }
  return periods;
}

const GREATER = new Set([
  'mas',
  'mayor',
  'superior',
  'sobre',
  'encima',
  'arriba',
  'supere',
  'superen',
  'excede',
  'exceda',
  'excedan',
]);
const LESS = new Set(['menos', 'menor', 'inferior', 'debajo', 'bajo']);
const LINKS = new Set(['de', 'a', 'que', 'al', 'del', 'los', 'las']);

/** Finds numeric comparisons; the caller decides which column each one constrains. */
export function findComparisons(tokens: Token[], used: boolean[]): Comparison[] {
  const found: Comparison[] = [];
  for (let index = 0; index < tokens.length; index++) {
    if (used[index]) continue;
    const key = keyAt(tokens, index);
    let operator: Comparison['operator'] | undefined;
    let cursor = index + 1;
    if (key === 'al' && keyAt(tokens, index + 1) === 'menos') {
      operator = '>=';
      cursor = index + 2;
    } else if (
      (key === 'como' && ['minimo', 'maximo'].includes(keyAt(tokens, index + 1))) ||
      key === 'minimo' ||
      key === 'maximo'
    ) {
      operator = [keyAt(tokens, index), keyAt(tokens, index + 1)].includes('minimo') ? '>=' : '<=';
      cursor = key === 'como' ? index + 2 : index + 1;
    } else if (key === 'hasta') operator = '<=';
    else if (GREATER.has(key)) operator = '>';
    else if (LESS.has(key)) operator = '<';
    else if (
      key === 'entre' &&
      numberAt(tokens, index + 1) !== undefined &&
      keyAt(tokens, index + 2) === 'y' &&
      numberAt(tokens, index + 3) !== undefined
    ) {
      const values = [numberAt(tokens, index + 1) ?? 0, numberAt(tokens, index + 3) ?? 0];
      for (let position = index; position < index + 4; position++) used[position] = true;
      found.push({
        start: index,
        end: index + 4,
        operator: 'BETWEEN',
        values,
        label: `entre ${values[0]} y ${values[1]}`,
      });
      continue;
    }
    if (!operator) continue;
    if (
      operator !== '>=' &&
      operator !== '<=' &&
      keyAt(tokens, cursor) === 'o' &&
      keyAt(tokens, cursor + 1) === 'igual'
    ) {
      operator = operator === '>' ? '>=' : '<=';
      cursor += 2;
    }
    while (LINKS.has(keyAt(tokens, cursor)) && cursor < index + 4) cursor++;
    const value = amountAt(tokens, cursor);
    if (value === undefined || used[cursor]) continue;
    for (let position = index; position <= cursor; position++) used[position] = true;
    const words = { '>': 'más de', '<': 'menos de', '>=': 'al menos', '<=': 'hasta', BETWEEN: 'entre' } as const;
    found.push({ start: index, end: cursor + 1, operator, values: [value], label: `${words[operator]} ${value}` });
  }
  return found;
}

/** The usual mora ranges when a question asks for them without listing them. */
export const DEFAULT_RANGES: BucketRange[] = [
  { from: 1, to: 30, label: '1-30' },
  { from: 31, to: 60, label: '31-60' },
  { from: 61, to: 90, label: '61-90' },
  { from: 91, to: null, label: 'más de 90' },
];

/**
 * Mora ranges written in the question ("1-30, 31-60, 61-90, más de 90"), removed from the text so
 * their numbers are not read as amounts; `mentioned` when the question asks for ranges by name.
 */
export function findBuckets(question: string): { text: string; ranges: BucketRange[] | null; mentioned: boolean } {
  const ranges: BucketRange[] = [];
  let text = question.replace(
    /(\d+)\s*(?:-|–|a|al)\s*(\d+)(?=\s*(?:,|y|d[ií]as|\)|$|\s))/gi,
    (whole, from: string, to: string) => {
      const low = Number(from);
      const high = Number(to);
      if (!(high > low) || high > 10_000) return whole;
      ranges.push({ from: low, to: high, label: `${low}-${high}` });
      return ' ';
    },
  );
  if (ranges.length >= 2) {
    text = text.replace(
      /(?:,|y)?\s*(?:m[aá]s\s+de|>\s*|mayor(?:es)?\s+(?:a|de)|sobre)\s*(\d+)(\s*d[ií]as)?/i,
      (_, from: string) => {
        ranges.push({ from: Number(from) + 1, to: null, label: `más de ${from}` });
        return ' ';
      },
    );
  } else {
    return {
      text: question,
      ranges: null,
      mentioned: /\b(?:tramos?|rangos?|franjas?|buckets?|antig[uü]edad)\b/i.test(question),
    };
  }
  ranges.sort((a, b) => a.from - b.from);
  return { text, ranges, mentioned: true };
}
