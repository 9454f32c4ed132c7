import type { ExtractedBlock } from './extracted-document.ts';

/** Target chunk size and overlap, in characters of body text. */
export interface ChunkingOptions {
  maxChars: number;
  overlapChars: number;
}

/** Defaults chosen by measurement on the retrieval dev set (see README, "Recuperación"). */
export const DEFAULT_CHUNKING: ChunkingOptions = { maxChars: 700, overlapChars: 0 };

/** One piece of a document as it is indexed and cited. */
export interface DocumentChunk {
  index: number;
  /** Headings above the chunk, outermost first. */
  headings: string[];
  /** Body text (blocks separated by line breaks); the heading path is kept apart. */
  text: string;
  pageStart: number | null;
  pageEnd: number | null;
}

interface Piece {
  text: string;
  page: number | undefined;
}

/** Splits an oversized text at sentence ends, then at spaces, into parts of at most `max` chars. */
function splitLongText(text: string, max: number): string[] {
  const sentences = text.match(/[^.!?;:]+(?:[.!?;:]+["»)]?\s*|$)/g) ?? [text];
  const parts: string[] = [];
  let current = '';
  for (const sentence of sentences) {
    if (current && current.length + sentence.length > max) {
      parts.push(current.trim());
      current = '';
    }
    if (sentence.length <= max) {
      current += sentence;
      continue;
    }
    for (const word of sentence.split(/(?<=\s)/)) {
      if (current && current.length + word.length > max) {
        parts.push(current.trim());
        current = '';
      }
      current += word;
    }
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

/** The blocks of one section turned into pieces: tables keep their header row with every slice. */
function sectionPieces(blocks: ExtractedBlock[], max: number): Piece[][] {
  const groups: Piece[][] = [];
  let index = 0;
  for (let block = blocks[0]; block; block = blocks[index]) {
    if (block.kind === 'table-row') {
      const rows: ExtractedBlock[] = [];
      for (
        let row: ExtractedBlock | undefined = block;
        row?.kind === 'table-row' && row.tableId === block.tableId;
        row = blocks[++index]
      ) {
        rows.push(row);
      }
      groups.push(...tableGroups(rows, max));
      continue;
    }
    const prefix = block.kind === 'list-item' ? '- ' : '';
    for (const text of splitLongText(block.text, max)) groups.push([{ text: prefix + text, page: block.page }]);
    index++;
  }
  return groups;
}

/** A table small enough stays whole; a larger one is cut into row groups that repeat the header. */
function tableGroups(rows: ExtractedBlock[], max: number): Piece[][] {
  const [header, ...body] = rows;
  const all = rows.map((row) => ({ text: row.text, page: row.page }));
  if (!header || rows.reduce((sum, row) => sum + row.text.length + 1, 0) <= max || body.length === 0) return [all];
  const groups: Piece[][] = [];
  let current: Piece[] = [{ text: header.text, page: header.page }];
  let size = header.text.length;
  for (const row of body) {
    if (current.length > 1 && size + row.text.length + 1 > max) {
      groups.push(current);
      current = [{ text: header.text, page: row.page }];
      size = header.text.length;
    }
    current.push({ text: row.text, page: row.page });
    size += row.text.length + 1;
  }
  groups.push(current);
  return groups;
}

/**
 * Cuts a document into chunks that follow its structure: a chunk never crosses a heading, blocks
 * (paragraphs, list items, table row groups) are packed whole up to `maxChars`, and a block larger
 * than that is split at sentence ends. With `overlapChars`, a chunk starts with the last pieces of
 * the previous one in the same section. Each chunk keeps its heading path and pages.
 */
export function chunkDocument(
  blocks: readonly ExtractedBlock[],
  options: ChunkingOptions = DEFAULT_CHUNKING,
): DocumentChunk[] {
  const chunks: DocumentChunk[] = [];
  const headingStack: { level: number; text: string }[] = [];
  let section: ExtractedBlock[] = [];

  const flushSection = () => {
    if (section.length === 0) return;
    const headings = headingStack.map((heading) => heading.text);
    let current: Piece[] = [];
    let size = 0;
    const emit = () => {
      if (current.length === 0) return;
      const pages = current.map((piece) => piece.page).filter((page): page is number => page !== undefined);
      chunks.push({
        index: chunks.length,
        headings,
        text: current.map((piece) => piece.text).join('\n'),
        pageStart: pages.length ? Math.min(...pages) : null,
        pageEnd: pages.length ? Math.max(...pages) : null,
      });
    };
    for (const group of sectionPieces(section, options.maxChars)) {
      const groupSize = group.reduce((sum, piece) => sum + piece.text.length + 1, 0);
      if (current.length > 0 && size + groupSize > options.maxChars) {
        emit();
        const overlap: Piece[] = [];
        let overlapSize = 0;
        for (const piece of [...current].reverse()) {
          if (overlapSize + piece.text.length > options.overlapChars) break;
          overlap.unshift(piece);
          overlapSize += piece.text.length + 1;
        }
        current = overlap;
        size = overlapSize;
      }
      current.push(...group);
      size += groupSize;
    }
    emit();
    section = [];
  };

  for (const block of blocks) {
    if (block.kind === 'heading') {
      flushSection();
      const level = block.level ?? 1;
      while ((headingStack.at(-1)?.level ?? 0) >= level) headingStack.pop();
      headingStack.push({ level, text: block.text });
      continue;
    }
    section.push(block);
  }
  flushSection();
  return chunks;
}
