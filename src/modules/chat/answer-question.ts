import type { Database } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import type { Citation } from '../document-answers/index.ts';
import { findVerifiedExample, translateQuestion, type ThreadContext } from '../sql-assistant/index.ts';
import { readChatSettings } from './chat-settings.ts';
import { getConversation, insertConversation, type NewConversation, type Viewer } from './conversation-store.ts';
import { draftAnswer, type AnswerQuestionDeps, type Draft, type Route } from './draft-answer.ts';
import { draftFromExample } from './verified-answer.ts';

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

/** One question: its text, the thread it continues and who asks. */
export interface AnswerQuestionInput {
  pregunta: string;
  hiloId?: number;
  usuario?: Viewer;
  /** Row limit for this question instead of `AI.max_filas_consulta` (evaluation runs). */
  maxRows?: number;
  /** Reads the thread as it was before this conversation (re-asking a stored question). */
  beforeConversationId?: number;
}

/** An answer composed but not stored: what the user would see and the row `conversaciones_ai` would get. */
export interface ComposedAnswer {
  answer: Omit<ChatAnswer, 'conversacion_id' | 'hilo_id'>;
  record: NewConversation;
}

const SAMPLE_ROWS = 20;

async function threadContext(db: Database, hiloId: number, usuario?: Viewer, beforeId?: number) {
  const { rows } = await db.query<{
    id: number;
    pregunta: string;
    cliente_id: number | null;
    prestamo_id: number | null;
  }>(
    `SELECT id, pregunta, cliente_id, prestamo_id FROM conversaciones_ai
      WHERE hilo_id = $1 AND ($2::int IS NULL OR id < $2) ORDER BY id DESC LIMIT 1`,
    [hiloId, beforeId ?? null],
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

/**
 * The questions of one message: "¿Cuántos clientes morosos hay? ¿Qué dice la política de cobranza?"
 * is two, each answered by its own route; one question is one.
 */
export function splitQuestions(text: string): string[] {
  const parts = text
    .split(/(?<=\?)\s*(?=¿)|(?<=\?)\s+(?=\p{Lu})/u)
    .map((part) => part.trim())
    .filter((part) => part.split(/\s+/).length >= 3);
  return parts.length >= 2 && parts.length <= 4 ? parts : [text];
}

/** Several answers as one: texts in order, the data of the first that has rows, all the citations. */
function combine(drafts: Draft[]): Draft {
  const routes = new Set(drafts.map((draft) => draft.ruta).filter((route) => route !== 'ninguna'));
  const withRows = drafts.find((draft) => draft.result !== null);
  const withPassages = drafts.find((draft) => draft.documents?.encontrado);
  const ruta: Route =
    routes.has('ambas') || (routes.has('base_datos') && routes.has('documentos'))
      ? 'ambas'
      : ([...routes][0] ?? 'ninguna');
  return {
    respuesta: drafts.map((draft) => draft.respuesta).join('\n\n'),
    ruta,
    sql: withRows?.sql ?? drafts.find((draft) => draft.sql)?.sql ?? null,
    parametros: withRows?.parametros ?? [],
    result: withRows?.result ?? null,
    documents: withPassages?.documents ?? null,
    modelo: [...new Set(drafts.map((draft) => draft.modelo))].join('+'),
    tokens: drafts.reduce((sum, draft) => sum + draft.tokens, 0),
    contexto: Object.assign({}, ...drafts.map((draft) => draft.contexto), { partes: drafts.length }),
  };
}

/**
 * Answers a question from the database, the documents or both, and stores the exchange in
 * `conversaciones_ai` whatever happens (a rejected query or an unknown entity included).
 */
export async function answerQuestion(deps: AnswerQuestionDeps, input: AnswerQuestionInput): Promise<ChatAnswer> {
  const { answer, record } = await composeAnswer(deps, input);
  const saved = await insertConversation(deps.db, record);
  return { conversacion_id: saved.id, hilo_id: saved.hilo_id, ...answer };
}

/**
 * The answer to a question with what the system knows now (dictionary, definitions, verified
 * corrections), without storing it: `answerQuestion` stores it, a review re-asks with it.
 */
export async function composeAnswer(deps: AnswerQuestionDeps, input: AnswerQuestionInput): Promise<ComposedAnswer> {
  const started = performance.now();
  const pregunta = input.pregunta.trim();
  if (pregunta === '') throw new AppError('INVALID_INPUT', 'La pregunta está vacía.');
  if (pregunta.length > MAX_QUESTION_LENGTH) {
    throw new AppError('INVALID_INPUT', `La pregunta es demasiado larga (máximo ${MAX_QUESTION_LENGTH} caracteres).`);
  }
  const thread: ThreadContext | undefined =
    input.hiloId !== undefined
      ? await threadContext(deps.db, input.hiloId, input.usuario, input.beforeConversationId)
      : undefined;
  const stored = await readChatSettings(deps.db);
  const settings = input.maxRows ? { ...stored, maxRows: input.maxRows } : stored;
  const drafts: Draft[] = [];
  let translation: Awaited<ReturnType<typeof translateQuestion>> | undefined;
  for (const part of splitQuestions(pregunta)) {
    const partTranslation = await translateQuestion({ db: deps.db, question: part, thread });
    translation ??= partTranslation;
    if (partTranslation.query && !translation.query) translation = partTranslation;
    // An administrator's correction for this question (or one saying the same) comes first.
    const verified = partTranslation.fromThread ? null : await findVerifiedExample(deps.db, part, partTranslation);
    drafts.push(
      verified
        ? await draftFromExample(deps, verified, settings)
        : await draftAnswer(deps, part, partTranslation, settings),
    );
  }
  if (!translation) throw new Error('No question parts');
  const { parsed } = translation;
  const draft = drafts.length === 1 && drafts[0] ? drafts[0] : combine(drafts);

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
  const record: NewConversation = {
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
  };
  const answer = {
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
  return { answer, record };
}
