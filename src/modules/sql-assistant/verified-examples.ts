import type { Queryable } from '../../db/database.ts';
import { foldText, stem } from '../embeddings/index.ts';
import { lexiconFor, matchPhrases, type Lexicon } from './lexicon.ts';
import { tokenize, type Token } from './question-tokens.ts';
import { FILLER_WORDS } from './question-words.ts';
import { loadSemanticCatalog } from './semantic-catalog.ts';
import { translateQuestion, type Translation } from './translate-question.ts';

/** A corrected SQL or answer an administrator recorded for a question (`ai_ejemplos_verificados`). */
export interface VerifiedExample {
  id: number;
  conversacion_id: number | null;
  pregunta: string;
  sql_corregido: string | null;
  respuesta_corregida: string | null;
  ruta: 'base_datos' | 'documentos' | 'ambas' | 'ninguna';
}

/** A value of a question that a similar question may change: a cédula, a number, an e-mail. */
interface Slot {
  kind: 'cedula' | 'number' | 'email';
  value: string | number;
}

/** What a question means for matching: its content keys and its slots, in order. */
interface QuestionShape {
  keys: Set<string>;
  slots: Slot[];
}

/**
 * How the engine read a question it only partly understood: its SQL (without column aliases), its
 * parameters and the words it could not place. Two questions read the same way with the same
 * leftover words ask the same thing however they are worded ("¿Cuánto se cobró en la quincena
 * pasada?" and "¿Cuánto cobramos la quincena pasada?").
 */
interface EngineReading {
  sql: string;
  params: unknown[];
  leftover: string;
}

/** A verified example that answers a question, with its SQL adapted to the question's values. */
export interface ExampleMatch {
  example: VerifiedExample;
  /** The example's SQL with the question's cédulas and numbers in place of the example's. */
  sql: string | null;
  /** 1 for the same meaning; 0.9-0.85 when one or two plain words differ; 0.8 when the engine read both alike. */
  score: number;
}

/**
 * Words that change what is asked even though the engine otherwise treats them as filler: the
 * aggregate, the ranking, the period and the negation. They stay in a question's shape.
 */
const MEANINGFUL = new Set(
  `hoy ayer manana siguiente no sin desde hasta entre antes despues mas menos mayor
  menor top primer primero primera ultimo ultima mejor peor viejo vieja antiguo antigua reciente grande pequeno alto
  alta bajo baja promedio media medio promedia suma suman sumar sumado maximo maxima minimo minima porcentaje
  proporcion porcentual parte cantidad conteo contar cuenta cuentan cuanto cuanta numero total falta faltan queda
  quedan cada por tipo dia semana mes ano trimestre semestre quincena pasado pasada anterior proximo proxima fuera
  excepto salvo distinto distinta diferente otro otra ningun ninguno ninguna nunca excluyendo solo solamente`.split(
    /\s+/,
  ),
);

const classOf = (words: string, key: string) => words.split(' ').map((word) => [word, key] as const);

/**
 * Words that ask the same thing in different ways: "cuántos", "número de" and "cantidad de" count
 * rows; "cuánto" and "suman" ask for an amount; "total" can be either (see `similarity`).
 */
const WORD_CLASSES: ReadonlyMap<string, string> = new Map([
  ...classOf('cuantos cuantas cantidad numero conteo contar cuenta cuentan', '#contar'),
  ...classOf('cuanto cuanta suma suman sumar sumado sumaron sumo sumamos acumulado', '#monto'),
  ...classOf('total totales', '#total'),
  ...classOf('promedio media medio promedia promediar', '#promedio'),
  ...classOf('maximo maxima mayor mas top mejor alto alta grande', '#mayor'),
  ...classOf('minimo minima menor menos peor bajo baja pequeno', '#menor'),
  ...classOf('porcentaje proporcion porcentual parte fraccion', '#porcentaje'),
]);

/** Words that only announce the number after them: "préstamo número 94", "crédito nro. 94", "n° 94". */
const NUMBER_SIGNS = new Set(['numero', 'nro', 'no', 'n', 'num']);

/**
 * Keys a cédula in the question already says: "la cédula V…", "el cliente V…" and "el RIF J…" name
 * the same client.
 */
const CEDULA_WORDS = new Set(['cedula', 'rif', 'ci', 'documento', 'identidad']);

/** Plain words whose difference never turns one question into another ("hermosos", "porfa"). */
const isSoftKey = (key: string): boolean => !key.startsWith('#') && !key.startsWith('~') && !MEANINGFUL.has(key);

