import type { Queryable } from '../../db/database.ts';
import { isStopword } from '../embeddings/index.ts';
import { correlated, foreignKeys } from './build-sql.ts';
import { matchPhrases, type Lexicon, type PhraseMatch, type Sense } from './lexicon.ts';
import {
  DEFAULT_RANGES,
  findBuckets,
  findComparisons,
  findPeriods,
  type Comparison,
  type Period,
} from './question-grammar.ts';
import { slug, tokenize, type Token } from './question-tokens.ts';
import {
  AVERAGE_WORDS,
  COUNT_WORDS,
  EACH_WORDS,
  FILLER_WORDS,
  GRAIN_WORDS,
  GROUP_WORDS,
  HIGH_WORDS,
  LIST_WORDS,
  LOW_WORDS,
  NEGATION_WORDS,
  NORMATIVE_WORDS,
  SHARE_PIVOTS,
  SHARE_WORDS,
  SUM_WORDS,
} from './question-words.ts';

/** "más antiguo" orders by date ascending, "más reciente" descending. */
const OLD_WORDS = new Set(['antiguo', 'antigua', 'viejo', 'vieja']);
const NEW_WORDS = new Set(['reciente', 'nuevo', 'nueva']);

/** Question words a typo may hide ("promedo" → "promedio"), besides the lexicon's own words. */
const CUE_VOCABULARY = [
  ...AVERAGE_WORDS,
  ...SHARE_WORDS,
  'cantidad',
  'maximo',
  'minimo',
  'porcentaje',
  'cuanto',
  'cuanta',
  'total',
];
import type { Condition, Dimension, Measure, QueryPlan } from './query-plan.ts';
import { clientNameWords, findClientsByName, findEntity } from './resolve-entities.ts';
import type { SemanticCatalog } from './semantic-catalog.ts';
import { correctTypo } from './typo-correction.ts';

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
  /** The periods named, before a date column is chosen for them (follow-ups reuse them). */
  periods?: Period[];
  /** The date column the question's periods apply to. */
  timeColumn?: { table: string; column: string };
  /** How many content words the engine understood (to weigh them against `unknown`). */
  understoodWords?: number;
  /** The question asks what is allowed or how things are done ("¿se puede...?", "¿cómo...?"). */
  normative?: boolean;
}

interface Resolved {
  match: PhraseMatch;
  sense: Sense;
}

interface Mention {
  table: string;
  index: number;
  plural: boolean;
  /** Named by a filter ("empresas", "motos"), not by the entity's own word. */
  weak: boolean;
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
const SKIP_AFTER_GROUP = new Set(['el', 'la', 'los', 'las', 'tipo', 'de', 'del', 'su', 'sus']);
const GRAIN_ALIAS = { day: 'dia', week: 'semana', month: 'mes', year: 'ano' } as const;
const ENTITY_WORD: Record<string, string> = {
  clientes: 'cliente',
  prestamos: 'préstamo',
  pagos: 'pago',
  cuotas: 'cuota',
};

const isNumeric = (type: string): boolean => /^(numeric|integer|int|bigint|real|double|smallint)/.test(type);
const isDate = (type: string): boolean => /^(date|timestamp)/.test(type);
const isNumericColumn = (sense: Sense): boolean => sense.kind === 'column' && isNumeric(sense.type);
const isDateColumn = (sense: Sense): boolean => sense.kind === 'column' && isDate(sense.type);

/** Each table's column that answers "fecha" / "monto" (from the field definitions' synonyms). */
function columnNamed(catalog: SemanticCatalog, table: string, word: string): string | undefined {
  return catalog.fields.find((field) => field.tabla === table && field.sinonimos.includes(word))?.campo;
}

function entityTable(lexicon: Lexicon, key: string): string | undefined {
  const sense = lexicon.phrases.get(key)?.find((candidate) => candidate.kind === 'entity');
  return sense?.kind === 'entity' ? sense.table : undefined;
}

/**
 * The table of a dictionary filter that starts at `start` and names rows by itself ("microcréditos",
 * "préstamos vivos"): "número de microcréditos" counts them as "número de préstamos" would.
 */
function filterTableAt(lexicon: Lexicon, tokens: Token[], start: number): string | undefined {
  for (let length = Math.min(lexicon.longest, tokens.length - start); length >= 1; length--) {
    const key = tokens
      .slice(start, start + length)
      .map((token) => token.key)
      .join(' ');
    const sense = lexicon.phrases
      .get(key)
      ?.find((candidate) => candidate.kind === 'filter' && candidate.fromDictionary);
    if (sense) return sense.table ?? undefined;
  }
  return undefined;
}

const noPlan = (links: EntityLinks, problem: string, extra: Partial<ParsedQuestion> = {}): ParsedQuestion => ({
  plan: null,
  terms: [],
  unknown: [],
  concepts: [],
  links,
  problem,
  ...extra,
});

/** Reads a question into a query plan, through the dictionary, the field definitions and the live data. */
export async function parseQuestion(options: {
  db: Queryable;
  question: string;
  catalog: SemanticCatalog;
  lexicon: Lexicon;
}): Promise<ParsedQuestion> {
  const { db, catalog, lexicon } = options;
  const edges = foreignKeys(catalog.fields);
  const buckets = findBuckets(options.question);
  const tokens = tokenize(buckets.text);
  const used = tokens.map(() => false);
  const keyAt = (index: number): string => tokens[index]?.key ?? '';
  const free = (index: number): string => (used[index] ? '' : keyAt(index));
  const links: EntityLinks = {};
  const conditions: Condition[] = [];
  const terms = new Set<string>();
  let nameFound = false;

  // 1. Grammar that must run before the lexicon (numbers, periods, groupings by time).
  const periods = findPeriods(tokens, used);
  const comparisons = findComparisons(tokens, used);
  let grain: { grain: 'day' | 'week' | 'month' | 'year'; text: string; ranked: boolean } | undefined;
  for (let index = 0; index + 1 < tokens.length && !grain; index++) {
    const unit = GRAIN_WORDS[keyAt(index + 1)];
    if (!unit || used[index] || used[index + 1]) continue;
    const rankedWords = tokens.some((token) => ['mas', 'mayor', 'menos', 'menor', 'mejor', 'peor'].includes(token.key));
    if (['por', 'cada'].includes(keyAt(index)) || (['que', 'cual'].includes(keyAt(index)) && rankedWords)) {
      grain = {
        grain: unit,
        text: tokens[index + 1]?.text ?? '',
        ranked: keyAt(index) === 'que' || keyAt(index) === 'cual',
      };
      used[index] = used[index + 1] = true;
    }
  }
  let topN: number | undefined;
  let recent = false;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    const value = token?.kind === 'number' ? (token.value as number) : undefined;
    const before = keyAt(index - 1);
    if (value === undefined || used[index] || !Number.isInteger(value) || value < 1 || value > 1000) continue;
    const ranking = ['top', 'primero', 'primera', 'ultimo', 'ultima', 'mejor', 'peor'].includes(before);
    if (ranking || (['los', 'las', 'que', 'cual'].includes(before) && !used[index + 1])) {
      topN = value;
      recent = before === 'ultimo' || before === 'ultima';
      used[index] = used[index - 1] = true;
    }
  }
  // "número de préstamos", "cantidad de clientes", "total de solicitudes": a count, not a column.
  let countCue = -1;
  const asksAverage = tokens.some((token) => AVERAGE_WORDS.has(token.key));
  for (let index = 0; index + 2 < tokens.length && countCue < 0 && !asksAverage; index++) {
    if (
      ['numero', 'cantidad', 'total'].includes(free(index)) &&
      keyAt(index + 1) === 'de' &&
      (entityTable(lexicon, keyAt(index + 2)) || filterTableAt(lexicon, tokens, index + 2))
    ) {
      countCue = index;
      used[index] = used[index + 1] = true;
    }
  }
  for (const [index, token] of tokens.entries()) {
    if (token.kind !== 'cedula') continue;
    used[index] = true;
    const cedula = String(token.value);
    const client = await findEntity(db, 'clientes', 'cedula', cedula);
    if (!client) return noPlan(links, `No encontré ningún cliente con la cédula ${cedula}.`);
    links.cliente_id = client;
    conditions.push({
      table: 'clientes',
      sql: 'clientes.cedula = {0}',
      values: [cedula],
      label: `cédula ${cedula}`,
      entity: 'clientes',
    });
  }

