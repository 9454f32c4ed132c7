/**
 * Decides whether an answer's result set reproduces the gold one, by the rules of the evaluation
 * sets (shared/eval/README.md): values normalised (numbers to 2 decimals, midnight timestamps as
 * dates, `YYYY-MM` month keys as the first of the month, strings trimmed), label columns left out,
 * column names and order ignored, extra answer columns allowed, rows compared as a multiset.
 */

/** A query result: column names and rows of raw values as the database layer returns them. */
export interface ComparableResult {
  columnas: string[];
  filas: unknown[][];
}

/** Whether two results match and, when they do not, why (in Spanish). */
export interface ResultComparison {
  igual: boolean;
  motivo?: string;
}

// Beyond this many search steps the column mapping is given up (only pathological inputs get near).
const MAX_SEARCH_STEPS = 50_000;
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const MONTH_KEY = /^(\d{4})-(0[1-9]|1[0-2])$/;
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Compares an answer's result set with the gold one as multisets of normalised rows. */
export function compareResults(
  gold: ComparableResult,
  answer: ComparableResult,
  options: { columnasEtiqueta?: string[] } = {},
): ResultComparison {
  const goldRows = gold.filas.length;
  const answerRows = answer.filas.length;
  if (goldRows !== answerRows) {
    return {
      igual: false,
      motivo: `La respuesta tiene ${count(answerRows, 'fila')}; se esperaba${plural(goldRows, 'n')} ${goldRows}`,
    };
  }
  if (goldRows === 0) return { igual: true };

  const labels = new Set((options.columnasEtiqueta ?? []).map(columnKey));
  const goldColumns = gold.columnas
    .map((_, index) => index)
    .filter((index) => !labels.has(columnKey(gold.columnas[index] ?? '')));
  if (goldColumns.length === 0) return { igual: true };
  if (answer.columnas.length < goldColumns.length) {
    return {
      igual: false,
      motivo: `La respuesta tiene ${count(answer.columnas.length, 'columna')}; se esperaba${plural(goldColumns.length, 'n')} al menos ${goldColumns.length}`,
    };
  }

  // Every distinct normalised value gets a small integer id, so columns and rows compare as numbers.
  const ids = new Map<string, number>();
  const idOf = (value: unknown): number => {
    const key = normalizeValue(value);
    let id = ids.get(key);
    if (id === undefined) {
      id = ids.size;
      ids.set(key, id);
    }
    return id;
  };
  const goldVectors = goldColumns.map((column) => gold.filas.map((row) => idOf(row[column])));
  const answerVectors = answer.columnas.map((_, column) => answer.filas.map((row) => idOf(row[column])));

  // Answer columns holding the very same values row by row are interchangeable: one class each.
  const classes: { vector: number[]; capacity: number; columns: number[] }[] = [];
  const classByVector = new Map<string, number>();
  answerVectors.forEach((vector, column) => {
    const key = vector.join(',');
    const existing = classByVector.get(key);
    const found = existing === undefined ? undefined : classes[existing];
    if (found) {
      found.capacity += 1;
      found.columns.push(column);
    } else {
      classByVector.set(key, classes.length);
      classes.push({ vector, capacity: 1, columns: [column] });
    }
  });

  // A gold column can only map to an answer column holding the same multiset of values.
  const classSignatures = classes.map((entry) => signature(entry.vector));
  const candidates = goldVectors.map((vector) => {
    const wanted = signature(vector);
    const matches: number[] = [];
    classSignatures.forEach((candidate, index) => {
      if (candidate === wanted) matches.push(index);
    });
    return matches;
  });
  for (let position = 0; position < goldColumns.length; position++) {
    if ((candidates[position] ?? []).length === 0) {
      const name = gold.columnas[goldColumns[position] ?? 0] ?? '';
      return { igual: false, motivo: `Ninguna columna de la respuesta coincide con la columna esperada «${name}»` };
    }
  }

  const unmatched = firstUnmatchedColumn(
    candidates.map((list) => list.flatMap((index) => classes[index]?.columns ?? [])),
    answer.columnas.length,
  );
  if (unmatched !== undefined) {
    const name = gold.columnas[goldColumns[unmatched] ?? 0] ?? '';
    return {
      igual: false,
      motivo: `No hay una columna distinta de la respuesta para cada columna esperada: «${name}» solo coincide con columnas ya usadas por otras`,
    };
  }

  const outcome = findMapping(goldVectors, candidates, classes, goldRows);
  if (outcome === 'encontrada') return { igual: true };
  if (outcome === 'agotada') {
    return {
      igual: false,
      motivo: 'No se pudo decidir la correspondencia de columnas: la búsqueda es demasiado larga',
    };
  }
  return { igual: false, motivo: 'Las columnas coinciden una a una pero las filas no' };
}