/** The shape of a question under the current lexicon: synonyms become their term, fillers go. */
function shapeOf(question: string, lexicon: Lexicon): QuestionShape {
  const tokens = tokenize(question.replace(/por\s+favor/giu, ' '));
  const used = tokens.map(() => false);
  const keys = new Set<string>();
  const slots: Slot[] = [];
  const slotTokens = new Set<Token>();
  for (const token of tokens) {
    if (token.kind !== 'word' && token.value !== undefined) {
      slots.push({ kind: token.kind, value: token.value });
      slotTokens.add(token);
    }
  }
  tokens.forEach((token, index) => {
    // Slots and meaningful filler words are not phrases of their own here.
    if (slotTokens.has(token)) used[index] = true;
  });
  for (const match of matchPhrases(lexicon, tokens, used)) {
    const sense = match.senses[0];
    if (!sense) continue;
    // A term also names its table: "créditos activos" (entity + filter) and "préstamos activos" (the
    // filter's own phrase) are both about préstamos.
    if (sense.kind !== 'entity') keys.add(`~${sense.kind}:${sense.term}`);
    if (sense.table) keys.add(`~entity:${sense.table}`);
  }
  tokens.forEach((token, index) => {
    if (used[index]) return;
    const word = token.folded;
    if (NUMBER_SIGNS.has(word) && tokens[index + 1]?.kind === 'number') return;
    // "y por cuánto": the amount asked, not a grouping ("por estado").
    const next = tokens[index + 1];
    if (word === 'por' && next && (WORD_CLASSES.has(next.folded) || WORD_CLASSES.has(next.key))) return;
    const wordClass = WORD_CLASSES.get(word) ?? WORD_CLASSES.get(token.key);
    if (wordClass) keys.add(wordClass);
    else if (MEANINGFUL.has(word) || MEANINGFUL.has(token.key)) keys.add(token.key);
    else if (!FILLER_WORDS.has(word) && !FILLER_WORDS.has(token.key)) keys.add(stem(word));
  });
  for (const slot of slots) keys.add(`#${slot.kind}`);
  if (slots.some((slot) => slot.kind === 'cedula')) {
    const implied = new Set(['~entity:clientes', '~column:cedula', ...CEDULA_WORDS]);
    for (const key of [...keys]) if (implied.has(foldText(key))) keys.delete(key);
  }
  // A metric is an amount: "¿cuánto es el saldo pendiente…?" asks what "¿cuál es el saldo pendiente…?" does.
  if ([...keys].some((key) => key.startsWith('~metric:'))) {
    keys.delete('#monto');
    keys.delete('#total');
  }
  return { keys, slots };
}

function readingOf(translation: Translation): EngineReading | null {
  const { query, parsed } = translation;
  if (!query || parsed.unknown.length === 0) return null;
  return {
    sql: query.sql.replace(/\s+AS\s+"[^"]*"/g, ''),
    params: query.params,
    leftover: [...new Set(parsed.unknown.map((word) => stem(foldText(word))))].sort().join(' '),
  };
}

/** True when both readings are the same once the example's slot values are the asked ones. */
function sameReading(asked: EngineReading | null, known: EngineReading | null, knownSlots: Slot[], askedSlots: Slot[]) {
  if (!asked || !known || asked.sql !== known.sql || asked.leftover !== known.leftover) return false;
  const swapped = known.params.map((param) => {
    const index = knownSlots.findIndex((slot) => slot.value === param);
    return index >= 0 ? askedSlots[index]?.value : param;
  });
  return JSON.stringify(swapped) === JSON.stringify(asked.params);
}

/** "total" stands for whichever of count and amount the other question asks for, if it asks one. */
function resolveTotal(keys: Set<string>, other: Set<string>): Set<string> {
  if (!keys.has('#total')) return keys;
  const aggregate = ['#contar', '#monto'].filter((key) => other.has(key) && !keys.has(key));
  if (aggregate.length !== 1) return keys;
  const resolved = new Set(keys);
  resolved.delete('#total');
  resolved.add(aggregate[0] ?? '#total');
  return resolved;
}

/**
 * How close two shapes are: 1 when equal; 0.9 or 0.85 when one or two plain words differ and the
 * questions are long enough for that to be wording (every term, period, aggregate, comparison,
 * negation and slot still equal); 0 otherwise.
 */
