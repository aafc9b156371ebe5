// The fenced code blocks of a markdown file, each with its language, 1-based line and the HTML comment just
// before it (`<!-- fragment: readers.events -->`, `<!-- expect: 200 -->`, `<!-- run: background -->`...).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface MarkdownBlock {
  /** The file, relative to the project root ('docs/web-ui.md'). */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lang: string;
  readonly text: string;
  /** The text of the comment on the last non-blank line before the fence, if that line is one. */
  readonly marker?: string;
}

export function markdownBlocks(root: string, file: string): MarkdownBlock[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const blocks: MarkdownBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]!);
    if (open === null) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    if (i >= lines.length) throw new Error(`${file}:${start + 1}: a code block that never closes`);
    let before = start - 1;
    while (before >= 0 && lines[before]!.trim() === '') before--;
    const comment = before >= 0 ? /^<!--\s*(.*?)\s*-->$/.exec(lines[before]!.trim()) : null;
    blocks.push({ file, line: start + 1, lang: open[1]!, text: `${body.join('\n')}\n`, ...(comment ? { marker: comment[1]! } : {}) });
  }
  return blocks;
}

/** README.md and every docs/*.md, relative to root. */
export function documentationFiles(root: string): string[] {
  return ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => relative(root, join(root, 'docs', f)))];
}

/** `file:line` of a block, as failures name it. */
export const where = (block: MarkdownBlock): string => `${block.file}:${block.line}`;
