import {
  baseProposal,
  PROPOSAL_TABLES,
  rootsOf,
  type FieldInfo,
  type ImproveContext,
  type Proposal,
} from './dictionary-proposal.ts';

/** The model name a local (network-free) proposal reports. */
export const LOCAL_DICTIONARY_MODEL = 'local-diccionario-v1';

/** A meaning the word may have: a column, a value of a column, or the condition of another entry. */
export interface Candidate {
  tabla: string;
  campo: string | null;
  valor: string | null;
  condicion: string | null;
  definicion: string;
  /** The entry it comes from, when it is another entry's meaning. */
  entrada?: string;
  score: number;
  motivo: string;
}

/** What a proposer returns before the proposal is checked. */
export interface Draft {
  propuesta: Proposal | null;
  pregunta_aclaratoria: string | null;
  explicacion: string;
}

const ENTITY_NAMES: Record<string, string> = {
  clientes: 'Cliente',
  prestamos: 'Préstamo',
  cuotas: 'Cuota',
  pagos: 'Pago',
};
const LABEL_COLUMNS: Record<string, string> = {
  clientes: 'nombres',
  prestamos: 'id',
  cuotas: 'numero_cuota',
  pagos: 'id',
};
const SIMPLE_CONDITION = /^(\w+)\.(\w+)\s*=\s*'((?:[^']|'')*)'$/;
const TIE = 0.05;

const covers = (phrase: string[], pool: ReadonlySet<string>) =>
  phrase.length > 0 && phrase.every((stem) => pool.has(stem));
const touches = (phrase: string[], descriptors: ReadonlySet<string>) => phrase.some((stem) => descriptors.has(stem));
const withoutPeriod = (text: string) => text.trim().replace(/\.$/, '');

/** The tables the word names ("préstamo", "crédito" → prestamos) and the roots that named them. */
function tableHints(context: ImproveContext, pool: ReadonlySet<string>): { tables: Set<string>; used: Set<string> } {
  const tables = new Set<string>();
  const used = new Set<string>();
  const name = (table: string, phrase: string[]) => {
    if (!covers(phrase, pool)) return;
    tables.add(table);
    for (const stem of phrase) used.add(stem);
  };
  for (const table of PROPOSAL_TABLES) name(table, rootsOf(table));
  for (const entry of context.dictionary) {
    const table = entry.tabla_relacionada;
    if (!table || !(PROPOSAL_TABLES as readonly string[]).includes(table)) continue;
    if (entry.categoria !== 'entidad' && entry.categoria !== 'consulta') continue;
    for (const phrase of [entry.palabra, ...entry.sinonimos]) name(table, rootsOf(phrase));
  }
  return { tables, used };
}

/**
 * Every meaning the word (and, with less weight, the context) can have, best first. A value of a
 * column weighs most, then another entry with the same word, then a column's name or synonym, then
 * a word of a column's definition; columns of the table the word names get a bonus.
 */
export function findCandidates(context: ImproveContext): {
  candidates: Candidate[];
  tables: Set<string>;
  descriptors: Set<string>;
} {
  const word = new Set(rootsOf(context.palabra));
  const extra = new Set(rootsOf(context.contexto ?? ''));
  const { tables, used } = tableHints(context, word);
  const contextTables = tableHints(context, extra).tables;
  const descriptors = new Set([...word].filter((stem) => !used.has(stem)));
  const found = new Map<string, Candidate>();
  const offer = (candidate: Omit<Candidate, 'score'>, base: number, length: number) => {
    const bonus = tables.has(candidate.tabla) ? 0.5 : contextTables.has(candidate.tabla) ? 0.25 : 0;
    const score = base + 0.1 * length + bonus;
    const key = [candidate.tabla, candidate.campo, candidate.valor, candidate.condicion].join('|');
    const known = found.get(key);
    if (!known || known.score < score) found.set(key, { ...candidate, score });
  };
  const matchFrom = (phrase: string[], strong: number, weak: number) =>
    covers(phrase, word) && touches(phrase, descriptors) ? strong : covers(phrase, extra) ? weak : 0;
  for (const field of context.fields) offerField(field, matchFrom, offer);
  for (const entry of context.dictionary) {
    const table = entry.tabla_relacionada;
    if (!table || !(PROPOSAL_TABLES as readonly string[]).includes(table) || entry.expresion_sql) continue;
    let campo = entry.campo_relacionado;
    let valor = entry.valor;
    let condicion = valor ? null : entry.condicion_sql;
    const simple = condicion ? SIMPLE_CONDITION.exec(condicion) : null;
    if (simple && simple[1] === table) {
      campo = simple[2] ?? null;
      valor = (simple[3] ?? '').replace(/''/g, "'");
      condicion = null;
    }
    if (!(campo && valor) && !condicion) continue;
    for (const phrase of [entry.palabra, ...entry.sinonimos]) {
      const base = matchFrom(rootsOf(phrase), 2.5, 2);
      if (base === 0) continue;
      const how = phrase === entry.palabra ? 'es la entrada' : `es sinónimo de la entrada`;
      offer(
        {
          tabla: table,
          campo,
          valor,
          condicion,
          definicion: entry.definicion,
          entrada: entry.palabra,
          motivo: `«${phrase}» ${how} «${entry.palabra}»`,
        },
        base,
        rootsOf(phrase).length,
      );
    }
  }
  let candidates = [...found.values()];
  if (tables.size > 0 && candidates.some((candidate) => tables.has(candidate.tabla))) {
    candidates = candidates.filter((candidate) => tables.has(candidate.tabla));
  }
  return { candidates: candidates.sort((a, b) => b.score - a.score), tables, descriptors };
}

