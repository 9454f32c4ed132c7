/** A quotable unit of a passage: a sentence, a list with its lead-in, or a table row. */
export interface Sentence {
  text: string;
  /** For a table row: the table's header row, cells separated by " | ". */
  columns?: string;
}

/**
 * End of a sentence: `.`, `!` or `?` after two letters, digits or a closing sign (so "C.A.", "N.º 3"
 * and list markers such as "- 1." do not end one), then spaces and an upper-case letter, digit or
 * opening sign.
 */
const SENTENCE_END = /(?<=[\p{L}\d)%»"]{2}[.!?])\s+(?=[¿¡«"(]?[\p{Lu}\d])/u;
const LIST_ITEM = /^\s*(?:(?:[-•*]|\d{1,2}[.)])\s+)+/;
/** A lead-in and its list are quoted together while they stay this short. */
const MAX_LIST_LENGTH = 600;

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();
const hasText = (text: string) => /[\p{L}\d]/u.test(text);

interface Line {
  kind: 'text' | 'item' | 'row';
  text: string;
  columns?: string;
}

function classify(lines: readonly string[]): Line[] {
  const result: Line[] = [];
  let header: string | undefined;
  for (const raw of lines) {
    if (raw.includes('\t')) {
      const cells = raw.split('\t').map(collapse);
      if (header === undefined) {
        header = cells.join(' | ');
        result.push({ kind: 'row', text: collapse(raw) });
      } else result.push({ kind: 'row', text: collapse(raw), columns: header });
      continue;
    }
    header = undefined;
    if (LIST_ITEM.test(raw)) result.push({ kind: 'item', text: collapse(raw.replace(LIST_ITEM, '')) });
    else result.push({ kind: 'text', text: collapse(raw) });
  }
  return result.filter((line) => hasText(line.text));
}

/**
 * The quotable units of a passage, in order: sentences (a question "P: ¿…?" together with the
 * sentence that answers it), a sentence ending in ":" together with the list items after it (while
 * short), list items, and table rows with their table's header.
 */
export function splitSentences(text: string): Sentence[] {
  const lines = classify(text.split(/\n+/));
  const units: Sentence[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (!line) continue;
    if (line.kind === 'row') {
      units.push(line.columns ? { text: line.text, columns: line.columns } : { text: line.text });
      continue;
    }
    const parts = line.kind === 'item' ? [line.text] : line.text.split(SENTENCE_END).map(collapse).filter(hasText);
    const last = parts.at(-1) ?? '';
    if (last.endsWith(':')) {
      const items: string[] = [];
      for (let next = index + 1; lines[next]?.kind === 'item'; next++) items.push(lines[next]?.text ?? '');
      const joined = [last, ...items].join(' ');
      if (items.length > 0 && joined.length <= MAX_LIST_LENGTH) {
        parts[parts.length - 1] = joined;
        index += items.length;
      }
    }
    for (const part of parts) units.push({ text: part });
  }
  // A question is quoted with its answer ("P: ¿…? R: …").
  const merged: Sentence[] = [];
  for (const unit of units) {
    const previous = merged.at(-1);
    if (previous && !previous.columns && previous.text.endsWith('?') && !unit.columns) {
      previous.text = `${previous.text} ${unit.text}`;
    } else merged.push({ ...unit });
  }
  return merged;
}
