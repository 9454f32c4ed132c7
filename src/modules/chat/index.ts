export {
  answerQuestion,
  LOCAL_SQL_MODEL,
  MAX_QUESTION_LENGTH,
  type AnswerQuestionDeps,
  type AnswerQuestionInput,
  type ChatAnswer,
  type Route,
} from './answer-question.ts';
export {
  getConversation,
  listConversations,
  type ConversationFilter,
  type ConversationRecord,
  type Viewer,
} from './conversation-store.ts';
export { formatValue } from './describe-result.ts';
export {
  evaluateQuestions,
  type EvaluationItem,
  type EvaluationOutcome,
  type EvaluationReport,
} from './evaluate-questions.ts';
