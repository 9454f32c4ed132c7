import { CELL_SEPARATOR, type ExtractedBlock } from './extracted-document.ts';
import type { PdfLine, PdfUnit } from './pdf-layout.ts';
import { headingLineLevel, joinWrappedLines, listItemText } from './text-structure.ts';

/** A page already laid out in reading order. */
export interface PdfPage {
  number: number;
  units: PdfUnit[];
}

/** Measurements of the document's body text that the paragraph rules are relative to. */
interface TypeScale {
  bodySize: number;
  /** Usual distance between two lines of one paragraph, for body text. */
  linePitch: number;
  /** Font sizes larger than the body, largest first: index + 1 is the heading level. */
  headingSizes: number[];
}

interface Draft {
  kind: 'paragraph' | 'list-item';
  lines: string[];
  /** The first line as printed, enumerator included: "2. LÍMITES" may be a heading, not an item. */
  firstLine: PdfLine;
  /** Whether the first line starts at the page's left margin (list items are usually indented). */
  atMargin: boolean;
  page: number;
  last: PdfLine;
  lastPage: number;
  /** Where the item's text starts (after the bullet); wrapped lines of the item start there too. */
  textX: number;
}

/** Lines checked for running headers and footers at each end of a page. */
const EDGE_LINES = 2;
/** Points a running header or footer may drift from page to page. */
const RUNNING_LINE_TOLERANCE = 3;
const HEADING_SIZE_RATIO = 1.12;
const MAX_HEADING_LENGTH = 150;
const SENTENCE_END = /[.!?:;]["'”)\]]?$/;

/**
 * Drops running headers and footers: a line among the first or last two of a page whose text, with
 * digits ignored ("Página 3 de 5" = "Página # de #"), sits at the same height at an edge of most pages.
 * Needs two pages.
 */
export function removeRunningLines(pages: readonly PdfLine[][]): PdfLine[][] {
  if (pages.length < 2) return pages.map((lines) => [...lines]);
  const heights = new Map<string, number[]>();
  for (const lines of pages) {
    const onThisPage = new Map<string, number>();
    for (const line of edgeLines(lines)) {
      if (!onThisPage.has(runningKey(line))) onThisPage.set(runningKey(line), line.y);
    }
    for (const [key, y] of onThisPage) heights.set(key, [...(heights.get(key) ?? []), y]);
  }
  const needed = Math.max(2, Math.floor(pages.length / 2) + 1);
  const running = new Set([...heights].filter(([, ys]) => pagesAtSameHeight(ys) >= needed).map(([key]) => key));
  return pages.map((lines) => {
    const edges = new Set(edgeLines(lines));
    return lines.filter((line) => !edges.has(line) || !running.has(runningKey(line)));
  });
}

/**
 * Blocks of laid-out pages: larger-than-body lines are headings (levels by size), bulleted or
 * enumerated lines open list items, wrapped lines of one paragraph are joined (also across a page or
 * column break when the sentence clearly continues), tables become rows.
 */
export function pagesToBlocks(pages: readonly PdfPage[]): ExtractedBlock[] {
  const scale = measureTypeScale(pages);
  const blocks: ExtractedBlock[] = [];
  let draft: Draft | null = null;
  let previousLine: PdfLine | null = null;
  let tableCount = 0;
  const close = (): void => {
    if (draft) blocks.push(draftBlock(draft));
    draft = null;
  };
  for (const page of pages) {
    const margin = leftMargin(page);
    for (const unit of page.units) {
      if (unit.kind === 'table') {
        close();
        const tableId = ++tableCount;
        for (const row of unit.rows) {
          blocks.push({ kind: 'table-row', text: row.join(CELL_SEPARATOR), tableId, page: page.number });
        }
        previousLine = null;
        continue;
      }
      const line = unit.line;
      const level = sizeHeadingLevel(line, scale);
      if (level !== null) {
        close();
        appendHeading(blocks, line, level, page.number, previousLine);
      } else if (listItemText(line.text) !== null) {
        close();
        draft = startDraft('list-item', line, page.number, margin);
      } else if (draft && continues(draft, line, page.number, scale)) {
        draft.lines.push(line.text);
        draft.last = line;
        draft.lastPage = page.number;
      } else {
        close();
        draft = startDraft('paragraph', line, page.number, margin);
      }
      previousLine = line;
    }
  }
  close();
  return blocks;
}

function edgeLines(lines: readonly PdfLine[]): PdfLine[] {
  if (lines.length <= EDGE_LINES * 2) return [...lines];
  return [...lines.slice(0, EDGE_LINES), ...lines.slice(-EDGE_LINES)];
}

/** The largest number of pages on which the line sits within RUNNING_LINE_TOLERANCE of one height. */
function pagesAtSameHeight(ys: readonly number[]): number {
  return Math.max(...ys.map((y) => ys.filter((other) => Math.abs(other - y) <= RUNNING_LINE_TOLERANCE).length));
}

function runningKey(line: PdfLine): string {
  return line.text.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();
}

function measureTypeScale(pages: readonly PdfPage[]): TypeScale {
  const lines = pages.flatMap((page) => page.units.flatMap((unit) => (unit.kind === 'line' ? [unit.line] : [])));
  const bodySize = mostFrequent(lines.map((line) => [roundHalf(line.fontSize), line.text.length])) ?? 10;
  const gaps: [number, number][] = [];
  for (const page of pages) {
    const bodyLines = page.units.flatMap((unit) =>
      unit.kind === 'line' && Math.abs(unit.line.fontSize - bodySize) < 0.6 ? [unit.line] : [],
    );
    for (let index = 1; index < bodyLines.length; index++) {
      const gap = (bodyLines[index - 1] as PdfLine).y - (bodyLines[index] as PdfLine).y;
      if (gap > 0 && gap < 3 * bodySize) gaps.push([roundHalf(gap), 1]);
    }
  }
  const headingSizes = [
    ...new Set(
      lines
        .filter((line) => line.fontSize >= bodySize * HEADING_SIZE_RATIO && line.text.length <= MAX_HEADING_LENGTH)
        .map((line) => roundHalf(line.fontSize)),
    ),
  ].sort((a, b) => b - a);
  return { bodySize, linePitch: mostFrequent(gaps) ?? bodySize * 1.3, headingSizes };
}

/** The value with the largest total weight. */
function mostFrequent(weighted: readonly [number, number][]): number | null {
  const totals = new Map<number, number>();
  for (const [value, weight] of weighted) totals.set(value, (totals.get(value) ?? 0) + weight);
  let best: [number, number] | null = null;
  for (const entry of totals) if (!best || entry[1] > best[1]) best = entry;
  return best?.[0] ?? null;
}

function roundHalf(value: number): number {
  return Math.round(value * 2) / 2;
}

function sizeHeadingLevel(line: PdfLine, scale: TypeScale): number | null {
  if (line.text.length > MAX_HEADING_LENGTH) return null;
  const index = scale.headingSizes.indexOf(roundHalf(line.fontSize));
  return index === -1 ? null : Math.min(6, index + 1);
}

/** A heading wrapped over two lines of the same size arrives as two lines: join them. */
function appendHeading(
  blocks: ExtractedBlock[],
  line: PdfLine,
  level: number,
  page: number,
  previousLine: PdfLine | null,
): void {
  const previous = blocks.at(-1);
  const wrapped =
    previous?.kind === 'heading' &&
    previous.level === level &&
    previous.page === page &&
    previousLine !== null &&
    previousLine.y - line.y < 1.6 * line.fontSize;
  if (wrapped && previous) previous.text = joinWrappedLines([previous.text, line.text]);
  else blocks.push({ kind: 'heading', level, text: line.text, page });
}

function leftMargin(page: PdfPage): number {
  return Math.min(...page.units.map((unit) => (unit.kind === 'line' ? unit.line.x : Number.POSITIVE_INFINITY)));
}

function startDraft(kind: Draft['kind'], line: PdfLine, page: number, margin: number): Draft {
  const text = kind === 'list-item' ? (listItemText(line.text) ?? line.text) : line.text;
  const visible = line.runs.filter((run) => run.text.trim() !== '');
  const markerRun = kind === 'list-item' && visible.length > 1 && isMarkerOnly(visible[0]?.text ?? '');
  return {
    kind,
    lines: [text],
    firstLine: line,
    atMargin: line.x <= margin + 1,
    page,
    last: line,
    lastPage: page,
    textX: markerRun ? visible[1]!.x : line.x,
  };
}

/** A run holding just the bullet or enumerator, drawn apart from the item text. */
function isMarkerOnly(text: string): boolean {
  const marker = text.trim();
  return /^\S+$/.test(marker) && listItemText(`${marker} x`) !== null;
}

/** Whether `line` is the next wrapped line of the open paragraph or list item. */
function continues(draft: Draft, line: PdfLine, page: number, scale: TypeScale): boolean {
  if (Math.abs(line.fontSize - draft.last.fontSize) > 0.6) return false;
  const gap = draft.last.y - line.y;
  if (page !== draft.lastPage || gap <= 0) return sentenceContinues(draft.last.text, line.text);
  const pitch = (scale.linePitch * line.fontSize) / scale.bodySize;
  if (gap > pitch * 1.25) return false;
  if (draft.kind === 'list-item') return line.x >= draft.textX - 2;
  return line.x <= draft.last.x + line.fontSize;
}

/** Across a page or column break a paragraph goes on only if its sentence is visibly unfinished. */
function sentenceContinues(previous: string, next: string): boolean {
  return !SENTENCE_END.test(previous) && /^\p{Ll}/u.test(next);
}

/** A lone heading-like line at the margin ("2. LÍMITES DE APROBACIÓN") is a heading, not a paragraph or item. */
function draftBlock(draft: Draft): ExtractedBlock {
  const enumerated = draft.lines[0] === draft.firstLine.text;
  const standalone = draft.lines.length === 1 && (draft.kind === 'paragraph' || (draft.atMargin && enumerated));
  const level = standalone ? headingLineLevel(draft.firstLine.text, { standsAlone: true }) : null;
  if (level !== null) return { kind: 'heading', level, text: draft.firstLine.text, page: draft.page };
  return { kind: draft.kind, text: joinWrappedLines(draft.lines), page: draft.page };
}
