import { phraseKeys, slug, type Token } from './question-tokens.ts';
import { DOMAIN_TABLES, type SemanticCatalog } from './semantic-catalog.ts';

/** What a phrase of a question can mean. */
export type Sense =
  | { kind: 'entity'; table: string; labelColumn: string; term: string }
  | { kind: 'column'; table: string; column: string; type: string; term: string; expression?: string }
  | { kind: 'filter'; table: string; condition: string; term: string; fromDictionary: boolean; dateColumn?: string }
  | { kind: 'metric'; table: string; expression: string; condition: string | null; term: string; dateColumn?: string }
  | { kind: 'selection'; table: string; order: string; condition: string | null; term: string }
  /** A business concept without a SQL meaning (a policy term): a sign the question is for the documents. */
  | { kind: 'concept'; table: null; term: string };

/** A phrase found in a question, with every sense it can have. */
export interface PhraseMatch {
  start: number;
  end: number;
  text: string;
  senses: Sense[];
}

/** Phrases of the dictionary, the field definitions and the value catalogue, indexed for matching. */
export interface Lexicon {
  phrases: Map<string, Sense[]>;
  longest: number;
  /** Every word any phrase uses (typo correction corrects towards these). */
  vocabulary: Set<string>;
}

const isDomainTable = (table: string | null): table is string =>
  table !== null && (DOMAIN_TABLES as readonly string[]).includes(table);

function add(lexicon: Lexicon, phrase: string, sense: Sense): void {
  const keys = phraseKeys(phrase);
  if (keys.length === 0) return;
  const key = keys.join(' ');
  const senses = lexicon.phrases.get(key) ?? [];
  if (!senses.some((known) => JSON.stringify(known) === JSON.stringify(sense))) senses.push(sense);
  lexicon.phrases.set(key, senses);
  lexicon.longest = Math.max(lexicon.longest, keys.length);
  for (const word of keys) lexicon.vocabulary.add(word);
}

/** A column value as words: "EN_REVISION" → "en revision". */
const valueWords = (value: string): string => value.replace(/_/g, ' ');

/** Entries naming an entity: the entity's own ('entidad') or how questions name it ('consulta'). */
const isEntityEntry = (categoria: string | null): boolean => categoria === 'entidad' || categoria === 'consulta';

