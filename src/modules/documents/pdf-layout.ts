import { collapseWhitespace } from './text-structure.ts';

/** A run of text as pdfjs places it, in PDF points (y grows upwards). */
export interface PdfTextRun {
  text: string;
  x: number;
  y: number;
  width: number;
  fontSize: number;
}

/** One visual line: runs sharing a baseline, left to right. */
export interface PdfLine {
  runs: PdfTextRun[];
  text: string;
  x: number;
  right: number;
  y: number;
  fontSize: number;
}

/** A unit of a page in reading order: a text line or a table found from aligned columns. */
export type PdfUnit = { kind: 'line'; line: PdfLine } | { kind: 'table'; rows: string[][]; y: number };

/** Runs of one column this close (in points) start at the "same" x. */
const COLUMN_TOLERANCE = 3;
/** A run closer than this (in font sizes) to the previous one continues its word or cell. */
const TIGHT_GAP = 0.4;
/** Text more than this apart (in font sizes) belongs to separate segments of a line (gutter search). */
const SEGMENT_GAP = 1.5;
const MIN_TABLE_COLUMNS = 3;
const MIN_COLUMN_LINES = 3;

/** Groups runs into lines by baseline, top to bottom. */
export function groupLines(runs: readonly PdfTextRun[]): PdfLine[] {
  const sorted = runs.filter((run) => run.text !== '').sort((a, b) => b.y - a.y || a.x - b.x);
  const groups: PdfTextRun[][] = [];
  for (const run of sorted) {
    const current = groups.at(-1);
    const anchor = current?.[0];
    if (current && anchor && Math.abs(anchor.y - run.y) <= 0.5 * Math.min(anchor.fontSize, run.fontSize)) {
      current.push(run);
    } else {
      groups.push([run]);
    }
  }
  return groups.map(buildLine).filter((line) => line.text !== '');
}

/**
 * Orders a page's lines for reading: tables (three or more aligned columns, two or more full rows)
 * become one unit, and when the text sits in two columns separated by a gutter the left column is
 * read before the right one (lines crossing the gutter, such as a title, stay where they are).
 */
export function layoutPage(lines: readonly PdfLine[]): PdfUnit[] {
  const units = withTables(lines);
  const gutter = findGutter(units.flatMap((unit) => (unit.kind === 'line' ? [unit.line] : [])));
  return gutter === null ? units : orderByColumns(units, gutter);
}

function buildLine(runs: readonly PdfTextRun[]): PdfLine {
  const ordered = dropOverprintedRuns([...runs].sort((a, b) => a.x - b.x));
  const visible = ordered.filter((run) => run.text.trim() !== '');
  const dominant = visible.reduce((best, run) => (run.text.length > best.text.length ? run : best), ordered[0]!);
  return {
    runs: ordered,
    text: joinRuns(ordered),
    x: visible[0]?.x ?? ordered[0]!.x,
    right: Math.max(...ordered.map((run) => run.x + run.width)),
    y: ordered[0]!.y,
    fontSize: dominant.fontSize,
  };
}

/** Some generators fake bold by drawing the same text twice, a fraction of a point apart. */
function dropOverprintedRuns(runs: PdfTextRun[]): PdfTextRun[] {
  return runs.filter(
    (run, index) => !runs.slice(0, index).some((other) => other.text === run.text && Math.abs(other.x - run.x) < 1),
  );
}

/** Joins runs left to right, adding a space where the gap between them is wider than a letter's kerning. */
function joinRuns(runs: readonly PdfTextRun[]): string {
  let text = '';
  let end = Number.NEGATIVE_INFINITY;
  for (const run of runs) {
    const spaced = /\s$/.test(text) || /^\s/.test(run.text);
    if (text !== '' && !spaced && run.x - end > 0.2 * run.fontSize) text += ' ';
    text += run.text;
    end = Math.max(end, run.x + run.width);
  }
  return collapseWhitespace(text);
}

function withTables(lines: readonly PdfLine[]): PdfUnit[] {
  const units: PdfUnit[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as PdfLine;
    const table = tableFrom(lines, index);
    if (table) {
      units.push({ kind: 'table', rows: table.rows, y: line.y });
      index = table.end - 1;
    } else {
      units.push({ kind: 'line', line });
    }
  }
  return units;
}

/**
 * A table starting at `start`: its columns are the cell starts of the first line; following lines belong
 * to it while every cell start lines up with a column. A line close below the previous one (less than
 * 1.5 font sizes) continues its cells (wrapped cell text); a farther one starts a new row.
 */
function tableFrom(lines: readonly PdfLine[], start: number): { rows: string[][]; end: number } | null {
  const seed = lines[start] as PdfLine;
  const columns = cellStarts(seed).map((run) => run.x);
  if (columns.length < MIN_TABLE_COLUMNS) return null;
  const rows = [cellsOf(seed, columns)];
  let fullRows = 1;
  let previous = seed;
  let end = start + 1;
  for (; end < lines.length; end++) {
    const line = lines[end] as PdfLine;
    const gap = previous.y - line.y;
    const starts = cellStarts(line);
    const aligned = starts.every((run) => columnIndex(columns, run.x) !== -1);
    if (!aligned || gap <= 0 || gap > 3 * line.fontSize || Math.abs(line.fontSize - seed.fontSize) > 0.6) break;
    const cells = cellsOf(line, columns);
    if (gap < 1.5 * line.fontSize) {
      rows[rows.length - 1] = rows.at(-1)!.map((cell, column) => collapseWhitespace(`${cell} ${cells[column]}`));
    } else if (starts.length >= 2) {
      rows.push(cells);
      if (starts.length >= MIN_TABLE_COLUMNS) fullRows++;
    } else {
      break;
    }
    previous = line;
  }
  return fullRows >= 2 ? { rows, end } : null;
}