/**
 * Backtracks over the candidate answer classes of each gold column, pruning as soon as the rows
 * projected on the columns mapped so far stop being the same multiset as the gold's.
 */
function findMapping(
  goldVectors: number[][],
  candidates: number[][],
  classes: { vector: number[]; capacity: number }[],
  rows: number,
): 'encontrada' | 'ninguna' | 'agotada' {
  // Most constrained gold columns first; identical gold columns kept together.
  const vectorKeys = goldVectors.map((vector) => vector.join(','));
  const groupOf = vectorKeys.map((key) => vectorKeys.indexOf(key));
  const order = goldVectors
    .map((_, index) => index)
    .sort(
      (a, b) =>
        (candidates[a]?.length ?? 0) - (candidates[b]?.length ?? 0) || (groupOf[a] ?? 0) - (groupOf[b] ?? 0) || a - b,
    );
  // Identical gold columns are interchangeable: only try their classes in non-decreasing order.
  const sameAsPrevious = order.map((column, depth) => depth > 0 && groupOf[column] === groupOf[order[depth - 1] ?? -1]);
  const used = classes.map(() => 0);
  const chosen: number[] = [];
  let steps = 0;

  const search = (depth: number, goldPrefix: string[], answerPrefix: string[]): boolean | undefined => {
    if (depth === order.length) return true;
    const column = order[depth] ?? 0;
    const goldVector = goldVectors[column] ?? [];
    const nextGold = goldPrefix.map((prefix, row) => `${prefix},${goldVector[row]}`);
    const goldCounts = tally(nextGold);
    for (const candidate of candidates[column] ?? []) {
      const entry = classes[candidate];
      if (!entry || (used[candidate] ?? 0) >= entry.capacity) continue;
      if (sameAsPrevious[depth] && candidate < (chosen[depth - 1] ?? 0)) continue;
      if (++steps > MAX_SEARCH_STEPS) return undefined;
      const nextAnswer = answerPrefix.map((prefix, row) => `${prefix},${entry.vector[row]}`);
      if (!sameMultiset(goldCounts, nextAnswer)) continue;
      used[candidate] = (used[candidate] ?? 0) + 1;
      chosen[depth] = candidate;
      const found = search(depth + 1, nextGold, nextAnswer);
      if (found !== false) return found;
      used[candidate] = (used[candidate] ?? 0) - 1;
    }
    return false;
  };

  const empty = Array.from({ length: rows }, () => '');
  const found = search(0, empty, empty);
  if (found === undefined) return 'agotada';
  return found ? 'encontrada' : 'ninguna';
}

/**
 * Index of a gold column left without a distinct answer column by a maximum bipartite matching
 * (Kuhn's algorithm), or undefined when every gold column gets its own.
 */
function firstUnmatchedColumn(candidates: number[][], answerColumns: number): number | undefined {
  const owner: (number | undefined)[] = Array.from({ length: answerColumns }, () => undefined);
  const assign = (gold: number, visited: boolean[]): boolean => {
    for (const column of candidates[gold] ?? []) {
      if (visited[column]) continue;
      visited[column] = true;
      const current = owner[column];
      if (current === undefined || assign(current, visited)) {
        owner[column] = gold;
        return true;
      }
    }
    return false;
  };
  for (let gold = 0; gold < candidates.length; gold++) {
    if (!assign(gold, [])) return gold;
  }
  return undefined;
}