const quote = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** Builds the phrase index a catalogue implies; cheap enough to rebuild on every catalogue change. */
export function buildLexicon(catalog: SemanticCatalog): Lexicon {
  const lexicon: Lexicon = { phrases: new Map(), longest: 1, vocabulary: new Set() };
  const types = new Map(catalog.fields.map((field) => [`${field.tabla}.${field.campo}`, field.tipo_dato]));
  for (const stored of catalog.dictionary) {
    // An entry that stands for a value of its column is the condition "column = value".
    const entry =
      !stored.condicion && stored.valor !== null && stored.tabla && stored.campo && /^[a-z_]+$/.test(stored.campo)
        ? { ...stored, condicion: `${stored.tabla}.${stored.campo} = ${quote(stored.valor)}` }
        : stored;
    if (!entry.condicion && !entry.expresion && (entry.tabla === null || entry.categoria === 'cobranza')) {
      for (const phrase of [entry.palabra, ...entry.sinonimos])
        add(lexicon, phrase, { kind: 'concept', table: null, term: entry.palabra });
      continue;
    }
    if (!isDomainTable(entry.tabla)) continue;
    const table = entry.tabla;
    let sense: Sense | undefined;
    // A metric's or filter's campo_relacionado, when it is a date, is the date its periods use.
    const dateColumn =
      entry.campo && /^(date|timestamp)/.test(types.get(`${table}.${entry.campo}`) ?? '') ? entry.campo : undefined;
    if (entry.categoria === 'campo' && entry.expresion) {
      // A derived column ("tipo de documento" = the cédula's letter): groups and lists, never a figure.
      const column = slug(entry.palabra);
      sense = { kind: 'column', table, column, type: 'text', term: entry.palabra, expression: entry.expresion };
    } else if (entry.categoria === 'seleccion' && entry.expresion) {
      sense = { kind: 'selection', table, order: entry.expresion, condition: entry.condicion, term: entry.palabra };
    } else if (entry.expresion) {
      sense = {
        kind: 'metric',
        table,
        expression: entry.expresion,
        condition: entry.condicion,
        term: entry.palabra,
        dateColumn,
      };
    } else if (entry.condicion) {
      sense = {
        kind: 'filter',
        table,
        condition: entry.condicion,
        term: entry.palabra,
        fromDictionary: true,
        dateColumn,
      };
    } else if (isEntityEntry(entry.categoria) && entry.campo === null) {
      continue;
    } else if (
      isEntityEntry(entry.categoria) &&
      entry.campo !== null &&
      entry.campo !== '' &&
      /^[a-z_]+$/.test(entry.campo)
    ) {
      const labelColumn = entry.campo;
      const isLabel = ['nombres', 'id', 'numero_cuota'].includes(labelColumn);
      sense = isLabel
        ? { kind: 'entity', table, labelColumn, term: entry.palabra }
        : {
            kind: 'column',
            table,
            column: labelColumn,
            type: types.get(`${table}.${labelColumn}`) ?? 'text',
            term: entry.palabra,
          };
    } else if (entry.categoria === 'campo' && entry.campo) {
      sense = {
        kind: 'column',
        table,
        column: entry.campo,
        type: types.get(`${table}.${entry.campo}`) ?? 'text',
        term: entry.palabra,
      };
    }
    if (!sense) continue;
    for (const phrase of [entry.palabra, ...entry.sinonimos]) add(lexicon, phrase, sense);
  }
  for (const field of catalog.fields) {
    if (!isDomainTable(field.tabla)) continue;
    const column: Sense = {
      kind: 'column',
      table: field.tabla,
      column: field.campo,
      type: field.tipo_dato,
      term: field.campo,
    };
    for (const phrase of field.sinonimos) add(lexicon, phrase, column);
    for (const value of field.valores_posibles) {
      const filter: Sense = {
        kind: 'filter',
        table: field.tabla,
        condition: `${field.tabla}.${field.campo} = ${quote(value)}`,
        term: value,
        fromDictionary: false,
      };
      add(lexicon, valueWords(value), filter);
    }
  }
  for (const value of catalog.values) {
    add(lexicon, value.valor, {
      kind: 'filter',
      table: value.tabla,
      condition: `${value.tabla}.${value.campo} = ${quote(value.valor)}`,
      term: value.valor,
      fromDictionary: false,
    });
  }
  return lexicon;
}

const lexicons = new WeakMap<SemanticCatalog, Lexicon>();

/** The lexicon of a catalogue, built once per catalogue (a new catalogue comes with every edit). */
export function lexiconFor(catalog: SemanticCatalog): Lexicon {
  let lexicon = lexicons.get(catalog);
  if (!lexicon) {
    lexicon = buildLexicon(catalog);
    lexicons.set(catalog, lexicon);
  }
  return lexicon;
}

/**
 * Longest-first matching of phrases over the tokens not yet consumed (`used`); returns the matches
 * in question order and marks their tokens as used.
 */
export function matchPhrases(lexicon: Lexicon, tokens: Token[], used: boolean[]): PhraseMatch[] {
  const matches: PhraseMatch[] = [];
  let index = 0;
  while (index < tokens.length) {
    let found: PhraseMatch | undefined;
    for (let length = Math.min(lexicon.longest, tokens.length - index); length >= 1 && !found; length--) {
      const slice = tokens.slice(index, index + length);
      if (slice.some((_, offset) => used[index + offset])) continue;
      const senses = lexicon.phrases.get(slice.map((token) => token.key).join(' '));
      if (senses) {
        found = { start: index, end: index + length, text: slice.map((token) => token.text).join(' '), senses };
      }
    }
    if (found) {
      matches.push(found);
      for (let position = found.start; position < found.end; position++) used[position] = true;
      index = found.end;
    } else {
      index++;
    }
  }
  return matches;
}
