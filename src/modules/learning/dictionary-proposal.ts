import type { Database, Queryable } from '../../db/database.ts';
import { AppError, isAppError } from '../../errors.ts';
import { words } from '../embeddings/index.ts';
import {
  cleanTerms,
  contentOf,
  PALABRA_KEY_SQL,
  readRecord,
  type DictionaryContent,
  type DictionaryRecord,
} from './dictionary-entry.ts';
import { contentInput } from './dictionary-input.ts';
import { addedTerms, describeConflicts, loadTermIndex, termConflicts } from './dictionary-terms.ts';
import { validateContent } from './dictionary-validation.ts';

/** What "Mejorar con IA" proposes for an entry; nothing is saved until an administrator applies it. */
export type Proposal = Omit<DictionaryContent, 'palabra' | 'activo'>;

/** A proposal, or one clarifying question, with why; `valida` when it passed the same checks as a save. */
export interface Improvement {
  entrada_id: number | null;
  palabra: string;
  propuesta: Proposal | null;
  valida: boolean;
  /** Why the proposal cannot be saved as it is (an invalid column, value or SQL). */
  problemas: string[];
  pregunta_aclaratoria: string | null;
  explicacion: string;
  modelo: string;
  tokens_usados: number;
}

/** A column of the loan book as the field definitions describe it. */
export interface FieldInfo {
  tabla: string;
  campo: string;
  definicion: string;
  tipo_dato: string | null;
  valores_posibles: string[];
  sinonimos: string[];
}

/** Another active entry of the dictionary. */
export type KnownEntry = DictionaryContent & { id: number };

/** Everything a proposal is made from. */
export interface ImproveContext {
  entrada: DictionaryRecord | null;
  palabra: string;
  contexto: string | null;
  fields: FieldInfo[];
  /** The other active entries. */
  dictionary: KnownEntry[];
  /** Stored questions that use the word. */
  preguntas: string[];
}

/** The tables a proposal can point at (the ones the question engine answers about). */
export const PROPOSAL_TABLES = ['clientes', 'prestamos', 'cuotas', 'pagos'] as const;

// Articles and prepositions only: "estado" or "activo" carry meaning here.
const GLUE = new Set(
  'a al de del el la las los lo en y o u un una unos unas con sin por para que se es su sus le'.split(' '),
);

/** Folded words of a text without articles and prepositions. */
export function meaningfulWords(text: string): string[] {
  return words(text).filter((word) => !GLUE.has(word));
}

/**
 * A word without its plural and gender ending ("aprobadas" → "aprobad", "motos" → "moto"), so a
 * column value or a synonym matches however the word is inflected.
 */
export function root(word: string): string {
  let stem = word;
  if (stem.length > 5 && /(?:[lrndzj]|ion)es$/.test(stem)) stem = stem.slice(0, -2);
  else if (stem.length > 3 && /[aeiou]s$/.test(stem)) stem = stem.slice(0, -1);
  if (stem.length > 4 && /[ao]$/.test(stem)) stem = stem.slice(0, -1);
  return stem;
}

/** The roots of a phrase's meaningful words. */
export const rootsOf = (text: string): string[] => meaningfulWords(text.replace(/_/g, ' ')).map(root);

async function storedQuestions(db: Queryable, palabra: string): Promise<string[]> {
  const patterns = rootsOf(palabra).map((stem) => `%${stem}%`);
  if (patterns.length === 0) return [];
  const { rows } = await db.query<{ pregunta: string }>(
    `SELECT pregunta FROM (SELECT pregunta, creado_en FROM conversaciones_ai ORDER BY id DESC LIMIT 20000) c
      WHERE rc_sin_acentos(pregunta) LIKE ALL ($1::text[])
      GROUP BY pregunta ORDER BY max(creado_en) DESC LIMIT 5`,
    [patterns],
  );
  return rows.map((row) => row.pregunta);
}