function tally(keys: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

function sameMultiset(expected: Map<string, number>, keys: string[]): boolean {
  const remaining = new Map(expected);
  for (const key of keys) {
    const left = remaining.get(key);
    if (!left) return false;
    remaining.set(key, left - 1);
  }
  return true;
}

function signature(vector: number[]): string {
  return [...vector].sort((a, b) => a - b).join(',');
}

function columnKey(name: string): string {
  return name.trim().toLowerCase();
}

function count(amount: number, noun: string): string {
  return `${amount} ${noun}${plural(amount, 's')}`;
}

function plural(amount: number, suffix: string): string {
  return amount === 1 ? '' : suffix;
}

/**
 * A canonical key for a value: equal keys mean equal values under the evaluation rules. The
 * prefix keeps kinds apart (`n:` number, `d:` date, `t:` timestamp, `s:` string, `b:` boolean).
 */
function normalizeValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return numberKey(value);
  if (typeof value === 'bigint') {
    return Number.isSafeInteger(Number(value)) ? numberKey(Number(value)) : `n:${roundDecimal(value.toString())}`;
  }
  if (typeof value === 'boolean') return `b:${value}`;
  if (value instanceof Date) return dateKey(value);
  if (typeof value === 'string') return stringKey(value);
  try {
    return `o:${JSON.stringify(value)}`;
  } catch {
    return `o:${String(value)}`;
  }
}

function numberKey(value: number): string {
  if (!Number.isFinite(value)) return `n:${value}`;
  // Fifteen significant digits wash out binary noise (0.1 + 0.2, 2.675) before rounding to cents;
  // integers and very large values keep their exact shortest form.
  const text = Number.isInteger(value) || Math.abs(value) >= 1e13 ? String(value) : value.toPrecision(15);
  return `n:${roundDecimal(text)}`;
}

function stringKey(raw: string): string {
  const text = raw.trim();
  if (DECIMAL.test(text) && /\d/.test(text) && Number.isFinite(Number(text))) return numberKey(Number(text));
  if (DATE_ONLY.test(text)) return `d:${text}`;
  const month = MONTH_KEY.exec(text);
  if (month) return `d:${month[1]}-${month[2]}-01`;
  const stamp = TIMESTAMP.exec(text);
  if (stamp) {
    const [, date, hours, minutes, seconds = '00', fraction = '', zone = ''] = stamp;
    if (hours === '00' && minutes === '00' && seconds === '00' && !/[1-9]/.test(fraction)) return `d:${date}`;
    const offset = zone.length === 3 ? `${zone}:00` : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
    const parsed = new Date(`${date}T${hours}:${minutes}:${seconds}${fraction}${offset}`);
    if (!Number.isNaN(parsed.getTime())) return dateKey(parsed);
  }
  return `s:${text}`;
}

/** A Date at midnight UTC is its UTC date; else at local midnight its local date; else its instant. */
function dateKey(value: Date): string {
  if (Number.isNaN(value.getTime())) return 'd:invalid';
  const iso = value.toISOString();
  if (iso.endsWith('T00:00:00.000Z')) return `d:${iso.slice(0, 10)}`;
  if (value.getHours() === 0 && value.getMinutes() === 0 && value.getSeconds() === 0 && value.getMilliseconds() === 0) {
    const month = String(value.getMonth() + 1).padStart(2, '0');
    const day = String(value.getDate()).padStart(2, '0');
    return `d:${String(value.getFullYear()).padStart(4, '0')}-${month}-${day}`;
  }
  return `t:${iso}`;
}

/** Rounds a decimal numeral (optionally with an exponent) half away from zero to 2 decimals. */
function roundDecimal(text: string): string {
  const match = DECIMAL.exec(text);
  if (!match) return text;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  const digits = whole + fraction;
  // Number of digits that stay once the value is expressed in hundredths.
  const kept = whole.length + Number(exponent) + 2;
  let cents: string;
  if (kept <= 0) {
    cents = kept === 0 && (digits[0] ?? '0') >= '5' ? '1' : '0';
  } else {
    cents = digits.padEnd(kept, '0').slice(0, kept);
    if ((digits[kept] ?? '0') >= '5') cents = incrementDigits(cents);
  }
  cents = cents.replace(/^0+/, '').padStart(3, '0');
  const negative = sign === '-' && /[1-9]/.test(cents);
  return `${negative ? '-' : ''}${cents.slice(0, -2)}.${cents.slice(-2)}`;
}

function incrementDigits(digits: string): string {
  const chars = digits.split('');
  for (let index = chars.length - 1; index >= 0; index--) {
    if (chars[index] === '9') {
      chars[index] = '0';
    } else {
      chars[index] = String(Number(chars[index]) + 1);
      return chars.join('');
    }
  }
  return `1${chars.join('')}`;
}
