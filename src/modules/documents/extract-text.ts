import { CELL_SEPARATOR, type ExtractedBlock } from './extracted-document.ts';
import {
  collapseWhitespace,
  isAnswer,
  isQuestion,
  joinWrappedLines,
  listItemText,
  headingLineLevel,
} from './text-structure.ts';

interface SourceLine {
  text: string;
  indent: number;
}

interface OpenItem {
  indent: number;
  lines: string[];
}

const UNDERLINE = /^(?:={3,}|-{3,})$/;
const RULE = /^(?:[-=_*~#]\s*){3,}$/;
const TABLE_RULE = /^[\s|+:=-]*-[\s|+:=-]*$/;

/**
 * Decodes the bytes of a text file: UTF-16 when it has that BOM, UTF-8 when the bytes are valid
 * UTF-8 (BOM removed), Windows-1252 otherwise (the usual encoding of files saved on Windows in Spanish).
 * Line breaks come out as "\n" and accents in NFC form.
 */
export function decodeText(bytes: Uint8Array): string {
  return decodeWithBestEncoding(bytes)
    .replace(/\r\n?|\f/g, '\n')
    .normalize('NFC');
}

/** Blocks of a plain-text document: underlined or all-caps headings, paragraphs, list items and pipe tables. */
export function extractText(bytes: Uint8Array): ExtractedBlock[] {
  const blocks: ExtractedBlock[] = [];
  const tables = { count: 0 };
  for (const group of paragraphGroups(decodeText(bytes))) appendGroup(blocks, group, tables);
  return mergeAnswers(blocks);
}

function decodeWithBestEncoding(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** Runs of non-blank lines; a blank line always ends a paragraph. */
function paragraphGroups(text: string): SourceLine[][] {
  const groups: SourceLine[][] = [[]];
  for (const raw of text.split('\n')) {
    const expanded = raw.replace(/\t/g, '    ').trimEnd();
    if (expanded.trim() === '') groups.push([]);
    else groups.at(-1)?.push({ text: expanded.trim(), indent: expanded.length - expanded.trimStart().length });
  }
  return groups.filter((group) => group.length > 0);
}

function appendGroup(blocks: ExtractedBlock[], group: SourceLine[], tables: { count: number }): void {
  const prose: string[] = [];
  let item: OpenItem | null = null;
  const flush = (): void => {
    if (item) blocks.push({ kind: 'list-item', text: joinWrappedLines(item.lines) });
    else if (prose.length > 0) blocks.push({ kind: 'paragraph', text: joinWrappedLines(prose) });
    prose.length = 0;
    item = null;
  };
  for (let index = 0; index < group.length; index++) {
    const line = group[index] as SourceLine;
    const next = group[index + 1];
    if (next && line.indent === 0 && UNDERLINE.test(next.text)) {
      flush();
      blocks.push({ kind: 'heading', level: next.text.startsWith('=') ? 1 : 2, text: collapseWhitespace(line.text) });
      index++;
      continue;
    }
    const tableEnd = tableRunEnd(group, index);
    if (tableEnd > index) {
      flush();
      tables.count++;
      blocks.push(...tableRows(group.slice(index, tableEnd), tables.count));
      index = tableEnd - 1;
      continue;
    }
    // A heading-like first line at the margin is a heading even when numbered like a list item.
    const level =
      index === 0 && line.indent === 0 ? headingLineLevel(line.text, { standsAlone: group.length === 1 }) : null;
    if (level !== null) {
      blocks.push({ kind: 'heading', level, text: collapseWhitespace(line.text) });
      continue;
    }
    const itemText = listItemText(line.text);
    if (RULE.test(line.text)) {
      flush();
    } else if (itemText !== null) {
      flush();
      item = { indent: line.indent, lines: [itemText] };
    } else if (item && line.indent > item.indent) {
      item.lines.push(line.text);
    } else {
      if (item || isQuestion(line.text)) flush();
      prose.push(line.text);
    }
  }
  flush();
}

/** End (exclusive) of a pipe table starting at `start`, or `start` when there is none. */
function tableRunEnd(group: SourceLine[], start: number): number {
  let end = start;
  while (end < group.length && isTableLine((group[end] as SourceLine).text)) end++;
  const run = group.slice(start, end);
  const hasRule = run.some((line) => TABLE_RULE.test(line.text));
  const pipeCounts = new Set(run.filter((line) => !TABLE_RULE.test(line.text)).map((line) => pipeCount(line.text)));
  return run.length >= 2 && (hasRule || pipeCounts.size === 1) ? end : start;
}

/** A line with cells, or a rule drawn with "|" or "+" joints ("-----+-----"). */
function isTableLine(text: string): boolean {
  return text.includes('|') || (TABLE_RULE.test(text) && text.includes('+'));
}

function pipeCount(text: string): number {
  return text.split('|').length - 1;
}

function tableRows(lines: SourceLine[], tableId: number): ExtractedBlock[] {
  return lines
    .filter((line) => !TABLE_RULE.test(line.text))
    .map((line) => {
      const cells = line.text.replace(/^\|/, '').replace(/\|$/, '').split('|');
      return { kind: 'table-row', text: cells.map(collapseWhitespace).join(CELL_SEPARATOR), tableId };
    });
}

/** Keeps an "R: ..." answer in the same paragraph as its "P: ..." question even across a blank line. */
function mergeAnswers(blocks: ExtractedBlock[]): ExtractedBlock[] {
  const merged: ExtractedBlock[] = [];
  for (const block of blocks) {
    const previous = merged.at(-1);
    const answersPrevious =
      block.kind === 'paragraph' && isAnswer(block.text) && previous?.kind === 'paragraph' && isQuestion(previous.text);
    if (answersPrevious && previous && !/\s(?:R|Respuesta)\s*:/.test(previous.text)) {
      previous.text = `${previous.text} ${block.text}`;
    } else {
      merged.push(block);
    }
  }
  return merged;
}
