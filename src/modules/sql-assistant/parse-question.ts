import type { Queryable } from '../../db/database.ts';
import { editDistance, isStopword } from '../embeddings/index.ts';
import { matchPhrases, type Lexicon, type PhraseMatch, type Sense } from './lexicon.ts';
import {
  DEFAULT_RANGES,
  findBuckets,
  findComparisons,
  findPeriods,
  type Comparison,
  type Period,
} from './question-grammar.ts';
import { tokenize, type Token } from './question-tokens.ts';
import {
  AVERAGE_WORDS,
  COUNT_WORDS,
  FILLER_WORDS,
  GRAIN_WORDS,
  GROUP_WORDS,
  HIGH_WORDS,
  LOW_WORDS,
  SHARE_PIVOTS,
  SHARE_WORDS,
  SUM_WORDS,
} from './question-words.ts';
import type { Condition, Dimension, Measure, QueryPlan } from './query-plan.ts';
import type { SemanticCatalog } from './semantic-catalog.ts';
import { findClientsByName, findEntity } from './resolve-entities.ts';

/** Entities the question is about, for the conversation's links. */
export interface EntityLinks {
  cliente_id?: number;
  prestamo_id?: number;
  cuota_id?: number;
  pago_id?: number;
}

/** What the local engine understood of a question. */
export interface ParsedQuestion {
  plan: QueryPlan | null;
  /** Dictionary terms and columns the plan uses (for `contexto_usado`). */
  terms: string[];
  /** Words that meant nothing to the engine. */
  unknown: string[];
  /** Policy concepts named (a sign the documents should answer). */
  concepts: string[];
  links: EntityLinks;
  /** Why there is no plan, in Spanish, when the reason is known (an unknown cédula...). */
  problem?: string;
  /** Clients matching a name when more than one does. */
  candidates?: { id: number; cedula: string; nombres: string }[];
  /** The condition that makes a cuota vencida (mora ranges use it). */
  overdue?: string;
}

interface Resolved {
  match: PhraseMatch;
  sense: Sense;
}

const ID_WORDS = new Set([
  'numero',
  'nro',
  'no',
  'n',
  'id',
  'de',
  'del',
  'el',
  'la',
  'codigo',
  'credito',
  'financiamiento',
]);
const SKIP_AFTER_GROUP = new Set(['el', 'la', 'los', 'las', 'cada', 'tipo', 'de', 'del', 'su', 'sus']);

const slug = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

const isNumeric = (type: string): boolean => /^(numeric|integer|int|bigint|real|double|smallint)/.test(type);
const isDate = (type: string): boolean => /^(date|timestamp)/.test(type);

/** Each table's column that answers "fecha" / "monto" (from the field definitions' synonyms). */
function columnNamed(catalog: SemanticCatalog, table: string, word: string): string | undefined {
  return catalog.fields.find((field) => field.tabla === table && field.sinonimos.some((synonym) => synonym === word))
    ?.campo;
}

function entityTable(lexicon: Lexicon, key: string): string | undefined {
  const sense = lexicon.phrases.get(key)?.find((candidate) => candidate.kind === 'entity');
  return sense?.table ?? undefined;
}

/** Corrects words unknown to the lexicon towards the closest known word (one edit, two for long words). */
function correctTypo(word: string, lexicon: Lexicon): string | undefined {
  if (word.length < 4 || /\d/.test(word)) return undefined;
  const limit = word.length >= 7 ? 2 : 1;
  let best: string | undefined;
  let bestDistance = limit + 1;
  let ties = 0;
  for (const known of lexicon.vocabulary) {
    if (Math.abs(known.length - word.length) > limit || known.length < 4) continue;
    const distance = editDistance(word, known, limit);
    if (distance < bestDistance) {
      best = known;
      bestDistance = distance;
      ties = 0;
    } else if (distance === bestDistance) ties++;
  }
  return best && ties === 0 ? best : undefined;
}

