import { Lexer, Parser, type Token, type Tokens } from 'marked';
import { CELL_SEPARATOR, type ExtractedBlock } from './extracted-document.ts';
import { htmlToBlocks } from './extract-html.ts';
import { decodeText } from './extract-text.ts';
import { collapseWhitespace } from './text-structure.ts';

interface MarkdownWalk {
  blocks: ExtractedBlock[];
  tableCount: number;
}

/** Blocks of a Markdown file: headings, paragraphs, list items, table rows and code blocks (as paragraphs). */
export function extractMarkdown(bytes: Uint8Array): ExtractedBlock[] {
  const walk: MarkdownWalk = { blocks: [], tableCount: 0 };
  appendTokens(walk, Lexer.lex(decodeText(bytes)));
  return walk.blocks.filter((block) => block.text !== '');
}

function appendTokens(walk: MarkdownWalk, tokens: Token[]): void {
  for (const token of tokens) appendToken(walk, token);
}

function appendToken(walk: MarkdownWalk, token: Token): void {
  switch (token.type) {
    case 'heading':
      walk.blocks.push({ kind: 'heading', level: token.depth, text: inlineText(token.tokens ?? []) });
      break;
    case 'paragraph':
    case 'text':
      walk.blocks.push({ kind: 'paragraph', text: inlineText(token.tokens ?? [token]) });
      break;
    case 'code':
      walk.blocks.push({ kind: 'paragraph', text: collapseWhitespace(token.text) });
      break;
    case 'list':
      appendList(walk, token as Tokens.List);
      break;
    case 'table':
      appendTable(walk, token as Tokens.Table);
      break;
    case 'blockquote':
      appendTokens(walk, token.tokens ?? []);
      break;
    case 'html':
      walk.blocks.push(...htmlToBlocks(token.text));
      break;
  }
}

/** Each item becomes one list item (ordered ones keep their number); nested lists follow their parent. */
function appendList(walk: MarkdownWalk, list: Tokens.List): void {
  let number = typeof list.start === 'number' ? list.start : 1;
  for (const item of list.items) {
    const ownTokens = item.tokens.filter((child) => child.type !== 'list');
    const inner: MarkdownWalk = { blocks: [], tableCount: walk.tableCount };
    appendTokens(inner, ownTokens);
    const text = collapseWhitespace(inner.blocks.map((block) => block.text).join(' '));
    walk.blocks.push({ kind: 'list-item', text: list.ordered ? `${number}. ${text}` : text });
    number++;
    appendTokens(
      walk,
      item.tokens.filter((child) => child.type === 'list'),
    );
  }
}

function appendTable(walk: MarkdownWalk, table: Tokens.Table): void {
  const tableId = ++walk.tableCount;
  for (const row of [table.header, ...table.rows]) {
    walk.blocks.push({
      kind: 'table-row',
      text: row.map((cell) => inlineText(cell.tokens)).join(CELL_SEPARATOR),
      tableId,
    });
  }
}

/** Plain text of inline Markdown: emphasis and code marks dropped, links reduced to their text, entities decoded. */
function inlineText(tokens: Token[]): string {
  const html = Parser.parseInline(tokens);
  return collapseWhitespace(
    htmlToBlocks(html)
      .map((block) => block.text)
      .join(' '),
  );
}
