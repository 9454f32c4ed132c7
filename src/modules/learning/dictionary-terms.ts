import type { Queryable } from '../../db/database.ts';
import { termKey } from './dictionary-entry.ts';

/** An active entry that owns a word (as its palabra or one of its synonyms). */
export interface TermOwner {
  id: number | null;
  palabra: string;
}

/** Every word of the active entries (palabras and synonyms) by key, with the entries that use it. */
export type TermIndex = Map<string, TermOwner[]>;

/** A word being added that another active entry already uses. */
export interface TermConflict {
  termino: string;
  entrada: TermOwner;
}

function addTerm(index: TermIndex, term: string, owner: TermOwner): void {
  const key = termKey(term);
  const owners = index.get(key) ?? [];
  if (!owners.some((known) => known.id === owner.id && known.palabra === owner.palabra)) owners.push(owner);
  index.set(key, owners);
}

/**
 * Reads the words of the active entries (inside the edit's transaction, so the check is current),
 * leaving out `exclude` (entries an import is about to replace).
 */
export async function loadTermIndex(db: Queryable, exclude: readonly number[] = []): Promise<TermIndex> {
  const { rows } = await db.query<{ id: number; palabra: string; sinonimos: string[] }>(
    'SELECT id, palabra, sinonimos FROM ai_diccionario_semantico WHERE activo AND NOT (id = ANY($1::int[]))',
    [exclude],
  );
  const index: TermIndex = new Map();
  for (const row of rows) indexEntry(index, row.id, row.palabra, row.sinonimos);
  return index;
}

/** Adds an entry's words to the index (after it is saved, so later items of an import see them). */
export function indexEntry(index: TermIndex, id: number | null, palabra: string, sinonimos: readonly string[]): void {
  const owner = { id, palabra };
  for (const term of [palabra, ...sinonimos]) addTerm(index, term, owner);
}

/**
 * The synonyms being added (`added`) that are the palabra or a synonym of another active entry.
 * Overlaps already stored are left alone: only new words are checked.
 */
export function termConflicts(
  index: TermIndex,
  self: { id: number | null; palabra: string },
  added: readonly string[],
): TermConflict[] {
  const conflicts: TermConflict[] = [];
  for (const termino of added) {
    const other = index
      .get(termKey(termino))
      ?.find((owner) => (self.id === null ? termKey(owner.palabra) !== termKey(self.palabra) : owner.id !== self.id));
    if (other) conflicts.push({ termino, entrada: other });
  }
  return conflicts;
}

/** The synonyms of `next` that `previous` did not have (all of them for a new entry). */
export function addedTerms(previous: readonly string[] | null, next: readonly string[]): string[] {
  const known = new Set((previous ?? []).map(termKey));
  return next.filter((term) => !known.has(termKey(term)));
}

/** A Spanish sentence naming the conflicts. */
export function describeConflicts(conflicts: readonly TermConflict[]): string {
  return conflicts
    .map(
      ({ termino, entrada }) =>
        `«${termino}» ya pertenece a la entrada «${entrada.palabra}»${entrada.id === null ? '' : ` (id ${entrada.id})`}`,
    )
    .join('; ');
}