function similarity(askedShape: QuestionShape, knownShape: QuestionShape): number {
  const asked = resolveTotal(askedShape.keys, knownShape.keys);
  const known = resolveTotal(knownShape.keys, askedShape.keys);
  const differing = [...[...known].filter((key) => !asked.has(key)), ...[...asked].filter((key) => !known.has(key))];
  if (differing.length === 0) return 1;
  if (differing.length > 2 || !differing.every(isSoftKey)) return 0;
  const strong = [...known].filter((key) => !isSoftKey(key)).length;
  if (strong < 2 || Math.min(asked.size, known.size) < 3 + differing.length) return 0;
  return differing.length === 1 ? 0.9 : 0.85;
}

/** A numeric literal in SQL equal to `value`, outside identifiers and parameters. */
function numberPattern(value: number): RegExp {
  const plain = String(value).replace('.', '\\.');
  return new RegExp(`(?<![\\w.$'])${plain}(?:\\.0+)?(?![\\w.])`, 'g');
}

/**
 * The example's SQL for the asked question's values: each slot of the example that the question
 * fills differently is replaced where the SQL uses it. Undefined when the SQL cannot be adapted
 * (a changed value the SQL does not show, or slots of other kinds).
 */
function adaptSql(sql: string, known: Slot[], asked: Slot[]): string | undefined {
  if (known.length !== asked.length) return undefined;
  let adapted = sql;
  for (const [index, slot] of known.entries()) {
    const replacement = asked[index];
    if (!replacement || replacement.kind !== slot.kind) return undefined;
    if (replacement.value === slot.value) continue;
    if (slot.kind === 'number') {
      const pattern = numberPattern(Number(slot.value));
      if (!pattern.test(adapted)) return undefined;
      adapted = adapted.replace(numberPattern(Number(slot.value)), String(replacement.value));
    } else {
      const quoted = `'${String(slot.value).replace(/'/g, "''")}'`;
      if (!adapted.toLowerCase().includes(quoted.toLowerCase())) return undefined;
      const escaped = quoted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      adapted = adapted.replace(new RegExp(escaped, 'gi'), `'${String(replacement.value).replace(/'/g, "''")}'`);
    }
  }
  return adapted;
}

interface ShapedExample {
  example: VerifiedExample;
  updated: string;
  shape: QuestionShape;
  /** Stems of every word of the example's question (which leftover words it could share). */
  stems: Set<string>;
  /** The engine's reading, computed when first needed (undefined until then). */
  reading?: EngineReading | null;
}

interface CachedExamples {
  signature: string;
  lexicon: Lexicon;
  /** Newest first. */
  examples: ShapedExample[];
  /** By the keys that must be equal for a match (`strongBucket`): the only candidates by shape. */
  byStrong: Map<string, ShapedExample[]>;
  /** By the stems of their words: the only candidates by the engine's reading (leftover words). */
  byStem: Map<string, ShapedExample[]>;
}

const AGGREGATE_KEYS = new Set(['#contar', '#monto', '#total']);

/**
 * What two questions must share for `similarity` to be above zero: every key that is not a plain word
 * (an unresolved "total" may still become a count or an amount, so the three are one here).
 */
function strongBucket(keys: Set<string>): string {
  const strong = [...keys].filter((key) => !isSoftKey(key)).map((key) => (AGGREGATE_KEYS.has(key) ? '#agg' : key));
  return [...new Set(strong)].sort().join('|');
}

function indexBy(examples: ShapedExample[], keysOf: (entry: ShapedExample) => Iterable<string>) {
  const index = new Map<string, ShapedExample[]>();
  for (const entry of examples) {
    for (const key of keysOf(entry)) {
      const list = index.get(key);
      if (list) list.push(entry);
      else index.set(key, [entry]);
    }
  }
  return index;
}

const cache = new WeakMap<object, CachedExamples>();

/**
 * The active verified examples with their shapes. Re-read when they change (one cheap signature query
 * per question); an unchanged example keeps its shape and reading, so a new correction costs one
 * shape, not one per stored example. A changed lexicon (a dictionary edit) reshapes them all (cheap)
 * and forgets the readings.
 */
