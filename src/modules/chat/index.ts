export {
  answerQuestion,
  composeAnswer,
  type ComposedAnswer,
  MAX_QUESTION_LENGTH,
  splitQuestions,
  type AnswerQuestionInput,
  type ChatAnswer,
} from './answer-question.ts';
export { LOCAL_SQL_MODEL, type AnswerQuestionDeps, type Route } from './draft-answer.ts';
export {
  getConversation,
  listConversations,
  type ConversationFilter,
  type ConversationRecord,
  type Viewer,
} from './conversation-store.ts';
export { formatValue } from './describe-result.ts';
export { VERIFIED_EXAMPLE_MODEL } from './verified-answer.ts';
export { readChatSettings } from './chat-settings.ts';
export {
  evaluateQuestions,
  type EvaluationItem,
  type EvaluationOutcome,
  type EvaluationReport,
} from './evaluate-questions.ts';