  // 2. Phrases of the dictionary, the field definitions and the value catalogue.
  let matches = matchPhrases(lexicon, tokens, used);
  for (const run of unknownRuns(tokens, used)) {
    const words = run.map((index) => tokens[index]?.folded ?? '');
    const values = catalog.values.filter((candidate) => {
      const valueWords = slug(candidate.valor).split('_');
      return words.every((word) => valueWords.includes(word));
    });
    const value = values.length === 1 ? values[0] : undefined;
    if (value) {
      const condition = `${value.tabla}.${value.campo} = '${value.valor.replace(/'/g, "''")}'`;
      const sense: Sense = { kind: 'filter', table: value.tabla, condition, term: value.valor, fromDictionary: false };
      matches.push({ start: run[0] ?? 0, end: (run.at(-1) ?? 0) + 1, text: value.valor, senses: [sense] });
      for (const index of run) used[index] = true;
      continue;
    }
    const nameWords = await clientNameWords(db);
    const couldBeName = words.some((word) => word.length >= 3) && words.every((word) => nameWords.has(word));
    const clients = couldBeName ? await findClientsByName(db, words) : [];
    const written = run.map((index) => tokens[index]?.text).join(' ');
    if (clients.length > 1) {
      return noPlan(
        links,
        `Hay ${clients.length > 10 ? 'más de 10' : clients.length} clientes cuyo nombre coincide con «${written}»; indique la cédula o el nombre completo.`,
        {
          candidates: clients.slice(0, 10),
        },
      );
    }
    const client = clients[0];
    if (!client) continue;
    for (const index of run) used[index] = true;
    nameFound = true;
    links.cliente_id = client.id;
    conditions.push({
      table: 'clientes',
      sql: 'clientes.id = {0}',
      values: [client.id],
      label: client.nombres,
      entity: 'clientes',
    });
  }
  let corrected = false;
  const typoVocabulary = [...lexicon.vocabulary, ...CUE_VOCABULARY];
  for (const [index, token] of tokens.entries()) {
    if (used[index] || token.kind !== 'word' || isStopword(token.key) || FILLER_WORDS.has(token.key)) continue;
    if (lexicon.vocabulary.has(token.key)) continue;
    const fix = correctTypo(token.key, typoVocabulary);
    if (fix) {
      token.key = fix;
      corrected = true;
    }
  }
  if (corrected) matches = [...matches, ...matchPhrases(lexicon, tokens, used)];
  matches.sort((a, b) => a.start - b.start);