/** Reads the entry (by id, or by its word when it exists), the field definitions and examples. */
export async function gatherContext(
  db: Queryable,
  input: { id?: number; palabra?: string; contexto?: string | null },
): Promise<ImproveContext> {
  let entrada: DictionaryRecord | null = null;
  if (input.id !== undefined) entrada = await readRecord(db, input.id);
  else if (input.palabra) {
    const { rows } = await db.query<{ id: number }>(
      `SELECT d.id FROM ai_diccionario_semantico d WHERE ${PALABRA_KEY_SQL} = lower(rc_sin_acentos($1))`,
      [input.palabra],
    );
    if (rows[0]) entrada = await readRecord(db, rows[0].id);
  }
  const palabra = entrada?.palabra ?? input.palabra ?? '';
  if (!palabra) throw new AppError('INVALID_INPUT', 'Indique el id de una entrada o la palabra a mejorar.');
  const fields = await db.query<FieldInfo>(
    `SELECT tabla, campo, definicion, tipo_dato, valores_posibles, sinonimos FROM ai_definiciones_campos
      WHERE activo AND tabla = ANY($1::text[]) ORDER BY tabla, id`,
    [[...PROPOSAL_TABLES]],
  );
  const dictionary = await db.query<KnownEntry>(
    `SELECT id, palabra, definicion, categoria, tabla_relacionada, campo_relacionado, valor, condicion_sql,
            expresion_sql, sinonimos, ejemplos_uso, activo
       FROM ai_diccionario_semantico WHERE activo AND id IS DISTINCT FROM $1 ORDER BY id`,
    [entrada?.id ?? null],
  );
  return {
    entrada,
    palabra,
    contexto: input.contexto?.trim() || null,
    fields: fields.rows.filter((field) => field.campo !== 'password_hash'),
    dictionary: dictionary.rows,
    preguntas: await storedQuestions(db, palabra),
  };
}

/**
 * Runs a proposal through the checks a save would run (input rules, live schema, value, SQL guard).
 * Synonyms another entry already owns are dropped with a note rather than failing the proposal.
 */
export async function checkProposal(
  db: Database,
  context: ImproveContext,
  proposal: Proposal,
): Promise<{ propuesta: Proposal; problemas: string[]; notas: string[] }> {
  const notas: string[] = [];
  const problemas: string[] = [];
  const parsed = contentInput.safeParse({
    ...proposal,
    palabra: context.palabra,
    activo: context.entrada?.activo ?? true,
  });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    return { propuesta: proposal, problemas: [`La propuesta no es válida: ${issues.join('; ')}.`], notas };
  }
  let content = parsed.data;
  try {
    content = await validateContent(db, content);
  } catch (error) {
    if (!isAppError(error) || error.code !== 'INVALID_INPUT') throw error;
    problemas.push(error.message);
  }
  const self = { id: context.entrada?.id ?? null, palabra: content.palabra };
  const conflicts = termConflicts(
    await loadTermIndex(db),
    self,
    addedTerms(context.entrada?.sinonimos ?? null, content.sinonimos),
  );
  if (conflicts.length > 0) {
    const taken = new Set(conflicts.map((conflict) => conflict.termino));
    content = { ...content, sinonimos: content.sinonimos.filter((term) => !taken.has(term)) };
    notas.push(`Quité sinónimos que ya usa otra entrada: ${describeConflicts(conflicts)}.`);
  }
  const { palabra: _palabra, activo: _activo, ...propuesta } = content;
  return { propuesta, problemas, notas };
}

/** The proposal's starting point: what the entry says today (empty for a new word). */
export function baseProposal(context: ImproveContext): Proposal {
  if (!context.entrada) {
    return {
      definicion: '',
      categoria: null,
      tabla_relacionada: null,
      campo_relacionado: null,
      valor: null,
      condicion_sql: null,
      expresion_sql: null,
      sinonimos: [],
      ejemplos_uso: [],
    };
  }
  const { palabra: _palabra, activo: _activo, ...current } = contentOf(context.entrada);
  return { ...current, sinonimos: cleanTerms(current.sinonimos, context.palabra) };
}
