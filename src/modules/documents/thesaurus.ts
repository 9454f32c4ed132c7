import { existsSync, readFileSync } from 'node:fs';
import { contentWords, foldText } from '../embeddings/index.ts';

/** Synonyms of single words, folded (lower case, no accents). */
export interface Thesaurus {
  synonyms(word: string): readonly string[];
  readonly entries: number;
}

/** Where Debian's `mythes-es` package puts LibreOffice's Spanish thesaurus. */
export const DEFAULT_THESAURUS_PATH = '/usr/share/mythes/th_es_ES_v2.dat';

/** Senses with more synonyms than this are too vague to expand a query with. */
const MAX_SYNONYMS_PER_SENSE = 12;

/**
 * Parses a MyThes data file: a first line with the encoding, then entries `palabra|n` followed by
 * n lines `-|sinónimo|sinónimo...` (or `(categoría)|...`). Only single-word synonyms are kept.
 */
export function parseThesaurus(data: Buffer): Thesaurus {
  const firstLineEnd = data.indexOf(10);
  const encoding = data.subarray(0, firstLineEnd).toString('latin1').trim().toUpperCase();
  const text = new TextDecoder(encoding === 'UTF-8' ? 'utf-8' : 'windows-1252').decode(data.subarray(firstLineEnd + 1));
  const lines = text.split('\n');
  const map = new Map<string, Set<string>>();
  for (let index = 0; index < lines.length;) {
    const header = lines[index++] ?? '';
    const bar = header.lastIndexOf('|');
    const senses = Number(header.slice(bar + 1));
    if (bar < 0 || !Number.isInteger(senses)) continue;
    const word = foldText(header.slice(0, bar).trim());
    const single = contentWords(word);
    for (let sense = 0; sense < senses; sense++, index++) {
      const synonyms = (lines[index] ?? '').split('|').slice(1);
      if (single.length !== 1 || synonyms.length > MAX_SYNONYMS_PER_SENSE) continue;
      for (const synonym of synonyms) {
        const folded = contentWords(synonym.replace(/\(.*?\)/g, ''));
        if (folded.length !== 1 || folded[0] === word) continue;
        const set = map.get(word) ?? new Set<string>();
        set.add(folded[0] as string);
        map.set(word, set);
      }
    }
  }
  return { synonyms: (word) => [...(map.get(word) ?? [])], entries: map.size };
}

let cached: { path: string; thesaurus: Thesaurus | undefined } | undefined;

/** The thesaurus at `path` if the file exists (read once per process); undefined otherwise. */
export function loadThesaurus(path: string = DEFAULT_THESAURUS_PATH): Thesaurus | undefined {
  if (cached?.path === path) return cached.thesaurus;
  const thesaurus = path && existsSync(path) ? parseThesaurus(readFileSync(path)) : undefined;
  cached = { path, thesaurus };
  return thesaurus;
}
