import type { Database } from '../../db/database.ts';
import { AppError, isAppError } from '../../errors.ts';
import { answerFromDocuments, type Citation, type DocumentAnswer } from '../document-answers/index.ts';
import type { EmbeddingProvider } from '../embeddings/index.ts';
import type { ChatProvider } from '../llm/index.ts';
import {
  runGuardedQuery,
  translateQuestion,
  type GuardedQueryResult,
  type Translation,
} from '../sql-assistant/index.ts';
import { readChatSettings } from './chat-settings.ts';
import { getConversation, insertConversation, type Viewer } from './conversation-store.ts';
import { describeResult } from './describe-result.ts';
import { llmProse, llmSql } from './llm-sql.ts';
import { suggestTerms } from './suggest-terms.ts';

/** Where an answer came from. */
export type Route = 'base_datos' | 'documentos' | 'ambas' | 'ninguna';

/** The local question-to-SQL engine, as `modelo_usado` names it. */
export const LOCAL_SQL_MODEL = 'local-semantico-v1';

/** Longest question accepted (characters). */
export const MAX_QUESTION_LENGTH = 2000;

/** An answer as the API and the CLI present it. */
export interface ChatAnswer {
  conversacion_id: number;
  hilo_id: number;
  pregunta: string;
  respuesta: string;
  ruta: Route;
  sql: string | null;
  parametros: unknown[];
  columnas: string[];
  filas: unknown[][];
  truncada: boolean;
  documentos: Citation[];
  terminos: string[];
  no_entendidas: string[];
  modelo_usado: string;
  tokens_usados: number;
  tiempo_respuesta_ms: number;
}

/** What answering needs: the database, the embeddings for documents, and optionally a chat model. */
export interface AnswerQuestionDeps {
  db: Database;
  embeddings: EmbeddingProvider;
  chat?: ChatProvider;
}

/** One question: its text, the thread it continues and who asks. */
export interface AnswerQuestionInput {
  pregunta: string;
  hiloId?: number;
  usuario?: Viewer;
  /** Row limit for this question instead of `AI.max_filas_consulta` (evaluation runs). */
  maxRows?: number;
}

