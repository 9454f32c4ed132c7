import { Parser } from 'htmlparser2';
import { CELL_SEPARATOR, type ExtractedBlock } from './extracted-document.ts';
import { decodeText } from './extract-text.ts';
import { collapseWhitespace } from './text-structure.ts';

/** Options for turning HTML into blocks. */
export interface HtmlBlockOptions {
  /** Treat a short paragraph whose text is all bold as a heading (Word documents often do this). */
  boldParagraphsAsHeadings?: boolean;
}

type OpenKind = { kind: 'heading'; level: number } | { kind: 'list-item'; prefix: string };

const SKIPPED = wordSet('script style nav head title noscript template svg iframe object');
/** Elements that end the paragraph before them and start a new one. */
const BLOCK = wordSet(`
  p div section article main header footer aside blockquote pre dl dt dd
  figure figcaption caption address hr form fieldset details summary body`);
const BOLD = new Set(['strong', 'b']);
const MAX_BOLD_HEADING_LENGTH = 80;

/** Blocks of an HTML file (decoded like a text file). */
export function extractHtml(bytes: Uint8Array): ExtractedBlock[] {
  return htmlToBlocks(decodeText(bytes));
}

/**
 * Blocks of an HTML string: h1-h6 headings, paragraphs, list items (ordered ones keep their number)
 * and table rows (cells joined with " | "); scripts, styles, navigation and <head> are dropped.
 */
export function htmlToBlocks(html: string, options: HtmlBlockOptions = {}): ExtractedBlock[] {
  const collector = new BlockCollector(options);
  const parser = new Parser(
    {
      onopentag: (name, attributes) => collector.open(name, attributes),
      onclosetag: (name) => collector.close(name),
      ontext: (text) => collector.text(text),
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  return collector.finish();
}

/** Streams parser events into blocks; the open elements decide what each piece of text becomes. */
class BlockCollector {
  private readonly blocks: ExtractedBlock[] = [];
  private readonly options: HtmlBlockOptions;
  private readonly openKinds: OpenKind[] = [];
  private readonly lists: { ordered: boolean; next: number }[] = [];
  private parts: string[] = [];
  private hasBoldText = false;
  private hasPlainText = false;
  private skipDepth = 0;
  private boldDepth = 0;
  private lastHeadingLevel = 1;
  private tableCount = 0;
  private tables: { id: number; row: string[] | null; cell: string[] | null }[] = [];

  constructor(options: HtmlBlockOptions) {
    this.options = options;
  }

  open(name: string, attributes: Record<string, string>): void {
    if (SKIPPED.has(name)) this.skipDepth++;
    if (this.skipDepth > 0) return;
    const level = headingLevel(name);
    if (level !== null) {
      this.flush();
      this.openKinds.push({ kind: 'heading', level });
    } else if (name === 'li') {
      this.flush();
      this.openKinds.push({ kind: 'list-item', prefix: this.nextListPrefix(attributes) });
    } else if (name === 'ul' || name === 'ol') {
      this.flush();
      this.lists.push({ ordered: name === 'ol', next: Number.parseInt(attributes.start ?? '1', 10) || 1 });
    } else if (name === 'table') {
      this.flush();
      this.tables.push({ id: ++this.tableCount, row: null, cell: null });
    } else if (name === 'tr') {
      this.withTable((table) => (table.row = []));
    } else if (name === 'td' || name === 'th') {
      this.withTable((table) => (table.cell = []));
    } else if (name === 'br') {
      this.text(' ');
    } else if (BOLD.has(name)) {
      this.boldDepth++;
    } else if (BLOCK.has(name)) {
      this.breakBlock();
    }
  }

  close(name: string): void {
    if (SKIPPED.has(name)) {
      this.skipDepth = Math.max(0, this.skipDepth - 1);
      return;
    }
    if (this.skipDepth > 0) return;
    if (headingLevel(name) !== null || name === 'li') {
      this.flush();
      this.openKinds.pop();
    } else if (name === 'ul' || name === 'ol') {
      this.flush();
      this.lists.pop();
    } else if (name === 'td' || name === 'th') {
      this.withTable((table) => this.closeCell(table));
    } else if (name === 'tr') {
      this.withTable((table) => this.closeRow(table));
    } else if (name === 'table') {
      this.tables.pop();
    } else if (BOLD.has(name)) {
      this.boldDepth = Math.max(0, this.boldDepth - 1);
    } else if (BLOCK.has(name)) {
      this.breakBlock();
    }
  }

  text(text: string): void {
    if (this.skipDepth > 0) return;
    const cell = this.tables.at(-1)?.cell;
    if (cell) {
      cell.push(text);
      return;
    }
    this.parts.push(text);
    if (text.trim() === '') return;
    if (this.boldDepth > 0) this.hasBoldText = true;
    else this.hasPlainText = true;
  }

  finish(): ExtractedBlock[] {
    this.flush();
    return this.blocks;
  }

  private nextListPrefix(attributes: Record<string, string>): string {
    const list = this.lists.at(-1);
    if (!list?.ordered) return '';
    const number = Number.parseInt(attributes.value ?? '', 10) || list.next;
    list.next = number + 1;
    return `${number}. `;
  }

  private withTable(action: (table: { id: number; row: string[] | null; cell: string[] | null }) => void): void {
    const table = this.tables.at(-1);
    if (table) action(table);
  }

  private closeCell(table: { row: string[] | null; cell: string[] | null }): void {
    if (table.cell) table.row?.push(collapseWhitespace(table.cell.join('')));
    table.cell = null;
  }

  private closeRow(table: { id: number; row: string[] | null }): void {
    if (table.row?.some((cell) => cell !== '')) {
      this.blocks.push({ kind: 'table-row', text: table.row.join(CELL_SEPARATOR), tableId: table.id });
    }
    table.row = null;
  }

  /** A block element ends a paragraph, but inside a heading or list item it only separates words. */
  private breakBlock(): void {
    if (this.openKinds.length > 0) this.text(' ');
    else this.flush();
  }

  /** Emits the text gathered so far as a block of the innermost open kind. */
  private flush(): void {
    const text = collapseWhitespace(this.parts.join(''));
    const allBold = this.hasBoldText && !this.hasPlainText;
    this.parts = [];
    this.hasBoldText = false;
    this.hasPlainText = false;
    if (text === '') return;
    const open = this.openKinds.at(-1);
    if (open?.kind === 'heading') {
      this.lastHeadingLevel = open.level;
      this.blocks.push({ kind: 'heading', level: open.level, text });
    } else if (open?.kind === 'list-item') {
      this.blocks.push({ kind: 'list-item', text: open.prefix + text });
    } else if (allBold && this.options.boldParagraphsAsHeadings && isHeadingLike(text)) {
      this.blocks.push({ kind: 'heading', level: Math.min(6, this.lastHeadingLevel + 1), text });
    } else {
      this.blocks.push({ kind: 'paragraph', text });
    }
  }
}

function wordSet(words: string): Set<string> {
  return new Set(words.trim().split(/\s+/));
}

function headingLevel(name: string): number | null {
  const match = /^h([1-6])$/.exec(name);
  return match ? Number(match[1]) : null;
}

function isHeadingLike(text: string): boolean {
  return text.length <= MAX_BOLD_HEADING_LENGTH && !/[.,;:]$/.test(text);
}