function offerField(
  field: FieldInfo,
  matchFrom: (phrase: string[], strong: number, weak: number) => number,
  offer: (candidate: Omit<Candidate, 'score'>, base: number, length: number) => void,
): void {
  const column = { tabla: field.tabla, campo: field.campo, valor: null, condicion: null, definicion: field.definicion };
  const name = `${field.tabla}.${field.campo}`;
  for (const value of field.valores_posibles) {
    const phrase = rootsOf(value);
    const base = matchFrom(phrase, 3, 2);
    if (base === 0) continue;
    const definicion = `${ENTITY_NAMES[field.tabla] ?? field.tabla} con ${field.campo} ${value} (${withoutPeriod(field.definicion)}).`;
    offer(
      { ...column, valor: value, definicion, motivo: `«${value}» es un valor posible de ${name}` },
      base,
      phrase.length,
    );
  }
  for (const phrase of [field.campo, ...field.sinonimos]) {
    const base = matchFrom(rootsOf(phrase), 2, 1);
    if (base > 0) offer({ ...column, motivo: `«${phrase}» nombra la columna ${name}` }, base, rootsOf(phrase).length);
  }
  const hits = [...new Set(rootsOf(field.definicion))].filter((stem) => matchFrom([stem], 1, 0) > 0);
  if (hits.length > 0) offer({ ...column, motivo: `la definición de ${name} usa la palabra` }, 1, hits.length);
}

/** "préstamo vivo" → "préstamos vivos"; words after a preposition stay ("cuota en mora" → "cuotas en mora"). */
export function pluralOf(phrase: string): string | null {
  const parts = phrase.split(' ');
  if (parts.some((part) => /s$/i.test(part) && part.length > 3)) return null;
  let stop = false;
  const plural = parts.map((part) => {
    if (stop || /^(de|del|en|con|sin|por|para|a|al|y|o)$/i.test(part)) {
      stop = true;
      return part;
    }
    if (/[aeiouáéó]$/i.test(part)) return `${part}s`;
    if (/z$/i.test(part)) return `${part.slice(0, -1)}ces`;
    if (/ión$/i.test(part)) return `${part.slice(0, -3)}iones`;
    if (/[^aeiou]$/i.test(part)) return `${part}es`;
    return part;
  });
  const text = plural.join(' ');
  return text === phrase ? null : text;
}

const describe = (candidate: Candidate) =>
  candidate.condicion
    ? `lo mismo que la entrada «${candidate.entrada ?? ''}» (${candidate.tabla})`
    : candidate.valor
      ? `${candidate.tabla}.${candidate.campo} = ${candidate.valor}`
      : `la columna ${candidate.tabla}.${candidate.campo}`;

const joinChoices = (choices: string[]) =>
  choices.length <= 1 ? (choices[0] ?? '') : `${choices.slice(0, -1).join(', a ')} o a ${choices.at(-1)}`;

