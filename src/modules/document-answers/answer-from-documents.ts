import type { Database, Queryable } from '../../db/database.ts';
import { searchDocuments, type SearchResult } from '../documents/index.ts';
import type { EmbeddingProvider } from '../embeddings/index.ts';
import { type Citation, citationLabel, type CitedPassage, sourceLine } from './citations.ts';
import { type ChatMessage, groundedMessages } from './grounded-prompt.ts';
import { questionWords } from './question-words.ts';
import { coverage, type QuestionWord, RELEVANCE_THRESHOLD, textStems } from './relevance.ts';
import { type Sentence, splitSentences } from './sentences.ts';

/** A chat model that completes a conversation (the seam for a remote LLM). */
export interface ChatModel {
  complete(
    messages: ChatMessage[],
    options?: { temperature?: number },
  ): Promise<{ texto: string; modelo: string; tokens: number }>;
}

/** An answer from the documents, with the passages it rests on. */
export interface DocumentAnswer {
  /** False when no retrieved passage is evidence for the question (then `citas` is empty). */
  encontrado: boolean;
  respuesta: string;
  citas: Citation[];
  /** `local-extractivo`, or the chat model's name. */
  modelo: string;
  tokens: number;
  /** How many passages the search returned. */
  pasajes_considerados: number;
}

/** What `answerFromDocuments` needs: the database, the embedding provider, the question and, optionally, a chat model. */
export interface AnswerFromDocumentsOptions {
  db: Database;
  embeddings: EmbeddingProvider;
  question: string;
  /** Passages to retrieve and weigh (default 8). */
  k?: number;
  /** When given, the answer is written by this model from the relevant passages. */
  chat?: ChatModel;
}

/** `modelo` of the answers built without a chat model (quoted sentences). */
export const LOCAL_MODEL = 'local-extractivo';
const DEFAULT_K = 8;
/** Passages handed to the chat model, most relevant first. */
const MAX_PROMPT_PASSAGES = 4;
const MAX_QUOTED_SENTENCES = 3;
/** Share of the question's weight a second or third quoted sentence must add. */
const MIN_SENTENCE_GAIN = 0.1;
const MAX_QUOTE_LENGTH = 600;
/** A sentence of another document covering this share of what the lead sentence covers is quoted too. */
const RUNNER_UP_SHARE = 0.9;

interface WeighedPassage extends CitedPassage {
  rank: number;
  cobertura: number;
}

interface SentenceCandidate {
  passage: WeighedPassage;
  index: number;
  sentence: Sentence;
  stems: Set<string>;
}

/**
 * Adds to each citation its chunk id (`documento_ai_embeddings.id`), found by document, chunk
 * index and embedding model (search results do not carry it).
 */
async function addChunkIds(db: Queryable, model: string, citations: readonly Citation[]): Promise<void> {
  if (citations.length === 0) return;
  const { rows } = await db.query<{ id: number; documento_id: number; chunk_index: number }>(
    `SELECT e.id, e.documento_id, e.chunk_index
       FROM documento_ai_embeddings e
       JOIN unnest($2::int[], $3::int[]) AS c (documento_id, chunk_index)
         ON c.documento_id = e.documento_id AND c.chunk_index = e.chunk_index
      WHERE e.modelo_embedding = $1`,
    [model, citations.map((cita) => cita.documento_id), citations.map((cita) => cita.chunk_index)],
  );
  const ids = new Map(rows.map((row) => [`${row.documento_id}:${row.chunk_index}`, row.id]));
  for (const cita of citations) {
    const id = ids.get(`${cita.documento_id}:${cita.chunk_index}`);
    if (id !== undefined) cita.chunk_id = id;
  }
}

function toPassage(result: SearchResult, rank: number, words: readonly QuestionWord[]): WeighedPassage {
  const cita: Citation = {
    documento_id: result.documento_id,
    titulo: result.titulo,
    nombre_archivo: result.nombre_archivo,
    pagina: result.pagina,
    pagina_fin: result.pagina_fin,
    chunk_index: result.chunk_index,
    texto: result.texto,
  };
  const cobertura = coverage(words, textStems(`${result.encabezados}\n${result.texto}`));
  return { cita, encabezados: result.encabezados, rank, cobertura };
}

