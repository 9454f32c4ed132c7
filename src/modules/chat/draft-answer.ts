import type { Database } from '../../db/database.ts';
import { isAppError } from '../../errors.ts';
import { answerFromDocuments, type DocumentAnswer } from '../document-answers/index.ts';
import type { EmbeddingProvider } from '../embeddings/index.ts';
import type { ChatProvider } from '../llm/index.ts';
import { runGuardedQuery, type GuardedQueryResult, type Translation } from '../sql-assistant/index.ts';
import type { ChatSettings } from './chat-settings.ts';
import { describeResult } from './describe-result.ts';
import { llmProse, llmSql } from './llm-sql.ts';
import { suggestTerms } from './suggest-terms.ts';

/** Where an answer came from. */
export type Route = 'base_datos' | 'documentos' | 'ambas' | 'ninguna';

/** The local question-to-SQL engine, as `modelo_usado` names it. */
export const LOCAL_SQL_MODEL = 'local-semantico-v1';

/** What answering needs: the database, the embeddings for documents, and optionally a chat model. */
export interface AnswerQuestionDeps {
  db: Database;
  embeddings: EmbeddingProvider;
  chat?: ChatProvider;
}

/** An answer before it is stored: its text, route, SQL and rows or passages, and what it cost. */
export interface Draft {
  respuesta: string;
  ruta: Route;
  sql: string | null;
  parametros: unknown[];
  result: GuardedQueryResult | null;
  documents: DocumentAnswer | null;
  modelo: string;
  tokens: number;
  contexto: Record<string, unknown>;
}

function notUnderstood(unknown: string[]): string {
  if (unknown.length === 0) return '';
  return `No entendí ${unknown.length === 1 ? 'la palabra' : 'las palabras'} ${unknown.map((word) => `«${word}»`).join(', ')}`;
}

async function runLocal(
  deps: AnswerQuestionDeps,
  translation: Translation,
  settings: { maxRows: number; timeoutMs: number },
): Promise<Draft> {
  const { parsed, query } = translation;
  const base: Draft = {
    respuesta: '',
    ruta: 'base_datos',
    sql: query?.sql ?? null,
    parametros: query?.params ?? [],
    result: null,
    documents: null,
    modelo: LOCAL_SQL_MODEL,
    tokens: 0,
    contexto: {},
  };
  if (!query || !parsed.plan) return { ...base, respuesta: parsed.problem ?? 'No entendí la pregunta.' };
  try {
    const result = await runGuardedQuery(deps.db, query.sql, query.params, settings);
    let respuesta = describeResult(parsed.plan, result);
    if (translation.fromThread) respuesta += `\n(Entendí la pregunta con ${translation.fromThread}.)`;
    if (result.truncada)
      respuesta += `\nSe muestran las primeras ${result.filas.length} filas; el resultado tiene más.`;
    if (parsed.unknown.length > 0) {
      respuesta += `\n${notUnderstood(parsed.unknown)} y no las tomé en cuenta. Si importan, agréguelas al diccionario semántico.`;
    }
    return { ...base, respuesta, result, sql: result.sql === query.sql ? query.sql : query.sql };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { ...base, respuesta: `No pude ejecutar la consulta: ${error.message}`, contexto: { error: error.message } };
  }
}

async function runModel(
  deps: AnswerQuestionDeps & { chat: ChatProvider },
  question: string,
  translation: Translation,
  settings: { maxRows: number; timeoutMs: number; temperature: number },
): Promise<Draft | undefined> {
  const hint = translation.fromThread
    ? `la pregunta continúa ${translation.fromThread}; vínculos: ${JSON.stringify(translation.parsed.links)}`
    : undefined;
  const attempt = await llmSql({
    db: deps.db,
    chat: deps.chat,
    catalog: translation.catalog,
    question,
    ...settings,
    hint,
  });
  const contexto = { motor: 'llm', intentos: attempt.intentos, ejemplos: attempt.ejemplos };
  if (!attempt.result || !attempt.sql) {
    if (attempt.declinada && attempt.intentos === 1) {
      return {
        respuesta: `No puedo responder eso con los datos de RAPICREDIT: ${attempt.motivo}`,
        ruta: 'ninguna',
        sql: null,
        parametros: [],
        result: null,
        documents: null,
        modelo: attempt.modelo,
        tokens: attempt.tokens,
        contexto: { ...contexto, motivo: attempt.motivo },
      };
    }
    return {
      respuesta: `No pude obtener una consulta válida: ${attempt.motivo ?? 'error desconocido'}`,
      ruta: 'base_datos',
      sql: attempt.sql,
      parametros: [],
      result: null,
      documents: null,
      modelo: attempt.modelo,
      tokens: attempt.tokens,
      contexto: { ...contexto, error: attempt.motivo },
    };
  }
  const prose = await llmProse({
    chat: deps.chat,
    question,
    result: attempt.result,
    temperature: settings.temperature,
  });
  return {
    respuesta: prose.texto,
    ruta: 'base_datos',
    sql: attempt.sql,
    parametros: [],
    result: attempt.result,
    documents: null,
    modelo: prose.modelo,
    tokens: attempt.tokens + prose.tokens,
    contexto,
  };
}