async function shapedExamples(db: Queryable, lexicon: Lexicon): Promise<CachedExamples> {
  const { rows } = await db.query<{ firma: string }>(
    `SELECT count(*) || ':' || coalesce(max(actualizado_en)::text, '') AS firma FROM ai_ejemplos_verificados`,
  );
  const signature = rows[0]?.firma ?? '';
  const cached = cache.get(db);
  if (cached && cached.signature === signature && cached.lexicon === lexicon) return cached;
  const known = new Map(
    cached && cached.lexicon === lexicon ? cached.examples.map((entry) => [entry.example.id, entry]) : [],
  );
  const examples = await db.query<VerifiedExample & { actualizado: string }>(
    `SELECT id, conversacion_id, pregunta, sql_corregido, respuesta_corregida, ruta, actualizado_en::text AS actualizado
       FROM ai_ejemplos_verificados WHERE activo ORDER BY id DESC`,
  );
  const shaped = examples.rows.map(({ actualizado, ...example }): ShapedExample => {
    const previous = known.get(example.id);
    if (previous && previous.updated === actualizado) return previous;
    return {
      example,
      updated: actualizado,
      shape: shapeOf(example.pregunta, lexicon),
      stems: new Set(tokenize(example.pregunta).map((token) => stem(token.folded))),
    };
  });
  const entry: CachedExamples = {
    signature,
    lexicon,
    examples: shaped,
    byStrong: indexBy(shaped, (example) => [strongBucket(example.shape.keys)]),
    byStem: indexBy(shaped, (example) => example.stems),
  };
  cache.set(db, entry);
  return entry;
}

/** The engine's reading of an example, computed once (only for examples that share the leftover words). */
async function readingFor(db: Queryable, entry: ShapedExample): Promise<EngineReading | null> {
  if (entry.reading === undefined) {
    entry.reading = readingOf(await translateQuestion({ db, question: entry.example.pregunta }));
  }
  return entry.reading;
}

/**
 * The verified example that answers `question`: the same question, or one that says the same with
 * other words (synonyms from the dictionary, other fillers, another cédula or number when the
 * corrected SQL uses it). The most recent correction wins among equals. Examples and the dictionary
 * are checked for changes on every call, so a new correction is used by the next question.
 */
export async function findVerifiedExample(
  db: Queryable,
  question: string,
  translation?: Translation,
): Promise<ExampleMatch | null> {
  // The question's own reading already checked the catalogue: no second signature query.
  const lexicon = lexiconFor(translation?.catalog ?? (await loadSemanticCatalog(db)));
  const stored = await shapedExamples(db, lexicon);
  if (stored.examples.length === 0) return null;
  const asked = shapeOf(question, lexicon);
  const askedReading = readingOf(translation ?? (await translateQuestion({ db, question })));
  const leftover = askedReading?.leftover.split(' ') ?? [];
  // Only examples that can match are compared: the same strong keys, or every leftover word.
  const candidates = new Set(stored.byStrong.get(strongBucket(asked.keys)) ?? []);
  if (askedReading) {
    const [rarest] = leftover.map((word) => stored.byStem.get(word) ?? []).sort((a, b) => a.length - b.length);
    for (const entry of rarest ?? []) if (leftover.every((word) => entry.stems.has(word))) candidates.add(entry);
  }
  let best: ExampleMatch | null = null;
  for (const entry of candidates) {
    const { example, shape } = entry;
    let score = similarity(asked, shape);
    if (score === 0 && askedReading && leftover.every((word) => entry.stems.has(word))) {
      const reading = await readingFor(db, entry);
      if (sameReading(askedReading, reading, shape.slots, asked.slots)) score = 0.8;
    }
    // The better match wins; among equals, the most recent correction.
    if (score === 0 || (best && (best.score > score || (best.score === score && best.example.id > example.id))))
      continue;
    let sql: string | null = null;
    if (example.sql_corregido) {
      const adapted = adaptSql(example.sql_corregido, shape.slots, asked.slots);
      if (adapted === undefined) continue;
      sql = adapted;
    } else if (JSON.stringify(shape.slots) !== JSON.stringify(asked.slots)) {
      // A written answer names its own client or figure: only the same values reuse it.
      continue;
    }
    best = { example, sql, score };
  }
  return best;
}

/** Verified examples sharing the most meaning with `question` (few-shot examples for the model). */
export async function similarVerifiedExamples(
  db: Queryable,
  question: string,
  limit: number,
): Promise<VerifiedExample[]> {
  const lexicon = lexiconFor(await loadSemanticCatalog(db));
  const { examples } = await shapedExamples(db, lexicon);
  const asked = shapeOf(question, lexicon);
  return examples
    .filter(({ example }) => example.sql_corregido !== null)
    .map(({ example, shape }) => ({
      example,
      shared: [...shape.keys].filter((key) => asked.keys.has(key)).length,
    }))
    .filter((item) => item.shared > 0)
    .sort((a, b) => b.shared - a.shared)
    .slice(0, limit)
    .map((item) => item.example);
}