  // 3. Cue words left free by the lexicon.
  const cues = tokens.map((_, index) => free(index));
  const isCountWord = (index: number): boolean => {
    const cue = cues[index] ?? '';
    if (cue === 'cuanto' || cue === 'cuanta') return tokens[index]?.folded.endsWith('s') ?? false;
    return ['cantidad', 'conteo', 'contar'].includes(cue) && cues[index - 1] !== 'sin';
  };
  if (countCue < 0) countCue = cues.findIndex((_, index) => isCountWord(index));
  // "¿Cuántos días de atraso...?" asks for a figure in days, not for a count of rows.
  const afterCount =
    countCue >= 0 ? matches.find((match) => match.start > countCue && match.start - countCue <= 2) : undefined;
  const countsAFigure =
    afterCount !== undefined &&
    !afterCount.senses.some((sense) => sense.kind === 'entity') &&
    afterCount.senses.some((sense) => sense.kind === 'metric' || isNumericColumn(sense));
  if (countsAFigure) countCue = -1;
  const sumCue =
    countsAFigure ||
    cues.some(
      (cue, index) =>
        SUM_WORDS.has(cue) && !isCountWord(index) && !(COUNT_WORDS.has(cue) && tokens[index]?.folded.endsWith('s')),
    );
  const shareCue = cues.some((cue) => SHARE_WORDS.has(cue));
  const averageCue = cues.findIndex((cue) => AVERAGE_WORDS.has(cue));
  const listCue = cues.some((cue) => LIST_WORDS.has(cue));
  const eachCue = cues.findIndex((cue, index) => cue === 'cada' && EACH_WORDS.has(keyAt(index + 1)));
  const matchAt = (index: number): PhraseMatch | undefined => matches.find((match) => match.start === index);
  const extremes: { index: number; fn: 'MAX' | 'MIN' }[] = [];
  // "los 10 pagos más altos": with a number of rows, "más alto" orders the rows by their amount.
  let sizeOrder: 'ASC' | 'DESC' | undefined;
  let sizeColumn: { table: string; column: string } | undefined;
  // "el pago más grande y el más pequeño" asks for two values, not for a row.
  const bothEnds =
    tokens.some((token) => HIGH_WORDS.has(token.key)) && tokens.some((token) => LOW_WORDS.has(token.key));
  // "el cliente más antiguo", "los 5 préstamos más recientes": by the entity's date.
  let ageOrder: 'ASC' | 'DESC' | undefined;
  cues.forEach((cue, index) => {
    const next = keyAt(index + 1);
    if (cue === 'mas' && (OLD_WORDS.has(next) || NEW_WORDS.has(next))) {
      ageOrder = OLD_WORDS.has(next) ? 'ASC' : 'DESC';
      return;
    }
    // "el préstamo más grande", "el préstamo con la tasa más alta": an entity named before "más alto"
    // asks for that row (by its amount, or by the number column in between), not for the highest value.
    const entityBefore = [...matches]
      .reverse()
      .find((match) => match.end <= index && match.senses.some((sense) => sense.kind === 'entity'));
    const columnBetween = entityBefore
      ? matches.find(
          (match) => match.start >= entityBefore.end && match.end <= index && match.senses.some(isNumericColumn),
        )
      : undefined;
    if (
      ['mas', 'mayor', 'menor'].includes(cue) &&
      (HIGH_WORDS.has(next) || LOW_WORDS.has(next)) &&
      (topN !== undefined || (entityBefore !== undefined && !bothEnds))
    ) {
      sizeOrder = HIGH_WORDS.has(next) ? 'DESC' : 'ASC';
      const column = columnBetween?.senses.find(isNumericColumn);
      if (column?.kind === 'column') sizeColumn = { table: column.table, column: column.column };
      return;
    }
    const following = matchAt(index + 1);
    const aggregable = following?.senses.some((sense) => isNumericColumn(sense) || sense.kind === 'metric') ?? false;
    if (cue === 'maximo' || cue === 'maxima' || ((cue === 'mas' || cue === 'mayor') && HIGH_WORDS.has(next)))
      extremes.push({ index, fn: 'MAX' });
    else if (cue === 'minimo' || cue === 'minima' || ((cue === 'mas' || cue === 'menor') && LOW_WORDS.has(next)))
      extremes.push({ index, fn: 'MIN' });
    else if (
      (cue === 'mayor' || cue === 'menor') &&
      aggregable &&
      topN === undefined &&
      ['el', 'la'].includes(keyAt(index - 1))
    ) {
      extremes.push({ index, fn: cue === 'mayor' ? 'MAX' : 'MIN' });
    }
  });
  // A word right beside "promedio"/"máximo" that can be a number column is that column
  // ("cuota promedio de los préstamos" is the loans' installment amount, not the cuotas table).
  for (const cue of [averageCue, ...extremes.map((extreme) => extreme.index)].filter((index) => index >= 0)) {
    for (const match of [matchAt(cue + 1), matches.find((candidate) => candidate.end === cue)]) {
      if (!match) continue;
      const numeric = match.senses.filter((sense) => isNumericColumn(sense) || sense.kind === 'metric');
      if (numeric.length > 0 && numeric.length < match.senses.length) match.senses = numeric;
    }
  }

  // 4. Entity mentions: their own words, phrases containing one ("cuotas vencidas") and filters ("empresas").
  const mentions: Mention[] = [];
  for (const match of matches) {
    const direct = match.senses.find((sense) => sense.kind === 'entity');
    let table = direct?.table ?? undefined;
    let index = match.start;
    if (!table) {
      for (let position = match.start; position < match.end && !table; position++) {
        const implied = entityTable(lexicon, keyAt(position));
        if (implied && match.senses.some((sense) => sense.table === implied && sense.kind !== 'column')) {
          table = implied;
          index = position;
        }
      }
    }
    const filterTables = [
      ...new Set(match.senses.filter((sense) => sense.kind === 'filter').map((sense) => sense.table)),
    ];
    const weak = !table && filterTables.length === 1;
    if (weak) table = filterTables[0];
    if (table) mentions.push({ table, index, plural: tokens[index]?.folded !== tokens[index]?.key, weak });
  }
  const strong = mentions.filter((mention) => !mention.weak);
  const focusAt = (index: number): string | undefined =>
    [...strong].reverse().find((mention) => mention.index <= index)?.table ??
    [...mentions].reverse().find((mention) => mention.index <= index)?.table ??
    mentions.find((mention) => mention.index > index)?.table;
  // "¿Quiénes financiaron...?": people, that is clients.
  const who = tokens.findIndex((token, index) => token.folded === 'quienes' && index <= 1);
  if (who >= 0 && !mentions.some((mention) => mention.table === 'clientes' && !mention.weak)) {
    mentions.push({ table: 'clientes', index: who, plural: true, weak: false });
  }
  mentions.sort((a, b) => a.index - b.index);
  // "En los créditos personales, ¿cuántas cuotas hay…?": what is counted is the subject, wherever it is.
  const counted =
    countCue >= 0
      ? mentions.find((mention) => !mention.weak && mention.index > countCue && mention.index - countCue <= 2)
      : undefined;
  const subjectGuess = counted?.table ?? mentions[0]?.table;