/**
 * Chooses the route of one question and answers it: the loan book when the engine understood the
 * question, the documents for policy concepts, normative or half-understood questions, the data as
 * a fallback when no document answers, and an honest "no puedo" with suggestions otherwise.
 */
export async function draftAnswer(
  deps: AnswerQuestionDeps,
  pregunta: string,
  translation: Translation,
  settings: ChatSettings,
): Promise<Draft> {
  const { parsed } = translation;
  const understood = translation.query !== null && !parsed.problem;
  // A bare list of a table is not an answer to a question with words left over.
  const plan = parsed.plan;
  const substantive =
    plan !== null &&
    (plan.measures.length > 0 ||
      plan.conditions.length > 0 ||
      plan.selection !== null ||
      plan.columns.length > 0 ||
      plan.groupBy !== null);
  // Data first when the engine understood the question (a stray word aside); policy concepts
  // ("días de gracia") and half-understood questions go to the documents first.
  const known = parsed.understoodWords ?? 0;
  const coverage = known / Math.max(1, known + parsed.unknown.length);
  const policy = parsed.concepts.length > 0;
  const dataFirst =
    parsed.problem !== undefined ||
    (understood && substantive && !policy && !parsed.normative && (parsed.unknown.length === 0 || coverage >= 0.75));

  let draft: Draft | undefined;
  let documents: DocumentAnswer | null = null;
  let modelNote: string | undefined;
  // A model attempt set aside for another answer: its tokens were still spent, and what it tried is kept.
  let setAside: Draft | undefined;
  if (!dataFirst) {
    documents = await answerFromDocuments({
      db: deps.db,
      embeddings: deps.embeddings,
      question: pregunta,
      chat: deps.chat,
    });
  }
  const useDocuments = documents?.encontrado === true;
  // Without documents that answer, the data still may: what the engine understood, with the leftover
  // words named (never for a policy concept, which the loan book cannot answer).
  // A "¿se puede...?"/"¿cómo...?" question the documents did not answer gets data only when it asks for
  // a figure or names a client or loan; listing rows would answer another question.
  const pointed =
    plan !== null && (plan.measures.length > 0 || plan.conditions.some((condition) => condition.entity !== undefined));
  const dbWanted =
    dataFirst ||
    (!useDocuments &&
      !policy &&
      ((substantive && (!parsed.normative || pointed)) || (deps.chat !== undefined && !plan)));
  if (dbWanted && deps.chat && !parsed.problem) {
    try {
      draft = await runModel({ ...deps, chat: deps.chat }, pregunta, translation, settings);
    } catch (error) {
      if (!isAppError(error) || error.code !== 'UPSTREAM') throw error;
      modelNote = `El modelo de lenguaje no respondió (${error.message}); respondí con el motor local.`;
    }
    if (draft && draft.result === null && understood && draft.ruta !== 'ninguna')
      [setAside, draft] = [draft, undefined];
  }
  if (!draft && dbWanted && (understood || parsed.problem)) draft = await runLocal(deps, translation, settings);

  // The documents answered (the data was not wanted then), or a policy concept found nothing in them.
  if (!draft && documents && (useDocuments || policy)) {
    draft = {
      respuesta: documents.respuesta,
      ruta: useDocuments ? 'documentos' : 'ninguna',
      sql: null,
      parametros: [],
      result: null,
      documents,
      modelo: documents.modelo,
      tokens: documents.tokens,
      contexto: useDocuments ? {} : { conceptos: parsed.concepts },
    };
  }
  if (!draft) {
    const suggestions = await suggestTerms(deps.db, parsed.unknown);
    const unknown = notUnderstood(parsed.unknown);
    draft = {
      respuesta: [
        'No puedo responder esa pregunta con los datos ni con los documentos de RAPICREDIT.',
        unknown ? `${unknown}.` : '',
        suggestions.length > 0
          ? `Puede preguntar usando términos del diccionario, por ejemplo: ${suggestions.join(', ')}.`
          : '',
      ]
        .filter(Boolean)
        .join(' '),
      ruta: 'ninguna',
      sql: null,
      parametros: [],
      result: null,
      documents,
      modelo: documents?.modelo ?? LOCAL_SQL_MODEL,
      tokens: documents?.tokens ?? 0,
      contexto: { sugerencias: suggestions },
    };
  }

  if (setAside) {
    draft.tokens += setAside.tokens;
    draft.contexto = {
      ...draft.contexto,
      intento_modelo: {
        modelo: setAside.modelo,
        sql: setAside.sql,
        error: setAside.contexto.error ?? setAside.contexto.motivo ?? null,
        intentos: setAside.contexto.intentos,
      },
    };
  }
  if (modelNote) draft.respuesta += `\n${modelNote}`;

  return draft;
}
