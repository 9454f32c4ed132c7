export { actorOf, cliActor, requireAdmin, type Actor } from './actor.ts';
export {
  listChanges,
  recordChange,
  type Change,
  type ChangeAction,
  type ChangeEntity,
  type ChangeRecord,
} from './change-log.ts';
// -- dictionary (ai_diccionario_semantico) exports below
export {
  addDictionarySynonym,
  createDictionaryEntry,
  findBySynonym,
  findDictionaryEntry,
  getDictionaryEntry,
  listDictionary,
  removeDictionaryEntry,
  updateDictionaryEntry,
  type DictionaryFilter,
} from './dictionary.ts';
export { CONTENT_FIELDS, type DictionaryContent, type DictionaryRecord } from './dictionary-entry.ts';
export {
  createEntryFields,
  MAX_PALABRA_LENGTH,
  synonymFields,
  updateEntryFields,
  type CreateEntryInput,
  type SynonymInput,
  type UpdateEntryInput,
} from './dictionary-input.ts';
export { exportDictionary } from './dictionary-export.ts';
export { importDictionary, MAX_IMPORT_ENTRIES, type ImportProblem, type ImportResult } from './dictionary-import.ts';
export { improveEntry, improveEntryInput, type ImproveEntryInput } from './dictionary-improve.ts';
export { LOCAL_DICTIONARY_MODEL } from './dictionary-local-proposal.ts';
export type { Improvement, Proposal } from './dictionary-proposal.ts';
// -- field definitions (ai_definiciones_campos) exports below
export {
  createFieldDefinition,
  getFieldDefinition,
  listFieldDefinitions,
  removeFieldDefinition,
  updateFieldDefinition,
} from './field-definitions.ts';
export {
  createDefinitionInput,
  updateDefinitionInput,
  type CreateDefinitionInput,
  type DefinitionFilter,
  type UpdateDefinitionInput,
} from './field-definition-input.ts';
export type { DefinitionRef, FieldDefinitionRecord } from './field-definition-record.ts';
export { PERSONAL_COLUMNS } from './live-columns.ts';
export { maskValue } from './mask-value.ts';
export { syncFieldDefinitions, type SyncReport } from './sync-field-definitions.ts';
// -- ratings, review queue, corrections, quality stats exports below
export {
  correctConversation,
  listVerifiedExamples,
  withdrawVerifiedExample,
  type Correction,
  type CorrectionInput,
  type VerifiedExampleRecord,
} from './corrections.ts';
export { qualityStats, type QualityStats, type StatsFilter, type StatsGrain } from './quality-stats.ts';
export {
  getRating,
  MAX_FEEDBACK_LENGTH,
  rateConversation,
  thumbOf,
  type Rating,
  type RatingInput,
  type Thumb,
} from './ratings.ts';
export {
  getReviewItem,
  listReviewQueue,
  processRating,
  reaskRating,
  type AnswerEvidence,
  type AnswerSnapshot,
  type ProcessInput,
  type Reask,
  type ReviewFilter,
  type ReviewItem,
} from './review.ts';