  // 5. One sense per phrase, by context.
  const rankingCue =
    topN !== undefined || cues.some((cue) => ['mas', 'mayor', 'menos', 'menor', 'mejor', 'peor'].includes(cue));
  const resolved: Resolved[] = [];
  // Tables that other phrases pin down ("por Bancamiga" is about pagos): a date word shared by several
  // tables ("pagaron") belongs to the one the rest of the question is about.
  const pinned = new Set(
    matches.flatMap((match) => {
      const tables = [
        ...new Set(
          match.senses
            .filter((sense) => sense.kind === 'filter' || sense.kind === 'metric')
            .map((sense) => sense.table),
        ),
      ];
      return tables.length === 1 ? tables : [];
    }),
  );
  const numericElsewhere = (match: PhraseMatch): boolean =>
    matches.some((other) => other !== match && other.senses.some(isNumericColumn));
  // In a share, the words after its verb describe the subject ("de los clientes con préstamo activo, es
  // moroso" is a moroso client, not a loan in mora).
  const firstStrong = strong[0];
  const provisionalPivot = shareCue ? sharePivot(cues, firstStrong ? firstStrong.index + 1 : 0) : -1;
  // "los bancos por los que más pagos...": the count of that entity is the figure, not a metric word.
  const rankedCount = cues.some(
    (cue, index) =>
      ['mas', 'menos'].includes(cue) && matchAt(index + 1)?.senses.some((sense) => sense.kind === 'entity'),
  );
  for (const match of matches) {
    const focus = provisionalPivot >= 0 && match.start > provisionalPivot ? subjectGuess : focusAt(match.start);
    const pick = (kind: Sense['kind']): Sense | undefined => {
      const candidates = match.senses.filter((sense) => sense.kind === kind);
      return (
        candidates.find((sense) => sense.table === focus) ??
        candidates.find((sense) => sense.table === subjectGuess) ??
        candidates.find((sense) => sense.kind === 'filter' && sense.fromDictionary) ??
        candidates[0]
      );
    };
    const dateSenses = match.senses.filter(isDateColumn);
    const dateColumn =
      dateSenses.find((sense) => sense.table === focus) ??
      dateSenses.find((sense) => sense.table !== null && pinned.has(sense.table)) ??
      dateSenses.find((sense) => sense.table === subjectGuess) ??
      dateSenses[0];
    // A metric word that is also a condition ("otorgados") is the figure only when a figure is asked
    // for and nothing else in the question can be that figure.
    const aggregateCue = averageCue >= 0 || extremes.length > 0;
    const wantsFigure =
      sumCue || shareCue || (rankingCue && !rankedCount) || (aggregateCue && !numericElsewhere(match));
    let sense: Sense | undefined;
    if (pick('entity')) sense = pick('entity');
    else if (pick('selection')) sense = pick('selection');
    else if (dateColumn && periods.length > 0 && (!pick('metric') || !wantsFigure)) sense = dateColumn;
    else if (pick('metric') && (wantsFigure || (!pick('filter') && !rankedCount && (countCue < 0 || !dateColumn))))
      sense = pick('metric');
    else if (pick('filter')) sense = pick('filter');
    else if (pick('column')) sense = pick('column');
    else if (dateColumn) sense = dateColumn;
    else sense = pick('concept');
    if (sense) resolved.push({ match, sense });
  }
  const concepts = resolved.filter((item) => item.sense.kind === 'concept').map((item) => item.sense.term);
  const consumed = new Set<Resolved>();
  const at = (index: number): Resolved | undefined => resolved.find((item) => item.match.start === index);
  // Without an entity named, the subject is what is measured or filtered (an ambiguous column such as
  // "monto", which every table has, decides nothing).
  const firstTable =
    subjectGuess ??
    resolved.find((item) => item.sense.kind === 'metric')?.sense.table ??
    resolved.find((item) => item.sense.kind === 'filter' || item.sense.kind === 'selection')?.sense.table ??
    resolved.find((item) => item.sense.kind === 'column' && item.match.senses.length === 1)?.sense.table ??
    'prestamos';
  const singleRow = conditions.some((condition) => condition.entity === firstTable);

  // 6. Groupings.
  const measures: Measure[] = [];
  let groupBy: Dimension | null = null;
  const overdueSense = lexicon.phrases
    .get('vencida')
    ?.find((sense) => sense.kind === 'filter' && sense.table === 'cuotas');
  const overdue = overdueSense?.kind === 'filter' ? overdueSense.condition : undefined;
  const explicitMeasure =
    countCue >= 0 ||
    sumCue ||
    averageCue >= 0 ||
    extremes.length > 0 ||
    resolved.some((item) => item.sense.kind === 'metric');
  if (buckets.ranges || (buckets.mentioned && cues.some((cue) => ['tramo', 'rango', 'franja'].includes(cue)))) {
    groupBy = {
      kind: 'bucket',
      table: firstTable,
      ranges: buckets.ranges ?? DEFAULT_RANGES,
      alias: 'tramo_mora',
      label: 'tramo de mora',
    };
    for (const item of resolved) {
      const grouped = cues
        .slice(Math.max(0, item.match.start - 3), item.match.start)
        .some((cue) => GROUP_WORDS.has(cue) || cue === 'tramo' || cue === 'rango');
      if (grouped && (item.sense.kind === 'metric' || item.sense.kind === 'column')) consumed.add(item);
    }
    const hasCuotaFilter = resolved.some((item) => item.sense.kind === 'filter' && item.sense.table === 'cuotas');
    if (firstTable === 'cuotas' && overdue && !hasCuotaFilter)
      conditions.push({ table: 'cuotas', sql: overdue, values: [], label: 'cuota vencida' });
  } else if (grain) {
    groupBy = {
      kind: 'time',
      table: '',
      column: '',
      grain: grain.grain,
      alias: GRAIN_ALIAS[grain.grain],
      label: grain.text,
    };
  } else {
    for (let index = 0; index < tokens.length && !groupBy; index++) {
      if (!GROUP_WORDS.has(cues[index] ?? '') || (cues[index] === 'por' && keyAt(index + 1) === 'favor')) continue;
      let cursor = index + 1;
      while (SKIP_AFTER_GROUP.has(keyAt(cursor)) && !used[cursor]) cursor++;
      const item = at(cursor);
      if (!item) continue;
      if (item.sense.kind === 'column' && !isNumeric(item.sense.type) && !isDate(item.sense.type)) {
        groupBy = {
          kind: 'column',
          table: item.sense.table,
          column: item.sense.column,
          alias: item.sense.column,
          label: item.match.text,
          expression: item.sense.expression,
        };
        consumed.add(item);
      } else if (item.sense.kind === 'entity' && (cues[index] !== 'cada' || explicitMeasure)) {
        groupBy = { kind: 'entity', table: item.sense.table, alias: item.sense.table, label: item.match.text };
        consumed.add(item);
      }
    }
  }
  if (!groupBy && eachCue >= 0 && explicitMeasure && !listCue) {
    groupBy = { kind: 'entity', table: firstTable, alias: firstTable, label: ENTITY_WORD[firstTable] ?? firstTable };
  }

  // 7. Ranking direction ("los 10 clientes con mayor saldo", "que más nos han pagado").
  let direction: 'ASC' | 'DESC' | undefined;
  let rankingFrom = -1;
  cues.forEach((cue, index) => {
    if (direction || extremes.some((extreme) => extreme.index === index)) return;
    const next = keyAt(index + 1);
    if (HIGH_WORDS.has(next) || LOW_WORDS.has(next)) return;
    if (cue === 'mas' || cue === 'mayor' || cue === 'mejor') direction = 'DESC';
    if (cue === 'menos' || cue === 'menor' || cue === 'peor') direction = 'ASC';
    if (direction) rankingFrom = index;
  });
  if (ageOrder && !direction) {
    direction = ageOrder;
    rankingFrom = cues.findIndex((cue) => cue === 'mas');
  }
  if (sizeOrder && !direction) {
    direction = sizeOrder;
    rankingFrom = cues.findIndex((cue) => ['mas', 'mayor', 'menor'].includes(cue));
  }
  if (grain?.ranked && !direction) direction = 'DESC';
  if (topN !== undefined && !direction) direction = 'DESC';
  const ranked = direction !== undefined && (topN !== undefined || rankingFrom >= 0 || grain?.ranked === true);

