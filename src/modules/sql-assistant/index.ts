export { guardSql, ALLOWED_TABLES, ALLOWED_FUNCTIONS, type GuardedSql } from './sql-guard.ts';
export { checkDictionarySql, type DictionarySql } from './check-dictionary-sql.ts';
export { runGuardedQuery, type GuardedQueryResult } from './run-guarded-query.ts';
export { compareResults, type ComparableResult, type ResultComparison } from './compare-results.ts';
export { translateQuestion, type ThreadContext, type Translation } from './translate-question.ts';
export type { ParsedQuestion, EntityLinks } from './parse-question.ts';
export type { QueryPlan, BuiltQuery, Measure, Condition, Dimension } from './query-plan.ts';
export {
  loadSemanticCatalog,
  invalidateSemanticCatalog,
  type SemanticCatalog,
  type DictionaryEntry,
  type FieldDefinition,
} from './semantic-catalog.ts';
export {
  findVerifiedExample,
  similarVerifiedExamples,
  type ExampleMatch,
  type VerifiedExample,
} from './verified-examples.ts';