interface Draft {
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

const SAMPLE_ROWS = 20;

async function threadContext(db: Database, hiloId: number, usuario?: Viewer) {
  const { rows } = await db.query<{
    id: number;
    pregunta: string;
    cliente_id: number | null;
    prestamo_id: number | null;
  }>(
    `SELECT id, pregunta, cliente_id, prestamo_id FROM conversaciones_ai WHERE hilo_id = $1 ORDER BY id DESC LIMIT 1`,
    [hiloId],
  );
  const last = rows[0];
  if (!last) throw new AppError('NOT_FOUND', `No existe el hilo ${hiloId}.`);
  await getConversation(db, last.id, usuario).catch(() => {
    throw new AppError('NOT_FOUND', `No existe el hilo ${hiloId}.`);
  });
  return {
    previousQuestion: last.pregunta,
    links: { cliente_id: last.cliente_id ?? undefined, prestamo_id: last.prestamo_id ?? undefined },
  };
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
 * Answers a question from the database, the documents or both, and stores the exchange in
 * `conversaciones_ai` whatever happens (a rejected query or an unknown entity included).
 */
export async function answerQuestion(deps: AnswerQuestionDeps, input: AnswerQuestionInput): Promise<ChatAnswer> {
  const started = performance.now();
  const pregunta = input.pregunta.trim();
  if (pregunta === '') throw new AppError('INVALID_INPUT', 'La pregunta está vacía.');
  if (pregunta.length > MAX_QUESTION_LENGTH) {
    throw new AppError('INVALID_INPUT', `La pregunta es demasiado larga (máximo ${MAX_QUESTION_LENGTH} caracteres).`);
  }
  const thread = input.hiloId !== undefined ? await threadContext(deps.db, input.hiloId, input.usuario) : undefined;
  const stored = await readChatSettings(deps.db);
  const settings = input.maxRows ? { ...stored, maxRows: input.maxRows } : stored;
  const translation = await translateQuestion({ db: deps.db, question: pregunta, thread });
  const { parsed } = translation;
  const understood = translation.query !== null && !parsed.problem;
  const docsWanted = parsed.concepts.length > 0 || parsed.unknown.length > 0 || (!understood && !parsed.problem);

  let draft: Draft | undefined;
  let documents: DocumentAnswer | null = null;
  let modelNote: string | undefined;
  // A model attempt set aside for another answer: its tokens were still spent, and what it tried is kept.
  let setAside: Draft | undefined;
  if (docsWanted) {
    documents = await answerFromDocuments({
      db: deps.db,
      embeddings: deps.embeddings,
      question: pregunta,
      chat: deps.chat,
    });
  }
  const useDocuments = documents?.encontrado === true;
  // A policy concept ("días de gracia") is never answered from the loan book; a bare list of a
  // table with words left over is a guess, not an answer.
  const plan = parsed.plan;
  const substantive =
    plan !== null &&
    (plan.measures.length > 0 ||
      plan.conditions.length > 0 ||
      plan.selection !== null ||
      plan.columns.length > 0 ||
      plan.groupBy !== null);
  const dbWanted =
    (!useDocuments || (understood && parsed.unknown.length === 0)) &&
    parsed.concepts.length === 0 &&
    (substantive || parsed.unknown.length === 0 || parsed.problem !== undefined);
  if (dbWanted && deps.chat && !parsed.problem) {
    try {
      draft = await runModel({ ...deps, chat: deps.chat }, pregunta, translation, settings);
      if (draft?.ruta === 'ninguna' && useDocuments) [setAside, draft] = [draft, undefined];
    } catch (error) {
      if (!isAppError(error) || error.code !== 'UPSTREAM') throw error;
      modelNote = `El modelo de lenguaje no respondió (${error.message}); respondí con el motor local.`;
    }
    if (draft && draft.result === null && understood && draft.ruta !== 'ninguna')
      [setAside, draft] = [draft, undefined];
  }
  if (!draft && dbWanted && (understood || parsed.problem)) draft = await runLocal(deps, translation, settings);

  if (useDocuments && documents) {
    if (draft && draft.result) {
      draft = {
        ...draft,
        ruta: 'ambas',
        respuesta: `${draft.respuesta}\n\nEn los documentos:\n${documents.respuesta}`,
        documents,
        modelo: draft.modelo === documents.modelo ? draft.modelo : `${draft.modelo}+${documents.modelo}`,
        tokens: draft.tokens + documents.tokens,
      };
    } else {
      draft = {
        respuesta: documents.respuesta,
        ruta: 'documentos',
        sql: null,
        parametros: [],
        result: null,
        documents,
        modelo: documents.modelo,
        tokens: documents.tokens,
        contexto: {},
      };
    }
  }
  if (!draft && parsed.concepts.length > 0 && documents) {
    draft = {
      respuesta: documents.respuesta,
      ruta: 'ninguna',
      sql: null,
      parametros: [],
      result: null,
      documents,
      modelo: documents.modelo,
      tokens: documents.tokens,
      contexto: { conceptos: parsed.concepts },
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

  const citations = draft.documents?.encontrado ? draft.documents.citas : [];
  const result = draft.result;
  const tiempo = Math.round(performance.now() - started);
  const links = { ...parsed.links };
  // One installment or payment picked out ("la próxima cuota", "el último pago"): link it too.
  const idColumn = result?.columnas.indexOf('id') ?? -1;
  const onlyRow = result?.filas.length === 1 ? result.filas[0] : undefined;
  if (onlyRow && idColumn >= 0 && parsed.plan?.measures.length === 0) {
    const id = Number(onlyRow[idColumn]);
    if (parsed.plan.subject === 'cuotas') links.cuota_id = id;
    if (parsed.plan.subject === 'pagos') links.pago_id = id;
    if (parsed.plan.subject === 'prestamos') links.prestamo_id = id;
  }
  const contexto = {
    ruta: draft.ruta,
    motor: draft.contexto.motor ?? (draft.ruta === 'documentos' ? 'documentos' : 'local'),
    sql: draft.sql,
    parametros: draft.parametros,
    filas: result?.filas.length ?? 0,
    truncada: result?.truncada ?? false,
    columnas: result?.columnas ?? [],
    muestra_filas: result?.filas.slice(0, SAMPLE_ROWS) ?? [],
    tablas: result?.tablas ?? [],
    chunk_ids: citations.map((citation) => citation.chunk_id).filter((id) => id !== undefined),
    pasajes: citations.map((citation) => ({
      documento_id: citation.documento_id,
      chunk_index: citation.chunk_index,
      pagina: citation.pagina,
    })),
    terminos_diccionario: parsed.terms,
    no_entendidas: parsed.unknown,
    hilo: translation.fromThread ?? null,
    ...draft.contexto,
  };
  const documentIds = [...new Set(citations.map((citation) => citation.documento_id))];
  const saved = await insertConversation(deps.db, {
    hilo_id: input.hiloId ?? null,
    pregunta,
    respuesta: draft.respuesta,
    contexto_usado: contexto,
    documentos_usados: documentIds,
    modelo_usado: draft.modelo,
    tokens_usados: draft.tokens,
    tiempo_respuesta: tiempo,
    usuario_id: input.usuario?.id ?? null,
    ...(draft.ruta === 'base_datos' || draft.ruta === 'ambas' ? links : {}),
  });
  return {
    conversacion_id: saved.id,
    hilo_id: saved.hilo_id,
    pregunta,
    respuesta: draft.respuesta,
    ruta: draft.ruta,
    sql: draft.sql,
    parametros: draft.parametros,
    columnas: result?.columnas ?? [],
    filas: result?.filas ?? [],
    truncada: result?.truncada ?? false,
    documentos: citations,
    terminos: parsed.terms,
    no_entendidas: parsed.unknown,
    modelo_usado: draft.modelo,
    tokens_usados: draft.tokens,
    tiempo_respuesta_ms: tiempo,
  };
}