  // 8. Averages and extremes of a column or metric near their cue.
  const aggregateTarget = (index: number): Resolved | undefined =>
    resolved
      .filter((item) => !consumed.has(item) && (isNumericColumn(item.sense) || item.sense.kind === 'metric'))
      .sort((a, b) => Math.abs(a.match.start - index) - Math.abs(b.match.start - index))[0];
  const aggregateOf = (fn: 'AVG' | 'MAX' | 'MIN', target: Resolved | undefined): Measure | undefined => {
    const table = target?.sense.table ?? firstTable;
    const names = { AVG: 'promedio', MAX: 'maximo', MIN: 'minimo' } as const;
    const wrap = (inner: string): string => (fn === 'AVG' ? `ROUND(AVG(${inner}), 2)` : `${fn}(${inner})`);
    if (target?.sense.kind === 'metric') {
      const inner = /^\s*[a-z_]+\s*\(([\s\S]*)\)\s*$/i.exec(target.sense.expression)?.[1];
      if (!inner) return undefined;
      terms.add(target.sense.term);
      const alias = `${names[fn]}_${slug(target.sense.term)}`;
      return {
        kind: 'aggregate',
        table,
        expression: wrap(inner),
        condition: target.sense.condition,
        alias,
        label: `${names[fn]} de ${target.sense.term}`,
      };
    }
    const column = target?.sense.kind === 'column' ? target.sense.column : columnNamed(catalog, table, 'monto');
    if (!column) return undefined;
    return {
      kind: 'aggregate',
      table,
      expression: wrap(`${table}.${column}`),
      condition: null,
      alias: `${names[fn]}_${column}`,
      label: `${names[fn]} de ${target?.match.text ?? column}`,
    };
  };
  if (averageCue >= 0) {
    const target = aggregateTarget(averageCue);
    const measure = aggregateOf('AVG', target);
    if (measure) measures.push(measure);
    if (target) consumed.add(target);
  }
  for (const extreme of extremes) {
    const target =
      aggregateTarget(extreme.index) ?? resolved.find((item) => consumed.has(item) && isNumericColumn(item.sense));
    const measure = aggregateOf(extreme.fn, target);
    if (measure && !measures.some((known) => known.alias === measure.alias)) measures.push(measure);
    if (target) consumed.add(target);
  }

  // 9. Comparisons: on the column next to them, a metric of the entity ("más de 30 días de atraso"),
  //    a count of related rows ("más de un préstamo activo"), or the amount of the entity they follow.
  for (const comparison of comparisons) {
    const after = resolved.find((item) => item.match.start === comparison.end);
    const before = resolved.find(
      (item) =>
        item.match.end <= comparison.start && comparison.start - item.match.end <= 2 && isNumericColumn(item.sense),
    );
    const owner = focusAt(comparison.start) ?? firstTable;
    const afterColumn =
      after?.match.senses.find((sense) => isNumericColumn(sense) && sense.table === owner) ??
      after?.match.senses.find(isNumericColumn);
    const afterMetric = after?.match.senses.find((sense) => sense.kind === 'metric');
    const afterEntity = after
      ? mentions.find((mention) => mention.index >= after.match.start && mention.index < after.match.end)
      : undefined;
    if (after && afterMetric?.kind === 'metric' && afterMetric.table !== owner) {
      const subquery = correlated(afterMetric.expression, afterMetric.table, owner, afterMetric.condition, edges);
      if (subquery) {
        conditions.push(comparisonCondition(owner, subquery, comparison, `${afterMetric.term} ${comparison.label}`));
        consumed.add(after);
        terms.add(afterMetric.term);
        continue;
      }
    }
    if (after && afterEntity && afterEntity.table !== owner && !afterColumn) {
      const own = after.match.senses.find((sense) => sense.kind === 'filter' && sense.table === afterEntity.table);
      const subquery = correlated(
        'COUNT(*)',
        afterEntity.table,
        owner,
        own?.kind === 'filter' ? own.condition : null,
        edges,
      );
      if (subquery) {
        conditions.push(comparisonCondition(owner, subquery, comparison, `${comparison.label} ${after.match.text}`));
        consumed.add(after);
        continue;
      }
    }
    let table = owner;
    let column: string | undefined;
    const target =
      afterColumn?.kind === 'column' ? afterColumn : before?.sense.kind === 'column' ? before.sense : undefined;
    if (target?.kind === 'column') {
      table = target.table;
      column = target.column;
      for (const item of [after, before]) if (item && item.match.senses.includes(target)) consumed.add(item);
    } else {
      column = columnNamed(catalog, table, 'monto');
    }
    if (!column) continue;
    conditions.push(
      comparisonCondition(table, `${table}.${column}`, comparison, `${column.replace(/_/g, ' ')} ${comparison.label}`),
    );
    terms.add(`${table}.${column}`);
  }

  // 10. Periods: the date the question names next to them, else the date of what is measured.
  const metricItems = resolved.filter((item) => item.sense.kind === 'metric' && !consumed.has(item));
  const countsOnly = countCue >= 0 && !sumCue && averageCue < 0 && extremes.length === 0 && !shareCue;
  const dateItems = resolved.filter((item) => isDateColumn(item.sense) && slug(item.match.text) !== 'fecha');
  const nearest = (period: Period): Resolved | undefined =>
    dateItems.sort((a, b) => Math.abs(a.match.start - period.start) - Math.abs(b.match.start - period.start))[0];
  const measuredTable = countsOnly ? firstTable : (metricItems[0]?.sense.table ?? measures[0]?.table ?? firstTable);
  const implicitDate = (): { table: string; column: string } => {
    for (const item of [...metricItems, ...resolved.filter((candidate) => candidate.sense.kind === 'filter')]) {
      const { sense } = item;
      if (
        (sense.kind === 'metric' || sense.kind === 'filter') &&
        sense.dateColumn &&
        (!countsOnly || sense.table === firstTable)
      ) {
        return { table: sense.table, column: sense.dateColumn };
      }
    }
    return { table: measuredTable, column: columnNamed(catalog, measuredTable, 'fecha') ?? '' };
  };
  let timeColumn = implicitDate();
  for (const period of periods) {
    const named = nearest(period);
    const target =
      named?.sense.kind === 'column' ? { table: named.sense.table, column: named.sense.column } : implicitDate();
    if (named) consumed.add(named);
    timeColumn = target;
    if (target.column) conditions.push(periodCondition(target.table, target.column, period));
  }
  if (groupBy?.kind === 'time') {
    const named = dateItems[0];
    if (periods.length === 0 && named?.sense.kind === 'column')
      timeColumn = { table: named.sense.table, column: named.sense.column };
    groupBy = timeColumn.column ? { ...groupBy, table: timeColumn.table, column: timeColumn.column } : null;
  }