function clarifyUnknown(context: ImproveContext, tables: Set<string>): Draft {
  // A state is what an adjective most often names ("vivo", "al día"): estado columns first.
  const columns = context.fields
    .filter((field) => tables.has(field.tabla) && field.valores_posibles.length > 0)
    .sort((a, b) => Number(b.campo === 'estado') - Number(a.campo === 'estado'));
  const explicacion = `No encontré en las definiciones de campos ni en el diccionario qué significa «${context.palabra}».`;
  if (columns.length > 0) {
    const choices = columns.map(
      (field) => `un valor de ${field.tabla}.${field.campo} (${field.valores_posibles.join(', ')})`,
    );
    const example = columns[0]?.valores_posibles[0] ?? '';
    return {
      propuesta: null,
      pregunta_aclaratoria: `¿«${context.palabra}» se refiere a ${joinChoices(choices)}? Dígalo en el contexto (por ejemplo: «equivale a ${columns[0]?.campo} ${example}») y vuelva a pedir la mejora.`,
      explicacion,
    };
  }
  return {
    propuesta: null,
    pregunta_aclaratoria: `¿A qué se refiere «${context.palabra}»: a clientes, préstamos, cuotas o pagos, y a qué columna o valor? Descríbalo en el contexto y vuelva a pedir la mejora.`,
    explicacion,
  };
}

/** Synonyms and examples any proposal gets: the plural and stored questions that use the word. */
function enrich(context: ImproveContext, proposal: Proposal): Proposal {
  const plural = pluralOf(context.palabra);
  return {
    ...proposal,
    sinonimos: [...proposal.sinonimos, ...(plural ? [plural] : [])],
    ejemplos_uso: [...proposal.ejemplos_uso, ...context.preguntas].slice(0, Math.max(5, proposal.ejemplos_uso.length)),
  };
}

/**
 * A proposal made without a model, from the field definitions, the dictionary and stored questions:
 * an entry that already has a meaning keeps it and gains synonyms and examples; a word without one
 * gets the best-matching column or value, or a clarifying question when two tie or none matches.
 */
export function localProposal(context: ImproveContext): Draft {
  const base = baseProposal(context);
  const stored = context.entrada;
  if (
    stored &&
    stored.tabla_relacionada &&
    (stored.campo_relacionado || stored.condicion_sql || stored.expresion_sql)
  ) {
    const propuesta = enrich(context, {
      ...base,
      categoria: base.categoria ?? (base.valor || base.condicion_sql ? 'filtro' : 'campo'),
    });
    return {
      propuesta,
      pregunta_aclaratoria: null,
      explicacion: `La entrada ya tiene significado en ${stored.tabla_relacionada}; se conserva y se completan sinónimos y ejemplos de uso.`,
    };
  }
  const { candidates, tables, descriptors } = findCandidates(context);
  const best = candidates[0];
  if (!best) {
    const [table] = tables;
    // The word only names a table ("crédito"): a way of naming that entity in questions.
    if (table && tables.size === 1 && descriptors.size === 0) return entityDraft(context, base, table);
    return clarifyUnknown(context, tables);
  }
  const tied = candidates.filter((candidate) => candidate.score >= best.score - TIE);
  if (tied.length > 1) {
    return {
      propuesta: null,
      pregunta_aclaratoria: `¿«${context.palabra}» se refiere a ${joinChoices(tied.slice(0, 4).map(describe))}?`,
      explicacion: `Hay ${tied.length} significados igual de probables: ${tied.map((candidate) => candidate.motivo).join('; ')}.`,
    };
  }
  const propuesta = enrich(context, {
    ...base,
    definicion: base.definicion || best.definicion,
    categoria: base.categoria ?? (best.valor || best.condicion ? 'filtro' : 'campo'),
    tabla_relacionada: best.tabla,
    campo_relacionado: best.campo,
    valor: best.valor,
    condicion_sql: best.condicion,
  });
  return {
    propuesta,
    pregunta_aclaratoria: null,
    explicacion: `Se propone ${describe(best)}, porque ${best.motivo}.`,
  };
}

function entityDraft(context: ImproveContext, base: Proposal, table: string): Draft {
  return {
    propuesta: enrich(context, {
      ...base,
      definicion: base.definicion || `${ENTITY_NAMES[table] ?? table} (como se nombra en las preguntas).`,
      categoria: base.categoria ?? 'consulta',
      tabla_relacionada: table,
      campo_relacionado: LABEL_COLUMNS[table] ?? 'id',
    }),
    pregunta_aclaratoria: null,
    explicacion: `«${context.palabra}» nombra la tabla ${table}: se propone como forma de nombrarla en las preguntas.`,
  };
}