/** The question as a topic for the "not found" answer: no question marks, one line, not too long. */
function topic(question: string): string {
  const text = question
    .replace(/[¿?¡!]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 120 ? `${text.slice(0, 117).trimEnd()}…` : text;
}

function notFound(question: string, considered: number, modelo: string): DocumentAnswer {
  return {
    encontrado: false,
    respuesta:
      `No encontré en los documentos cargados información sobre «${topic(question)}». ` +
      'Puede reformular la pregunta con otras palabras o, si el tema está en un documento que aún no se ha cargado, ' +
      'subir ese documento para que pueda consultarlo.',
    citas: [],
    modelo,
    tokens: 0,
    pasajes_considerados: considered,
  };
}

function quote(text: string): string {
  if (text.length <= MAX_QUOTE_LENGTH) return text;
  const cut = text.slice(0, MAX_QUOTE_LENGTH);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 0 ? cut.lastIndexOf(' ') : cut.length)}…`;
}

function sentencesOf(passage: WeighedPassage): SentenceCandidate[] {
  const headings = textStems(passage.encabezados);
  return splitSentences(passage.cita.texto).map((sentence, index) => ({
    passage,
    index,
    sentence,
    stems: new Set([...headings, ...textStems(sentence.text)]),
  }));
}

/**
 * The sentences to quote, up to three: from the most relevant passage, the sentence that covers
 * most of the question (its headings count with it), then those that add at least
 * `MIN_SENTENCE_GAIN` of the question's weight; and the best sentence of a close runner-up from
 * another document, since similar rules often differ between documents. Grouped by passage, in
 * document order.
 */
function selectSentences(words: readonly QuestionWord[], passages: readonly WeighedPassage[]): SentenceCandidate[] {
  const [primary, ...others] = passages;
  if (!primary) return [];
  // The best sentence of another document's relevant passages, a candidate runner-up.
  let runnerUp: { candidate: SentenceCandidate; score: number } | undefined;
  for (const passage of others) {
    if (passage.cita.documento_id === primary.cita.documento_id) continue;
    for (const candidate of sentencesOf(passage)) {
      const score = coverage(words, candidate.stems);
      if (!runnerUp || score > runnerUp.score + 1e-9) runnerUp = { candidate, score };
    }
  }
  const chosen: SentenceCandidate[] = [];
  const covered = new Set<string>();
  let current = 0;
  const pool = sentencesOf(primary);
  while (chosen.length < MAX_QUOTED_SENTENCES - 1) {
    let best: { candidate: SentenceCandidate; score: number } | undefined;
    for (const candidate of pool) {
      if (chosen.includes(candidate)) continue;
      const score = coverage(words, new Set([...covered, ...candidate.stems]));
      if (!best || score > best.score + 1e-9) best = { candidate, score };
    }
    if (!best || (chosen.length > 0 && best.score - current < MIN_SENTENCE_GAIN)) break;
    chosen.push(best.candidate);
    for (const part of best.candidate.stems) covered.add(part);
    current = best.score;
  }
  const lead = chosen[0] ? coverage(words, chosen[0].stems) : 0;
  if (runnerUp && chosen.length < MAX_QUOTED_SENTENCES && runnerUp.score >= RUNNER_UP_SHARE * lead) {
    chosen.push(runnerUp.candidate);
  }
  const passageOrder = [...new Set(chosen.map((candidate) => candidate.passage))];
  return chosen.sort((a, b) => passageOrder.indexOf(a.passage) - passageOrder.indexOf(b.passage) || a.index - b.index);
}

/** "Fuentes:" and one line per distinct source, numbered when the answer cites by number. */
function sourcesList(passages: readonly CitedPassage[], numbered: boolean): string {
  const lines = passages.map((passage, index) => (numbered ? `[${index + 1}] ` : '- ') + sourceLine(passage));
  return `Fuentes:\n${[...new Set(lines)].join('\n')}`;
}

function extractiveAnswer(words: readonly QuestionWord[], relevant: readonly WeighedPassage[], considered: number) {
  const sentences = selectSentences(words, relevant);
  const cited = [...new Set(sentences.map((sentence) => sentence.passage))];
  const quotes = sentences.map(({ sentence, passage }) => {
    const columns = sentence.columns ? ` [columnas: ${sentence.columns}]` : '';
    return `- «${quote(sentence.text)}»${columns} (${citationLabel(passage)})`;
  });
  return {
    encontrado: true,
    respuesta: `Según los documentos cargados:\n${quotes.join('\n')}\n\n${sourcesList(cited, false)}`,
    citas: cited.map((passage) => passage.cita),
    modelo: LOCAL_MODEL,
    tokens: 0,
    pasajes_considerados: considered,
  };
}

/** True when a model's answer says the passages do not answer the question (and cites none). */
function saysNotInDocuments(text: string): boolean {
  return /no consta en los documentos/i.test(text) && !/\[\d+\]/.test(text);
}

async function chatAnswer(
  chat: ChatModel,
  question: string,
  relevant: readonly WeighedPassage[],
  considered: number,
): Promise<DocumentAnswer> {
  const passages = relevant.slice(0, MAX_PROMPT_PASSAGES);
  const reply = await chat.complete(groundedMessages(question, passages), { temperature: 0 });
  const texto = reply.texto.trim();
  if (saysNotInDocuments(texto)) {
    return { ...notFound(question, considered, reply.modelo), respuesta: texto, tokens: reply.tokens };
  }
  return {
    encontrado: true,
    respuesta: `${texto}\n\n${sourcesList(passages, true)}`,
    citas: passages.map((passage) => passage.cita),
    modelo: reply.modelo,
    tokens: reply.tokens,
    pasajes_considerados: considered,
  };
}

/**
 * Answers a staff question from the loaded documents: hybrid search, then a lexical evidence test
 * (how much of the question each passage covers, with an absolute threshold) decides whether the
 * documents say anything about it. Without a chat model the answer quotes the best sentences with
 * their sources; with one, the model writes it from the fenced, numbered passages. When no passage
 * is evidence, it says so and cites nothing (the model is not called).
 */
export async function answerFromDocuments(options: AnswerFromDocumentsOptions): Promise<DocumentAnswer> {
  const { db, embeddings, question, chat } = options;
  if (!question.trim()) return notFound(question, 0, LOCAL_MODEL);
  const k = options.k ?? DEFAULT_K;
  const [results, words] = await Promise.all([
    searchDocuments(db, embeddings, question, { k, mode: 'hibrido' }),
    questionWords(db, embeddings.model, question),
  ]);
  const relevant = results
    .map((result, rank) => toPassage(result, rank, words))
    .filter((passage) => passage.cobertura >= RELEVANCE_THRESHOLD)
    .sort((a, b) => b.cobertura - a.cobertura || a.rank - b.rank);
  if (relevant.length === 0) return notFound(question, results.length, LOCAL_MODEL);
  await addChunkIds(
    db,
    embeddings.model,
    relevant.map((passage) => passage.cita),
  );
  if (chat) return chatAnswer(chat, question, relevant, results.length);
  return extractiveAnswer(words, relevant, results.length);
}