/** Runs that open a cell: visible runs not glued to the previous visible run. */
function cellStarts(line: PdfLine): PdfTextRun[] {
  const starts: PdfTextRun[] = [];
  let end = Number.NEGATIVE_INFINITY;
  for (const run of line.runs) {
    if (run.text.trim() === '') continue;
    if (run.x - end > TIGHT_GAP * run.fontSize) starts.push(run);
    end = run.x + run.width;
  }
  return starts;
}

function columnIndex(columns: readonly number[], x: number): number {
  return columns.findIndex((column) => Math.abs(column - x) <= COLUMN_TOLERANCE);
}

function cellsOf(line: PdfLine, columns: readonly number[]): string[] {
  const cells: PdfTextRun[][] = columns.map(() => []);
  let current = 0;
  for (const run of line.runs) {
    const column = run.text.trim() === '' ? -1 : columnIndex(columns, run.x);
    if (column !== -1) current = column;
    cells[current]?.push(run);
  }
  return cells.map(joinRuns);
}

interface Segment {
  x: number;
  right: number;
}

/** Stretches of a line separated by more than SEGMENT_GAP font sizes. */
function segments(line: PdfLine): Segment[] {
  const result: Segment[] = [];
  for (const run of line.runs) {
    if (run.text.trim() === '') continue;
    const last = result.at(-1);
    if (last && run.x - last.right < SEGMENT_GAP * run.fontSize) last.right = Math.max(last.right, run.x + run.width);
    else result.push({ x: run.x, right: run.x + run.width });
  }
  return result;
}

function crosses(lineSegments: readonly Segment[], x: number): boolean {
  return lineSegments.some((segment) => segment.x < x && segment.right > x);
}

/**
 * The x of a vertical gutter in the middle of the page that (almost) no line crosses, with a
 * substantial column of text on each side; null for single-column pages.
 */
function findGutter(lines: readonly PdfLine[]): number | null {
  if (lines.length < MIN_COLUMN_LINES * 2) return null;
  const spans = lines.map(segments);
  const left = Math.min(...lines.map((line) => line.x));
  const right = Math.max(...lines.map((line) => line.right));
  const width = right - left;
  const gutter = emptiestBand(spans, Math.ceil(left + 0.3 * width), Math.floor(left + 0.7 * width));
  if (gutter === null || gutter.crossings > Math.max(1, 0.15 * lines.length)) return null;
  const all = spans.flat();
  const leftEnds = all.filter((segment) => segment.right <= gutter.x).map((segment) => segment.right);
  const rightStarts = all.filter((segment) => segment.x >= gutter.x).map((segment) => segment.x);
  const balanced =
    leftEnds.length >= MIN_COLUMN_LINES &&
    rightStarts.length >= MIN_COLUMN_LINES &&
    Math.max(...leftEnds) - left >= 0.3 * width &&
    right - Math.min(...rightStarts) >= 0.3 * width;
  return balanced ? gutter.x : null;
}

/** Centre of the widest stretch of x positions crossed by the fewest lines, between `from` and `to`. */
function emptiestBand(spans: readonly Segment[][], from: number, to: number): { x: number; crossings: number } | null {
  if (to < from) return null;
  const counts = Array.from(
    { length: to - from + 1 },
    (_, offset) => spans.filter((line) => crosses(line, from + offset)).length,
  );
  const fewest = Math.min(...counts);
  let best = { start: 0, length: 0 };
  let start = -1;
  counts.forEach((count, index) => {
    if (count !== fewest) {
      start = -1;
      return;
    }
    if (start === -1) start = index;
    if (index - start + 1 > best.length) best = { start, length: index - start + 1 };
  });
  return { x: from + best.start + (best.length - 1) / 2, crossings: fewest };
}

function orderByColumns(units: readonly PdfUnit[], gutter: number): PdfUnit[] {
  const ordered: PdfUnit[] = [];
  let left: PdfUnit[] = [];
  let right: PdfUnit[] = [];
  const flush = (): void => {
    ordered.push(...left, ...right);
    left = [];
    right = [];
  };
  for (const unit of units) {
    if (unit.kind === 'table' || crosses(segments(unit.line), gutter)) {
      flush();
      ordered.push(unit);
      continue;
    }
    const leftRuns = unit.line.runs.filter((run) => run.x < gutter);
    const rightRuns = unit.line.runs.filter((run) => run.x >= gutter);
    if (leftRuns.some((run) => run.text.trim() !== '')) left.push({ kind: 'line', line: buildLine(leftRuns) });
    if (rightRuns.some((run) => run.text.trim() !== '')) right.push({ kind: 'line', line: buildLine(rightRuns) });
  }
  flush();
  return ordered;
}
