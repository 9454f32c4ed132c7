import type { Queryable } from '../../db/database.ts';
import { buildSql } from './build-sql.ts';
import { lexiconFor } from './lexicon.ts';
import { parseQuestion, periodCondition, type EntityLinks, type ParsedQuestion } from './parse-question.ts';
import type { BuiltQuery, Condition, QueryPlan } from './query-plan.ts';
import { tokenize } from './question-tokens.ts';
import { loadSemanticCatalog, type SemanticCatalog } from './semantic-catalog.ts';

/** The local engine's reading of a question and, when it understood one, its SQL. */
export interface Translation {
  parsed: ParsedQuestion;
  query: BuiltQuery | null;
  catalog: SemanticCatalog;
  /** How the thread completed the question, when it did ("préstamo 94 (de la pregunta anterior)"). */
  fromThread?: string;
}

/** What a follow-up question can lean on: the thread's last question and the entities it was about. */
export interface ThreadContext {
  previousQuestion: string;
  links: EntityLinks;
}

const REFERRING_WORDS = new Set([
  'le',
  'les',
  'su',
  'sus',
  'ese',
  'esa',
  'este',
  'esta',
  'el',
  'ella',
  'dicho',
  'dicha',
  'mismo',
  'misma',
]);

/** True for questions that read as a continuation: "¿y cuántas cuotas le quedan?", "¿y su teléfono?". */
function isFollowUp(question: string): boolean {
  const tokens = tokenize(question);
  if (tokens[0]?.key === 'y' || tokens.length <= 5) return true;
  return tokens.some((token) => REFERRING_WORDS.has(token.folded) && token.folded !== 'el' && token.folded !== 'esta');
}

const identity = (plan: QueryPlan): Condition[] => plan.conditions.filter((condition) => condition.entity);

/** The thread's entity as a condition: the loan if the earlier question named one, else the client. */
function threadCondition(links: EntityLinks): { condition: Condition; links: EntityLinks } | undefined {
  if (links.prestamo_id !== undefined) {
    const id = links.prestamo_id;
    return {
      condition: {
        table: 'prestamos',
        sql: 'prestamos.id = {0}',
        values: [id],
        label: `préstamo ${id}`,
        entity: 'prestamos',
      },
      links: { prestamo_id: id, cliente_id: links.cliente_id },
    };
  }
  if (links.cliente_id !== undefined) {
    const id = links.cliente_id;
    return {
      condition: {
        table: 'clientes',
        sql: 'clientes.id = {0}',
        values: [id],
        label: `cliente de la pregunta anterior`,
        entity: 'clientes',
      },
      links: { cliente_id: id },
    };
  }
  return undefined;
}

/** True when a plan computes or lists something of its own (not only "¿y el mes pasado?"). */
const asksSomething = (plan: QueryPlan): boolean =>
  plan.measures.length > 0 ||
  plan.columns.length > 0 ||
  plan.selection !== null ||
  plan.groupBy !== null ||
  plan.ranking !== null;

/**
 * The earlier question with this one's entities, periods and values in place of its own:
 * "¿y el préstamo 95?", "¿y el mes pasado?", "¿y de motos?".
 */
function mergeIntoPrevious(previous: ParsedQuestion, current: ParsedQuestion): QueryPlan | null {
  const plan = previous.plan;
  if (!plan) return null;
  const fresh = current.plan?.conditions ?? [];
  const entities = new Set(fresh.map((condition) => condition.entity).filter(Boolean));
  const fields = new Set(fresh.map((condition) => condition.field).filter(Boolean));
  const periods = current.periods ?? [];
  const kept = plan.conditions.filter(
    (condition) =>
      !(condition.entity && entities.has(condition.entity)) &&
      !(condition.period && periods.length > 0) &&
      !(condition.field && fields.has(condition.field)),
  );
  const time = previous.timeColumn;
  const moved = time?.column ? periods.map((period) => periodCondition(time.table, time.column, period)) : [];
  return { ...plan, conditions: [...kept, ...fresh.filter((condition) => !condition.period), ...moved] };
}

/** Question → SQL with the local semantic parser (no LLM, deterministic); follow-ups use the thread. */
export async function translateQuestion(options: {
  db: Queryable;
  question: string;
  thread?: ThreadContext;
}): Promise<Translation> {
  const catalog = await loadSemanticCatalog(options.db);
  const lexicon = lexiconFor(catalog);
  const parsed = await parseQuestion({ db: options.db, question: options.question, catalog, lexicon });
  let fromThread: string | undefined;
  const { thread } = options;
  if (thread && parsed.plan && !parsed.problem && isFollowUp(options.question)) {
    const plan = parsed.plan;
    if (identity(plan).length === 0 && asksSomething(plan)) {
      // "¿y cuántas cuotas le quedan?": the same entity as before.
      const inherited = threadCondition(thread.links);
      if (inherited) {
        plan.conditions.push(inherited.condition);
        Object.assign(parsed.links, inherited.links);
        fromThread = inherited.condition.label;
      }
    } else if (!asksSomething(plan) && plan.conditions.length > 0) {
      // "¿y el préstamo 95?", "¿y el mes pasado?": the earlier question, changed.
      const previous = await parseQuestion({ db: options.db, question: thread.previousQuestion, catalog, lexicon });
      const merged = mergeIntoPrevious(previous, parsed);
      if (merged) {
        parsed.plan = merged;
        parsed.terms = [...new Set([...previous.terms, ...parsed.terms])];
        parsed.links = { ...previous.links, ...parsed.links };
        fromThread = `la pregunta anterior («${thread.previousQuestion}»)`;
      }
    }
  }
  const query = parsed.plan ? buildSql(parsed.plan, catalog.fields, { overdue: parsed.overdue }) : null;
  return { parsed, query, catalog, fromThread };
}