  // A written value after a column ("registró el usuario caja@rapicredit.com", "correo ana@x.com").
  for (const [index, token] of tokens.entries()) {
    if (token.kind !== 'email' || used[index]) continue;
    const column = [...resolved]
      .reverse()
      .find(
        (item) =>
          item.match.end <= index &&
          index - item.match.end <= 2 &&
          item.sense.kind === 'column' &&
          item.sense.type === 'text',
      );
    const sense = column?.sense;
    if (!column || sense?.kind !== 'column') continue;
    used[index] = true;
    consumed.add(column);
    conditions.push({
      table: sense.table,
      sql: `lower(${sense.table}.${sense.column}) = {0}`,
      values: [token.value],
      label: `${column.match.text} ${String(token.value)}`,
      field: `${sense.table}.${sense.column}`,
    });
  }

  // 11. Ids after an entity word: "préstamo 94", "solicitud de crédito número 448", "cuota 3".
  for (const [index, token] of tokens.entries()) {
    if (used[index] || token.kind !== 'number') continue;
    let cursor = index - 1;
    while (cursor >= 0 && ID_WORDS.has(keyAt(cursor)) && index - cursor <= 4 && !used[cursor]) cursor--;
    const item = resolved.find((candidate) => candidate.match.end - 1 === cursor && candidate.sense.kind === 'entity');
    if (!item || item.sense.kind !== 'entity') continue;
    used[index] = true;
    const table = item.sense.table;
    const id = token.value as number;
    if (table !== 'cuotas') {
      const found = await findEntity(db, table, 'id', id);
      if (!found) return noPlan(links, `No existe el ${ENTITY_WORD[table] ?? table} número ${id}.`, { concepts });
      if (table === 'prestamos') links.prestamo_id = id;
      if (table === 'pagos') links.pago_id = id;
      if (table === 'clientes') links.cliente_id = id;
    }
    const column = table === 'cuotas' ? 'numero_cuota' : 'id';
    const label = `${ENTITY_WORD[table] ?? item.match.text} ${id}`;
    conditions.push({
      table,
      sql: `${table}.${column} = {0}`,
      values: [id],
      label,
      entity: table === 'cuotas' ? undefined : table,
    });
  }
  const oneRow = singleRow || conditions.some((condition) => condition.entity === firstTable);

  // 12. Metrics named in the question: figures, per-row values in a list, or conditions of a count.
  const perRow = eachCue >= 0 && (listCue || !explicitMeasure || countCue < 0) && !groupBy;
  const computed: { table: string; expression: string; alias: string }[] = [];
  for (const item of metricItems) {
    if (item.sense.kind !== 'metric' || consumed.has(item)) continue;
    const { table, expression, condition, term } = item.sense;
    consumed.add(item);
    terms.add(term);
    if (countsOnly && !ranked && condition) {
      // "¿Cuántas motos hemos financiado?": counting, so the metric only says which rows.
      conditions.push({ table, sql: condition, values: [], label: term });
      continue;
    }
    const inner = /^\s*SUM\s*\(([\s\S]*)\)\s*$/i.exec(expression)?.[1];
    if ((perRow || oneRow) && table === firstTable && inner && !ranked) {
      // A figure of each listed row, or of the one row asked about ("monto financiado del préstamo 366").
      computed.push({ table, expression: inner, alias: slug(term) });
      if (condition && !oneRow) conditions.push({ table, sql: condition, values: [], label: term });
      continue;
    }
    if (measures.some((measure) => measure.label === term)) continue;
    measures.push({ kind: 'aggregate', table, expression, condition, alias: slug(term), label: term });
  }
  // "¿Cuántos clientes...?": a count of what follows the cue (or of the subject).
  if (countCue >= 0 && averageCue < 0 && !measures.some((measure) => measure.kind === 'count')) {
    const target = mentions.find((mention) => mention.index > countCue && mention.index - countCue <= 4);
    const numericNext = resolved.find(
      (item) => item.match.start > countCue && item.match.start - countCue <= 2 && isNumericColumn(item.sense),
    );
    // Without anything named to count ("¿cuántos días de gracia hay?"), there is no count.
    const table = target?.table ?? (numericNext || mentions.length === 0 ? undefined : firstTable);
    if (table)
      measures.unshift({ kind: 'count', table, expression: 'COUNT(*)', condition: null, alias: table, label: table });
  }
  // "¿Cuánto suman...?" without a metric: the metric whose own condition is already asked, or the amount.
  const filters = resolved.filter((item) => item.sense.kind === 'filter' && !consumed.has(item));
  const hasSelection = resolved.some((item) => item.sense.kind === 'selection');
  const amountItems = resolved.filter((item) => isNumericColumn(item.sense) && !consumed.has(item));
  if (sumCue && !oneRow && !hasSelection && !measures.some((measure) => measure.kind === 'aggregate')) {
    const amount = amountItems[0];
    const fitting = catalog.dictionary.find(
      (entry) =>
        entry.expresion &&
        entry.tabla === firstTable &&
        entry.condicion &&
        filters.some((item) => item.sense.kind === 'filter' && item.sense.condition === entry.condicion),
    );
    if (amount?.sense.kind === 'column') {
      measures.push(sumOf(amount.sense.table, amount.sense.column, amount.match.text));
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
    } else if (countCue < 0 && !shareCue && mentions.length > 0) {
      const column = columnNamed(catalog, firstTable, 'monto');
      if (column) measures.push(sumOf(firstTable, column, column));
    }
  }