/** Reads a question into a query plan, through the dictionary, the field definitions and the live data. */
export async function parseQuestion(options: {
  db: Queryable;
  question: string;
  catalog: SemanticCatalog;
  lexicon: Lexicon;
}): Promise<ParsedQuestion> {
  const { db, catalog, lexicon } = options;
  const buckets = findBuckets(options.question);
  const tokens = tokenize(buckets.text);
  const used = tokens.map(() => false);
  const links: EntityLinks = {};
  const conditions: Condition[] = [];
  const terms = new Set<string>();
  const names = new Set<number>();

  const periods = findPeriods(tokens, used);
  const comparisons = findComparisons(tokens, used);
  let grainGroup: { grain: 'day' | 'week' | 'month' | 'year'; text: string } | undefined;
  for (let index = 0; index + 1 < tokens.length && !grainGroup; index++) {
    const grain = GRAIN_WORDS[tokens[index + 1]?.key ?? ''];
    if (!used[index] && !used[index + 1] && ['por', 'cada', 'x'].includes(tokens[index]?.key ?? '') && grain) {
      used[index] = true;
      used[index + 1] = true;
      grainGroup = { grain, text: tokens[index + 1]?.text ?? '' };
    }
  }
  let topN: number | undefined;
  for (let index = 0; index < tokens.length; index++) {
    const value = tokens[index]?.kind === 'number' ? (tokens[index]?.value as number) : undefined;
    const before = tokens[index - 1]?.key ?? '';
    if (value === undefined || used[index] || !Number.isInteger(value) || value < 1 || value > 1000) continue;
    if (
      ['top', 'primero', 'primera', 'ultimo', 'ultima', 'mejor', 'peor'].includes(before) ||
      (['los', 'las'].includes(before) && !used[index + 1])
    ) {
      topN = value;
      used[index] = true;
      used[index - 1] = true;
    }
  }
  for (const [index, token] of tokens.entries()) {
    if (token.kind !== 'cedula') continue;
    used[index] = true;
    const client = await findEntity(db, 'clientes', 'cedula', token.value);
    if (!client) {
      return {
        plan: null,
        terms: [],
        unknown: [],
        concepts: [],
        links,
        problem: `No encontré ningún cliente con la cédula ${String(token.value)}.`,
      };
    }
    links.cliente_id = client;
    conditions.push({
      table: 'clientes',
      sql: 'clientes.cedula = {0}',
      values: [token.value],
      label: `cédula ${String(token.value)}`,
      entity: 'clientes',
    });
  }

  let matches = matchPhrases(lexicon, tokens, used);
  // Runs of words nothing understood: a client's name, a catalogue value, or a typo.
  const runs = unknownRuns(tokens, used);
  for (const run of runs) {
    const words = run.map((index) => tokens[index]?.folded ?? '');
    const value = catalog.values.filter((candidate) => {
      const valueWords = candidate.valor
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .split(/[^a-z0-9]+/);
      return words.every((word) => valueWords.includes(word));
    });
    if (value.length === 1 && value[0]) {
      const found = value[0];
      matches.push({
        start: run[0] ?? 0,
        end: (run.at(-1) ?? 0) + 1,
        text: found.valor,
        senses: [
          {
            kind: 'filter',
            table: found.tabla,
            condition: `${found.tabla}.${found.campo} = '${found.valor.replace(/'/g, "''")}'`,
            term: found.valor,
            fromDictionary: false,
          },
        ],
      });
      for (const index of run) used[index] = true;
      continue;
    }
    const clients = words.some((word) => word.length >= 3) ? await findClientsByName(db, words) : [];
    if (clients.length === 1 && clients[0]) {
      for (const index of run) used[index] = true;
      names.add(clients[0].id);
      links.cliente_id = clients[0].id;
      conditions.push({
        table: 'clientes',
        sql: 'clientes.id = {0}',
        values: [clients[0].id],
        label: clients[0].nombres,
        entity: 'clientes',
      });
    } else if (clients.length > 1) {
      for (const index of run) used[index] = true;
      return {
        plan: null,
        terms: [],
        unknown: [],
        concepts: [],
        links,
        candidates: clients,
        problem: `Hay ${clients.length} clientes cuyo nombre coincide con «${run.map((index) => tokens[index]?.text).join(' ')}»; indique la cédula o el nombre completo.`,
      };
    }
  }
  let corrected = false;
  for (const [index, token] of tokens.entries()) {
    if (used[index] || token.kind !== 'word' || isStopword(token.key) || FILLER_WORDS.has(token.key)) continue;
    if (lexicon.vocabulary.has(token.key)) continue;
    const fix = correctTypo(token.key, lexicon);
    if (fix) {
      token.key = fix;
      corrected = true;
    }
  }
  if (corrected) matches = [...matches, ...matchPhrases(lexicon, tokens, used)].sort((a, b) => a.start - b.start);
  matches.sort((a, b) => a.start - b.start);

  const cueAt = (index: number): string => (used[index] ? '' : (tokens[index]?.key ?? ''));
  const cues = tokens.map((_, index) => cueAt(index));
  const hasCue = (set: Set<string>): boolean => cues.some((cue) => set.has(cue));
  const sumCue = cues.some(
    (cue, index) => SUM_WORDS.has(cue) && !(COUNT_WORDS.has(cue) && tokens[index]?.folded.endsWith('s')),
  );
  const countCueAt = cues.findIndex((cue, index) =>
    (cue === 'cuanto' || cue === 'cuanta') && (tokens[index]?.folded.endsWith('s') ?? false)
      ? true
      : ['cantidad', 'conteo', 'contar'].includes(cue) || (cue === 'numero' && cues[index + 1] === 'de'),
  );
  const shareCue = hasCue(SHARE_WORDS);
  const averageCue = cues.findIndex((cue) => AVERAGE_WORDS.has(cue));
  const extremes: { index: number; fn: 'MAX' | 'MIN' }[] = [];
  cues.forEach((cue, index) => {
    const next = tokens[index + 1]?.key ?? '';
    if (cue === 'maximo' || cue === 'maxima' || ((cue === 'mas' || cue === 'mayor') && HIGH_WORDS.has(next)))
      extremes.push({ index, fn: 'MAX' });
    if (cue === 'minimo' || cue === 'minima' || ((cue === 'mas' || cue === 'menor') && LOW_WORDS.has(next)))
      extremes.push({ index, fn: 'MIN' });
  });

  // Entity mentions: entity words, and phrases that contain one ("cuotas vencidas").
  const mentions: { table: string; index: number; plural: boolean }[] = [];
  for (const match of matches) {
    for (let index = match.start; index < match.end; index++) {
      const key = tokens[index]?.key ?? '';
      const table = match.senses.some((sense) => sense.kind === 'entity')
        ? entityTable(lexicon, match.senses.map(() => key)[0] ?? '')
        : undefined;
      const direct = match.senses.find((sense) => sense.kind === 'entity')?.table;
      const implied = entityTable(lexicon, key);
      const chosen = direct ?? (implied && match.senses.some((sense) => sense.table === implied) ? implied : table);
      if (chosen) {
        mentions.push({ table: chosen, index: match.start, plural: tokens[index]?.folded !== tokens[index]?.key });
        break;
      }
    }
  }
  const subject = mentions[0]?.table;
  const focusAt = (index: number): string | undefined =>
    [...mentions].reverse().find((mention) => mention.index <= index)?.table ??
    mentions.find((mention) => mention.index > index)?.table;

  const rankingCue =
    topN !== undefined || cues.some((cue) => ['mas', 'mayor', 'menos', 'menor', 'mejor', 'peor'].includes(cue));
  const resolved: Resolved[] = [];
  for (const match of matches) {
    const focus = focusAt(match.start);
    const pick = (kind: Sense['kind']): Sense | undefined => {
      const options = match.senses.filter((sense) => sense.kind === kind);
      return (
        options.find((sense) => sense.table === focus) ??
        options.find((sense) => sense.table === subject) ??
        options.find((sense) => sense.kind === 'filter' && sense.fromDictionary) ??
        options[0]
      );
    };
    const dateColumn =
      match.senses.find(
        (sense) => sense.kind === 'column' && isDate(sense.type) && (sense.table === focus || sense.table === subject),
      ) ?? match.senses.find((sense) => sense.kind === 'column' && isDate(sense.type));
    let sense: Sense | undefined;
    if (pick('entity')) sense = pick('entity');
    else if (pick('selection')) sense = pick('selection');
    else if (dateColumn && periods.length > 0 && !sumCue) sense = dateColumn;
    else if (
      pick('metric') &&
      (sumCue ||
        shareCue ||
        averageCue >= 0 ||
        extremes.length > 0 ||
        rankingCue ||
        (!pick('filter') && (countCueAt < 0 || !dateColumn)))
    ) {
      sense = pick('metric');
    } else if (pick('filter')) sense = pick('filter');
    else if (pick('column')) sense = pick('column');
    else if (dateColumn) sense = dateColumn;
    else sense = pick('concept');
    if (sense) resolved.push({ match, sense });
  }

  const concepts = resolved.filter((item) => item.sense.kind === 'concept').map((item) => item.sense.term);
  const consumed = new Set<Resolved>();
  const measures: Measure[] = [];
  let groupBy: Dimension | null = null;
  let share: Condition[] | undefined;
  const firstTable = subject ?? resolved.find((item) => item.sense.table)?.sense.table ?? 'prestamos';

  // Grouping ("por analista", "x producto", "cada mes", "por tramo de mora").
  const overdueSense = lexicon.phrases
    .get('vencida')
    ?.find((sense) => sense.kind === 'filter' && sense.table === 'cuotas');
  const overdue = overdueSense?.kind === 'filter' ? overdueSense.condition : undefined;
  if (buckets.ranges || (buckets.mentioned && cues.some((cue) => ['tramo', 'rango', 'franja'].includes(cue)))) {
    groupBy = {
      kind: 'bucket',
      table: firstTable,
      ranges: buckets.ranges ?? DEFAULT_RANGES,
      alias: 'tramo_mora',
      label: 'tramo de mora',
    };
    for (const item of resolved) {
      const groupWord = cues
        .slice(Math.max(0, item.match.start - 3), item.match.start)
        .some((cue) => GROUP_WORDS.has(cue));
      if (groupWord && (item.sense.kind === 'metric' || item.sense.kind === 'column')) consumed.add(item);
    }
    if (
      firstTable === 'cuotas' &&
      overdue &&
      !resolved.some((item) => item.sense.kind === 'filter' && item.sense.table === 'cuotas')
    ) {
      conditions.push({ table: 'cuotas', sql: overdue, values: [], label: 'cuota vencida' });
    }
  } else if (grainGroup) {
    const alias = { day: 'dia', week: 'semana', month: 'mes', year: 'ano' }[grainGroup.grain];
    groupBy = { kind: 'time', table: '', column: '', grain: grainGroup.grain, alias, label: grainGroup.text };
  } else {
    for (let index = 0; index < tokens.length && !groupBy; index++) {
      if (!GROUP_WORDS.has(cues[index] ?? '') || (cues[index] === 'por' && cues[index + 1] === 'favor')) continue;
      let cursor = index + 1;
      while (SKIP_AFTER_GROUP.has(tokens[cursor]?.key ?? '') && !used[cursor]) cursor++;
      const grain = GRAIN_WORDS[cues[cursor] ?? ''];
      if (grain) {
        used[cursor] = true;
        groupBy = {
          kind: 'time',
          table: '',
          column: '',
          grain,
          alias: { day: 'dia', week: 'semana', month: 'mes', year: 'ano' }[grain],
          label: tokens[cursor]?.text ?? '',
        };
        continue;
      }
      const item = resolved.find((candidate) => candidate.match.start === cursor);
      if (!item) continue;
      if (item.sense.kind === 'column' && !isNumeric(item.sense.type) && !isDate(item.sense.type)) {
        groupBy = {
          kind: 'column',
          table: item.sense.table,
          column: item.sense.column,
          alias: item.sense.column,
          label: item.match.text,
        };
        consumed.add(item);
      } else if (item.sense.kind === 'entity') {
        groupBy = { kind: 'entity', table: item.sense.table, alias: item.sense.table, label: item.match.text };
        consumed.add(item);
      }
    }
  }

  // Ranking: "los 10 clientes con mayor saldo", "top 3 analistas por monto cobrado", "que más nos han pagado".
  let direction: 'ASC' | 'DESC' | undefined;
  let rankingFrom = -1;
  cues.forEach((cue, index) => {
    if (direction) return;
    const next = tokens[index + 1]?.key ?? '';
    if ((cue === 'mas' || cue === 'mayor' || cue === 'mejor') && !HIGH_WORDS.has(next) && !LOW_WORDS.has(next))
      direction = 'DESC';
    if ((cue === 'menos' || cue === 'menor' || cue === 'peor') && !HIGH_WORDS.has(next) && !LOW_WORDS.has(next))
      direction = 'ASC';
    if (direction) rankingFrom = index;
  });
  if (topN !== undefined && !direction) direction = 'DESC';
  const ranked = direction !== undefined && (topN !== undefined || rankingFrom >= 0);

  // Averages and extremes of a column or metric near their cue.
  const nearest = (index: number): Resolved | undefined => {
    const candidates = resolved.filter(
      (item) =>
        !consumed.has(item) &&
        ((item.sense.kind === 'column' && isNumeric(item.sense.type)) || item.sense.kind === 'metric'),
    );
    return candidates.sort((a, b) => Math.abs(a.match.start - index) - Math.abs(b.match.start - index))[0];
  };
  const aggregateOf = (fn: 'AVG' | 'MAX' | 'MIN', target: Resolved | undefined): Measure | undefined => {
    const table = target?.sense.table ?? firstTable;
    if (target?.sense.kind === 'metric') {
      const inner = /^\s*[a-z_]+\s*\(([\s\S]*)\)\s*$/i.exec(target.sense.expression)?.[1];
      if (!inner) return undefined;
      terms.add(target.sense.term);
      return {
        kind: 'aggregate',
        table,
        expression: `${fn === 'AVG' ? 'ROUND(AVG' : fn}(${inner})${fn === 'AVG' ? ', 2)' : ''}`,
        condition: target.sense.condition,
        alias: `${fn.toLowerCase()}_${slug(target.sense.term)}`,
        label: target.sense.term,
      };
    }
    const column = target?.sense.kind === 'column' ? target.sense.column : columnNamed(catalog, table, 'monto');
    if (!column) return undefined;
    const expression = fn === 'AVG' ? `ROUND(AVG(${table}.${column}), 2)` : `${fn}(${table}.${column})`;
    const names = { AVG: 'promedio', MAX: 'maximo', MIN: 'minimo' } as const;
    return {
      kind: 'aggregate',
      table,
      expression,
      condition: null,
      alias: `${names[fn]}_${column}`,
      label: target?.match.text ?? column,
    };
  };
  if (averageCue >= 0) {
    const target = nearest(averageCue);
    const measure = aggregateOf('AVG', target);
    if (measure) measures.push(measure);
    if (target) consumed.add(target);
  }
  for (const extreme of extremes) {
    const target =
      nearest(extreme.index) ??
      resolved.find((item) => consumed.has(item) && item.sense.kind === 'column' && isNumeric(item.sense.type));
    const measure = aggregateOf(extreme.fn, target);
    if (measure && !measures.some((known) => known.alias === measure.alias)) measures.push(measure);
    if (target) consumed.add(target);
  }

  // Comparisons constrain the column next to them, or the amount of the entity they follow.
  for (const comparison of comparisons) {
    const after = resolved.find(
      (item) => item.match.start === comparison.end && item.sense.kind === 'column' && isNumeric(item.sense.type),
    );
    const before = resolved.find(
      (item) =>
        item.match.end <= comparison.start &&
        comparison.start - item.match.end <= 2 &&
        item.sense.kind === 'column' &&
        isNumeric(item.sense.type),
    );
    const target = after ?? before;
    let table: string;
    let column: string | undefined;
    if (target?.sense.kind === 'column') {
      table = target.sense.table;
      column = target.sense.column;
      consumed.add(target);
    } else {
      table = focusAt(comparison.start) ?? firstTable;
      column = columnNamed(catalog, table, 'monto');
    }
    if (!column) continue;
    conditions.push(comparisonCondition(table, column, comparison));
    terms.add(`${table}.${column}`);
  }

  // Periods apply to the date column the question names, or the main date of what is measured.
  const dateItem = resolved.find((item) => item.sense.kind === 'column' && isDate(item.sense.type));
  const metricItems = resolved.filter((item) => item.sense.kind === 'metric' && !consumed.has(item));
  const measuredTable = metricItems[0]?.sense.table ?? measures[0]?.table ?? firstTable;
  const dateColumn =
    dateItem?.sense.kind === 'column'
      ? { table: dateItem.sense.table, column: dateItem.sense.column }
      : { table: measuredTable, column: columnNamed(catalog, measuredTable, 'fecha') ?? '' };
  if (dateItem) consumed.add(dateItem);
  for (const period of periods) {
    if (!dateColumn.column) continue;
    conditions.push(periodCondition(dateColumn.table, dateColumn.column, period));
  }
  if (groupBy?.kind === 'time') {
    groupBy = { ...groupBy, table: dateColumn.table, column: dateColumn.column };
    if (!dateColumn.column) groupBy = null;
  }

  // Ids after an entity word: "préstamo 94", "solicitud de crédito número 448", "cuota 3".
  for (const [index, token] of tokens.entries()) {
    if (used[index] || token.kind !== 'number') continue;
    let cursor = index - 1;
    while (cursor >= 0 && ID_WORDS.has(tokens[cursor]?.key ?? '') && index - cursor <= 4 && !used[cursor]) cursor--;
    const item = resolved.find((candidate) => candidate.match.end - 1 === cursor && candidate.sense.kind === 'entity');
    if (!item || item.sense.kind !== 'entity') continue;
    used[index] = true;
    const table = item.sense.table;
    const column = table === 'cuotas' ? 'numero_cuota' : 'id';
    const id = token.value as number;
    if (table !== 'cuotas') {
      const found = await findEntity(db, table, 'id', id);
      const names = { clientes: 'cliente', prestamos: 'préstamo', pagos: 'pago' } as Record<string, string>;
      if (!found)
        return {
          plan: null,
          terms: [],
          unknown: [],
          concepts,
          links,
          problem: `No existe el ${names[table] ?? table} número ${id}.`,
        };
      if (table === 'prestamos') links.prestamo_id = id;
      if (table === 'pagos') links.pago_id = id;
      if (table === 'clientes') links.cliente_id = id;
    }
    conditions.push({
      table,
      sql: `${table}.${column} = {0}`,
      values: [id],
      label: `${item.match.text} ${id}`,
      entity: table === 'cuotas' ? undefined : table,
    });
  }

  // Metrics named in the question.
  for (const item of metricItems) {
    if (item.sense.kind !== 'metric' || consumed.has(item)) continue;
    if (measures.some((measure) => measure.label === item.sense.term)) continue;
    const { table, expression, condition, term } = item.sense;
    measures.push({ kind: 'aggregate', table, expression, condition, alias: slug(term), label: term });
    terms.add(term);
    consumed.add(item);
  }
  // "¿Cuántos clientes...?": a count of the entity after the cue.
  if (countCueAt >= 0 && averageCue < 0) {
    const target = resolved.find(
      (item) =>
        item.match.start > countCueAt &&
        item.match.start - countCueAt <= 3 &&
        (item.sense.kind === 'entity' || mentions.some((mention) => mention.index === item.match.start)),
    );
    const table = target
      ? (mentions.find((mention) => mention.index === target.match.start)?.table ?? target.sense.table)
      : undefined;
    if (table && !measures.some((measure) => measure.kind === 'count')) {
      measures.unshift({ kind: 'count', table, expression: 'COUNT(*)', condition: null, alias: table, label: table });
    }
  }
  // "¿Cuánto suman...?" without a metric: the metric whose own condition is already asked, or the amount.
  const filters = resolved.filter((item) => item.sense.kind === 'filter');
  if (
    sumCue &&
    !measures.some((measure) => measure.kind === 'aggregate') &&
    !resolved.some((item) => item.sense.kind === 'selection')
  ) {
    const amount = resolved.find(
      (item) => item.sense.kind === 'column' && isNumeric(item.sense.type) && !consumed.has(item),
    );
    const table = firstTable;
    const fitting = catalog.dictionary.find(
      (entry) =>
        entry.expresion &&
        entry.tabla === table &&
        entry.condicion &&
        filters.some((item) => item.sense.kind === 'filter' && item.sense.condition === entry.condicion),
    );
    if (amount?.sense.kind === 'column') {
      measures.push({
        kind: 'aggregate',
        table: amount.sense.table,
        expression: `SUM(${amount.sense.table}.${amount.sense.column})`,
        condition: null,
        alias: `total_${amount.sense.column}`,
        label: amount.match.text,
      });
      consumed.add(amount);
    } else if (fitting?.expresion && fitting.tabla) {
      measures.push({
        kind: 'aggregate',
        table: fitting.tabla,
        expression: fitting.expresion,
        condition: fitting.condicion,
        alias: slug(fitting.palabra),
        label: fitting.palabra,
      });
      terms.add(fitting.palabra);
    } else if (measures.length === 0 && countCueAt < 0) {
      const column = columnNamed(catalog, table, 'monto');
      if (column)
        measures.push({
          kind: 'aggregate',
          table,
          expression: `SUM(${table}.${column})`,
          condition: null,
          alias: `total_${column}`,
          label: column,
        });
    }
  }

  // Conditions: filters (shares go apart), selections.
  let pivot = -1;
  if (shareCue) {
    const anchor = resolved.find(
      (item) =>
        item.sense.kind === 'metric' ||
        item.sense.kind === 'entity' ||
        mentions.some((mention) => mention.index === item.match.start),
    );
    const from = anchor ? anchor.match.end : 0;
    pivot = cues.findIndex((cue, index) => index >= from && SHARE_PIVOTS.has(cue));
    if (pivot < 0) pivot = Math.max(...filters.map((item) => item.match.start), -1);
  }
  let selection: QueryPlan['selection'] = null;
  for (const item of resolved) {
    const { sense } = item;
    if (sense.kind === 'selection') {
      selection = { table: sense.table, order: sense.order, label: sense.term };
      if (sense.condition) conditions.push({ table: sense.table, sql: sense.condition, values: [], label: sense.term });
      terms.add(sense.term);
    }
    if (sense.kind !== 'filter' || consumed.has(item)) continue;
    const condition: Condition = { table: sense.table, sql: sense.condition, values: [], label: sense.term };
    terms.add(sense.term);
    if (shareCue && pivot >= 0 && item.match.start >= pivot) (share ??= []).push(condition);
    else conditions.push(condition);
  }
  if (share) {
    if (measures.length === 0)
      measures.push({
        kind: 'count',
        table: firstTable,
        expression: 'COUNT(*)',
        condition: null,
        alias: firstTable,
        label: firstTable,
      });
    const first = measures[0];
    if (first) measures[0] = { ...first, share, alias: `porcentaje_${first.alias}` };
  }

  // Ranking target and measure.
  let ranking: QueryPlan['ranking'] = null;
  const columns: { table: string; column: string }[] = [];
  if (ranked) {
    const limitFor = (plural: boolean): number => topN ?? (plural ? 10 : 1);
    const after = resolved.filter((item) => item.match.start > rankingFrom && !consumed.has(item));
    if (measures.length === 0) {
      const entityAfter = after.find((item) => item.sense.kind === 'entity');
      const columnAfter = after.find((item) => item.sense.kind === 'column' && isNumeric(item.sense.type));
      if (entityAfter?.sense.kind === 'entity' && entityAfter.sense.table !== firstTable) {
        measures.push({
          kind: 'count',
          table: entityAfter.sense.table,
          expression: 'COUNT(*)',
          condition: null,
          alias: entityAfter.sense.table,
          label: entityAfter.match.text,
        });
      } else if (columnAfter?.sense.kind === 'column') {
        consumed.add(columnAfter);
        ranking = {
          direction: direction ?? 'DESC',
          limit: limitFor(mentions[0]?.plural ?? false),
          orderColumn: { table: columnAfter.sense.table, column: columnAfter.sense.column },
        };
        columns.push({ table: columnAfter.sense.table, column: columnAfter.sense.column });
      }
    }
    if (measures.length > 0 && !ranking) {
      const head = resolved.find(
        (item) =>
          (item.sense.kind === 'column' || item.sense.kind === 'entity') &&
          item.match.start < Math.max(rankingFrom, 0) + (topN !== undefined ? tokens.length : 0),
      );
      if (
        !groupBy &&
        head?.sense.kind === 'column' &&
        !isNumeric(head.sense.type) &&
        head.match.start < (rankingFrom < 0 ? tokens.length : rankingFrom)
      ) {
        groupBy = {
          kind: 'column',
          table: head.sense.table,
          column: head.sense.column,
          alias: head.sense.column,
          label: head.match.text,
        };
        consumed.add(head);
      } else if (!groupBy) {
        groupBy = { kind: 'entity', table: firstTable, alias: firstTable, label: firstTable };
      }
      const headPlural = head ? tokens[head.match.start]?.folded !== tokens[head.match.start]?.key : false;
      ranking = { direction: direction ?? 'DESC', limit: limitFor(headPlural) };
    }
  }
  if (groupBy?.kind === 'column')
    conditions.push({
      table: groupBy.table,
      sql: `${groupBy.table}.${groupBy.column} IS NOT NULL`,
      values: [],
      label: '',
    });
  if (groupBy && measures.length === 0)
    measures.push({
      kind: 'count',
      table: firstTable,
      expression: 'COUNT(*)',
      condition: null,
      alias: firstTable,
      label: firstTable,
    });

  // Columns a list asks for ("con su producto, monto y estado", "el teléfono y el correo").
  for (const item of resolved) {
    if (consumed.has(item) || item.sense.kind !== 'column') continue;
    const focus = focusAt(item.match.start);
    const sense =
      item.match.senses.find(
        (candidate) =>
          candidate.kind === 'column' &&
          candidate.table === focus &&
          (focus !== 'clientes' || candidate.table === 'clientes'),
      ) ??
      item.match.senses.find((candidate) => candidate.kind === 'column' && candidate.table === firstTable) ??
      item.sense;
    if (sense.kind === 'column') columns.push({ table: sense.table, column: sense.column });
    terms.add(`${sense.table}.${sense.kind === 'column' ? sense.column : ''}`);
  }

  const unknown = tokens
    .filter(
      (token, index) =>
        !used[index] &&
        token.kind === 'word' &&
        !isStopword(token.key) &&
        !FILLER_WORDS.has(token.key) &&
        !FILLER_WORDS.has(token.folded),
    )
    .filter(
      (token) =>
        !resolved.some((item) => tokens.indexOf(token) >= item.match.start && tokens.indexOf(token) < item.match.end),
    )
    .filter(
      (token) =>
        !GRAIN_WORDS[token.key] &&
        !HIGH_WORDS.has(token.key) &&
        !LOW_WORDS.has(token.key) &&
        !['tramo', 'rango', 'franja'].includes(token.key),
    )
    .map((token) => token.text);

  const meaningful =
    measures.length > 0 || conditions.length > 0 || selection !== null || mentions.length > 0 || names.size > 0;
  if (!meaningful) return { plan: null, terms: [...terms], unknown, concepts, links, overdue };
  for (const mention of mentions) terms.add(mention.table);
  const plan: QueryPlan = {
    subject: selection?.table ?? firstTable,
    measures,
    conditions,
    groupBy,
    ranking,
    columns,
    selection,
  };
  return { plan, terms: [...terms], unknown, concepts, links, overdue };
}

function unknownRuns(tokens: Token[], used: boolean[]): number[][] {
  const runs: number[][] = [];
  let current: number[] = [];
  tokens.forEach((token, index) => {
    const candidate =
      !used[index] &&
      token.kind === 'word' &&
      !isStopword(token.key) &&
      !FILLER_WORDS.has(token.key) &&
      token.folded.length >= 2;
    if (candidate) current.push(index);
    else if (
      current.length > 0 &&
      !(token.kind === 'word' && ['de', 'del', 'la', 'los'].includes(token.key) && !used[index])
    ) {
      runs.push(current);
      current = [];
    }
  });
  if (current.length > 0) runs.push(current);
  return runs;
}

function comparisonCondition(table: string, column: string, comparison: Comparison): Condition {
  const target = `${table}.${column}`;
  const sql =
    comparison.operator === 'BETWEEN' ? `${target} BETWEEN {0} AND {1}` : `${target} ${comparison.operator} {0}`;
  return { table, sql, values: comparison.values, label: `${column.replace(/_/g, ' ')} ${comparison.label}` };
}

function periodCondition(table: string, column: string, period: Period): Condition {
  return { table, sql: period.sql.replace(/%c/g, `${table}.${column}`), values: period.values, label: period.label };
}
