export {
  answerFromDocuments,
  LOCAL_MODEL,
  type AnswerFromDocumentsOptions,
  type ChatModel,
  type DocumentAnswer,
} from './answer-from-documents.ts';
export { citationLabel, pageLabel, type Citation } from './citations.ts';
export { GROUNDED_SYSTEM_PROMPT, groundedMessages, type ChatMessage } from './grounded-prompt.ts';
export { questionWords } from './question-words.ts';
export {
  coverage,
  RELEVANCE_THRESHOLD,
  SYNONYM_CREDIT,
  textStems,
  type Alternative,
  type QuestionWord,
} from './relevance.ts';