  // 13. Filters (a share's own conditions go apart) and selections.
  let pivot = -1;
  if (shareCue) {
    const anchor = resolved.find(
      (item) =>
        item.sense.kind === 'metric' ||
        item.sense.kind === 'entity' ||
        mentions.some((mention) => !mention.weak && mention.index === item.match.start),
    );
    const from = anchor ? anchor.match.end : 0;
    pivot = sharePivot(cues, from);
    if (pivot < 0) pivot = Math.max(...filters.map((item) => item.match.start), -1);
  }
  let share: Condition[] | undefined;
  let selection: QueryPlan['selection'] = null;
  for (const item of resolved) {
    const { sense } = item;
    if (sense.kind === 'selection') {
      selection = { table: sense.table, order: sense.order, label: sense.term };
      if (sense.condition) conditions.push({ table: sense.table, sql: sense.condition, values: [], label: sense.term });
      terms.add(sense.term);
    }
    if (sense.kind !== 'filter' || consumed.has(item)) continue;
    const negated = negatedAt(item.match.start, cues, resolved);
    const field = /^(\w+\.\w+) (?:=|IN) /.exec(sense.condition)?.[1];
    const condition: Condition = {
      table: sense.table,
      sql: negated ? `NOT (${sense.condition})` : sense.condition,
      values: [],
      label: negated ? `sin ${sense.term}` : sense.term,
      field,
    };
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

  // "Clientes morosos ... con su monto vencido": the figure of each listed row.
  const plainList = !sumCue && countCue < 0 && averageCue < 0 && extremes.length === 0 && !shareCue && !oneRow;
  const subjectPlural = mentions[0]?.plural === true;
  const firstMetric = resolved.find((item) => item.sense.kind === 'metric');
  const namedFirst =
    mentions[0] !== undefined && firstMetric !== undefined && mentions[0].index < firstMetric.match.start;
  if (plainList && subjectPlural && namedFirst && !groupBy && !ranked && measures.length > 0) {
    const ownFigures = measures.map((measure) =>
      measure.kind === 'aggregate' && measure.table === firstTable
        ? /^\s*SUM\s*\(([\s\S]*)\)\s*$/i.exec(measure.expression)?.[1]
        : undefined,
    );
    if (ownFigures.every((inner) => inner !== undefined)) {
      // "Préstamos activos ... con el monto financiado": each listed row's own amount.
      measures.forEach((measure, index) =>
        computed.push({ table: measure.table, expression: ownFigures[index] ?? '', alias: measure.alias }),
      );
      measures.length = 0;
    } else if (measures.every((measure) => measure.kind === 'aggregate' && measure.table !== firstTable)) {
      groupBy = { kind: 'entity', table: firstTable, alias: firstTable, label: ENTITY_WORD[firstTable] ?? firstTable };
    }
  }

  // 14. Ranking: what is ranked (the first entity or column named) and by what.
  let ranking: QueryPlan['ranking'] = null;
  const columns: { table: string; column: string }[] = [];
  if (ranked && !selection) {
    const head = resolved.find(
      (item) =>
        item.sense.kind === 'entity' ||
        (item.sense.kind === 'column' && !isNumeric(item.sense.type) && !isDate(item.sense.type)) ||
        mentions.some((mention) => mention.index === item.match.start),
    );
    const headMention = head
      ? mentions.find((mention) => mention.index >= head.match.start && mention.index < head.match.end)
      : undefined;
    const headPlural = head ? tokens[head.match.start]?.folded !== tokens[head.match.start]?.key : false;
    const limit = topN ?? (headPlural ? 10 : 1);
    const after = resolved.filter((item) => item.match.start > rankingFrom && !consumed.has(item));
    if (measures.length === 0 && recent) {
      const date = columnNamed(catalog, firstTable, 'fecha');
      if (date) ranking = { direction: 'DESC', limit, orderColumn: { table: firstTable, column: date } };
    } else if (measures.length === 0 && ageOrder) {
      const date = columnNamed(catalog, firstTable, 'fecha');
      if (date) {
        ranking = { direction: ageOrder, limit, orderColumn: { table: firstTable, column: date } };
        columns.push({ table: firstTable, column: date });
      }
    } else if (measures.length === 0 && sizeOrder) {
      // "los 10 pagos más altos": by the entity's amount (or the number column the question names).
      const amount = sizeColumn ?? { table: firstTable, column: columnNamed(catalog, firstTable, 'monto') ?? '' };
      if (amount.column) {
        ranking = { direction: sizeOrder, limit, orderColumn: amount };
        columns.push(amount);
      }
    } else if (measures.length === 0) {
      const mentionAfter = mentions.find(
        (mention) => mention.index > rankingFrom && rankingFrom >= 0 && (!head || mention.index >= head.match.end),
      );
      const entityAfter = after.find(
        (item) =>
          (item.sense.kind === 'entity' ||
            mentions.some(
              (mention) =>
                mention === mentionAfter && mention.index >= item.match.start && mention.index < item.match.end,
            )) &&
          item !== head,
      );
      const entityTableAfter = entityAfter
        ? entityAfter.sense.kind === 'entity'
          ? entityAfter.sense.table
          : mentionAfter?.table
        : undefined;
      const columnAfter = after.find((item) => isNumericColumn(item.sense));
      const dimensionIsColumn = head?.sense.kind === 'column';
      if (
        entityAfter &&
        entityTableAfter &&
        (dimensionIsColumn || entityTableAfter !== (headMention?.table ?? firstTable))
      ) {
        measures.push({
          kind: 'count',
          table: entityTableAfter,
          expression: 'COUNT(*)',
          condition: null,
          alias: entityTableAfter,
          label: entityAfter.match.text,
        });
        if (entityAfter.sense.kind === 'entity') consumed.add(entityAfter);
      } else if (columnAfter?.sense.kind === 'column' && !dimensionIsColumn) {
        consumed.add(columnAfter);
        ranking = {
          direction: direction ?? 'DESC',
          limit,
          orderColumn: { table: columnAfter.sense.table, column: columnAfter.sense.column },
        };
        columns.push({ table: columnAfter.sense.table, column: columnAfter.sense.column });
      } else if (columnAfter?.sense.kind === 'column') {
        measures.push(sumOf(columnAfter.sense.table, columnAfter.sense.column, columnAfter.match.text));
        consumed.add(columnAfter);
      } else if (recent || topN !== undefined) {
        const date = columnNamed(catalog, firstTable, 'fecha');
        if (date)
          ranking = {
            direction: recent ? 'DESC' : (direction ?? 'DESC'),
            limit,
            orderColumn: { table: firstTable, column: date },
          };
      }
    }
    if (recent && measures.length === 0 && !ranking) {
      const date = columnNamed(catalog, firstTable, 'fecha');
      if (date) ranking = { direction: 'DESC', limit, orderColumn: { table: firstTable, column: date } };
    }
    if (measures.length > 0 && !ranking) {
      if (!groupBy && head?.sense.kind === 'column' && !isNumeric(head.sense.type)) {
        groupBy = {
          kind: 'column',
          table: head.sense.table,
          column: head.sense.column,
          alias: head.sense.column,
          label: head.match.text,
          expression: head.sense.expression,
        };
        consumed.add(head);
      } else if (!groupBy) {
        const table = headMention?.table ?? firstTable;
        groupBy = { kind: 'entity', table, alias: table, label: ENTITY_WORD[table] ?? table };
      }
      ranking = { direction: direction ?? 'DESC', limit: grain?.ranked && topN === undefined ? 1 : limit };
    }
  }
  // "los 3 últimos pagos" through a selection: its order, that many rows.
  if (selection && topN !== undefined) ranking = { direction: 'DESC', limit: topN };
  if (recent && !ranking && topN !== undefined) {
    const date = columnNamed(catalog, firstTable, 'fecha');
    if (date) ranking = { direction: 'DESC', limit: topN, orderColumn: { table: firstTable, column: date } };
  }
  if (groupBy?.kind === 'column')
    conditions.push({
      table: groupBy.table,
      sql: `${groupBy.expression ?? `${groupBy.table}.${groupBy.column}`} IS NOT NULL`,
      values: [],
      label: '',
    });
  if (
    groupBy &&
    (measures.length === 0 || (groupBy.kind === 'bucket' && !measures.some((measure) => measure.kind === 'count')))
  ) {
    measures.unshift({
      kind: 'count',
      table: firstTable,
      expression: 'COUNT(*)',
      condition: null,
      alias: firstTable,
      label: firstTable,
    });
  }

  // 15. Columns a list asks for ("con su producto, monto y estado", "el teléfono y el correo").
  for (const item of resolved) {
    if (consumed.has(item) || item.sense.kind !== 'column') continue;
    const owner = ownerAfter(item, tokens, mentions);
    const options = item.match.senses.filter((sense) => sense.kind === 'column');
    const sense =
      options.find((candidate) => candidate.table === owner) ??
      options.find((candidate) => candidate.table === firstTable) ??
      options.find((candidate) => candidate.table === focusAt(item.match.start)) ??
      item.sense;
    if (sense.kind !== 'column') continue;
    columns.push({ table: sense.table, column: sense.column });
    terms.add(`${sense.table}.${sense.column}`);
  }
  if (oneRow && measures.length === 0 && sumCue) {
    // "¿por cuánto fue el crédito 58?": the amount of that one row.
    const amount = columnNamed(catalog, firstTable, 'monto');
    if (amount) columns.push({ table: firstTable, column: amount });
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
    .filter((token) => {
      const index = tokens.indexOf(token);
      return !matches.some((match) => index >= match.start && index < match.end);
    })
    .filter(
      (token) =>
        !GRAIN_WORDS[token.key] &&
        !HIGH_WORDS.has(token.key) &&
        !LOW_WORDS.has(token.key) &&
        !['tramo', 'rango', 'franja'].includes(token.key) &&
        token.folded.length > 1,
    )
    .map((token) => token.text);
  // A number nothing used ("del ptmo 289" with an unknown word before it) is reported, never dropped silently.
  for (const [index, token] of tokens.entries()) {
    if (token.kind === 'number' && !used[index]) unknown.push(token.text);
  }

  const meaningful =
    measures.length > 0 || conditions.length > 0 || selection !== null || mentions.length > 0 || nameFound;
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
    computed,
  };
  const askingWords = new Set([...COUNT_WORDS, ...SUM_WORDS, ...AVERAGE_WORDS, ...SHARE_WORDS, 'maximo', 'minimo']);
  const understoodWords = tokens.filter(
    (token, index) =>
      askingWords.has(token.key) ||
      ((used[index] || matches.some((match) => index >= match.start && index < match.end)) &&
        (token.kind !== 'word' || (!isStopword(token.key) && !FILLER_WORDS.has(token.key)))),
  ).length;
  const normative = tokens.some(
    (token, index) =>
      !used[index] &&
      !matches.some((match) => index >= match.start && index < match.end) &&
      NORMATIVE_WORDS.has(token.folded),
  );
  return {
    plan,
    terms: [...terms],
    unknown,
    concepts,
    links,
    overdue,
    periods,
    timeColumn,
    understoodWords,
    normative,
  };
}

/** Where a share's own conditions begin: a verb first ("está", "es", "fue"), then "que", then "con". */
function sharePivot(cues: string[], from: number): number {
  for (const kind of ['verb', 'que', 'con'] as const) {
    const index = cues.findIndex((cue, position) => {
      if (position < from || !SHARE_PIVOTS.has(cue)) return false;
      if (kind === 'verb') return !['que', 'cuyo', 'cuya', 'cuyos', 'cuyas', 'con'].includes(cue);
      return kind === 'que' ? cue !== 'con' : true;
    });
    if (index >= 0) return index;
  }
  return -1;
}

/** The total of a number column ("monto total de los pagos"). */
function sumOf(table: string, column: string, label: string): Measure {
  return {
    kind: 'aggregate',
    table,
    expression: `SUM(${table}.${column})`,
    condition: null,
    alias: `total_${column}`,
    label,
  };
}

/** True when a negation word ("sin", "excepto", "no") stands right before the phrase at `start`. */
function negatedAt(start: number, cues: string[], resolved: Resolved[]): boolean {
  for (let index = start - 1; index >= Math.max(0, start - 3); index--) {
    if (resolved.some((item) => item.match.start <= index && index < item.match.end)) return false;
    if (NEGATION_WORDS.has(cues[index] ?? '')) return true;
  }
  return false;
}

/** The entity named right after a column ("el estado *del cliente*"), if any. */
function ownerAfter(item: Resolved, tokens: Token[], mentions: Mention[]): string | undefined {
  let cursor = item.match.end;
  if (!['de', 'del'].includes(tokens[cursor]?.key ?? '')) return undefined;
  cursor++;
  while (['el', 'la', 'los', 'las', 'su', 'sus', 'cada'].includes(tokens[cursor]?.key ?? '')) cursor++;
  return mentions.find((mention) => mention.index === cursor && !mention.weak)?.table;
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
      !(token.kind === 'word' && ['de', 'del', 'la', 'los', 'el', 'las'].includes(token.key) && !used[index])
    ) {
      runs.push(current);
      current = [];
    }
  });
  if (current.length > 0) runs.push(current);
  return runs;
}

function comparisonCondition(table: string, target: string, comparison: Comparison, label: string): Condition {
  const sql =
    comparison.operator === 'BETWEEN' ? `${target} BETWEEN {0} AND {1}` : `${target} ${comparison.operator} {0}`;
  return { table, sql, values: comparison.values, label };
}

/** A period as a condition on `table.column`. */
export function periodCondition(table: string, column: string, period: Period): Condition {
  return {
    table,
    sql: period.sql.replace(/%c/g, `${table}.${column}`),
    values: period.values,
    label: period.label,
    period: true,
  };
}
