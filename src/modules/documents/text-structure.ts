/** Line-level rules shared by the plain-text and PDF extractors (both see wrapped lines, not markup). */

/** Bullet glyphs carry no meaning, so they are dropped from the item text. */
const BULLET = /^[-*•·▪◦‣–—]\s+(?=\S)/u;
/** Enumerators ("1.", "2)", "a)", "b.") carry order, so they stay in the item text. */
const ENUMERATOR = /^(?:\d{1,3}[.)]|[a-zA-Z]\)|[a-z]\.)\s+(?=\S)/;
const QUESTION = /^(?:P|Pregunta)\s*:/;
const ANSWER = /^(?:R|Respuesta)\s*:/;
const NUMBERING = /^(\d+(?:\.\d+)*)\.?\s+\S/;
const MAX_HEADING_LENGTH = 80;

/** Collapses runs of whitespace (line breaks, tabs, no-break spaces) into single spaces. */
export function collapseWhitespace(text: string): string {
  return text
    .replace(/\u00AD/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The text of a list item when the line starts with a bullet or an enumerator, else null. */
export function listItemText(line: string): string | null {
  const trimmed = line.trim();
  const bullet = BULLET.exec(trimmed);
  if (bullet) return trimmed.slice(bullet[0].length);
  return ENUMERATOR.test(trimmed) ? trimmed : null;
}

/** True for the "P: ..." line that opens a question-answer pair. */
export function isQuestion(text: string): boolean {
  return QUESTION.test(text);
}

/** True for the "R: ..." line that answers the previous question. */
export function isAnswer(text: string): boolean {
  return ANSWER.test(text);
}

/**
 * Heading level of a line that reads like a heading, else null: an all-caps short line
 * ("A. SOLICITUD DEL PRÉSTAMO", "2. CANALES DE PAGO") or, only when the line stands alone, a
 * sub-numbered short title ("7.1 Orden de prelación"). Numbered headings nest by their numbering depth.
 */
export function headingLineLevel(line: string, options: { standsAlone: boolean }): number | null {
  const text = line.trim();
  if (text.length === 0 || text.length > MAX_HEADING_LENGTH || /[.,;:]$/.test(text)) return null;
  const numbering = NUMBERING.exec(text);
  const depth = numbering?.[1]?.split('.').length ?? 0;
  if (isAllCaps(text)) return Math.min(6, Math.max(depth, 1) + 1);
  return options.standsAlone && depth >= 2 ? Math.min(6, depth + 1) : null;
}

/** Joins the wrapped lines of one paragraph, undoing end-of-line hyphenation ("regu-" + "lación"). */
export function joinWrappedLines(lines: readonly string[]): string {
  const parts: string[] = [];
  for (const raw of lines) {
    const line = collapseWhitespace(raw.replace(/\u00AD\s*$/, '-'));
    if (line === '') continue;
    const previous = parts.at(-1);
    // Only the previous line's last two characters are tested: testing the text joined so far
    // would make a long paragraph quadratic.
    if (previous !== undefined && /\p{L}[-\u2010]$/u.test(previous.slice(-2)) && /^\p{Ll}/u.test(line)) {
      parts[parts.length - 1] = previous.slice(0, -1) + line;
    } else parts.push(line);
  }
  return parts.join(' ');
}

function isAllCaps(text: string): boolean {
  const letters = text.match(/\p{L}/gu) ?? [];
  return letters.length >= 3 && !/\p{Ll}/u.test(text);
}
