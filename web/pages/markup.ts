// The views' trees (web/client/view/) written as HTML for the server's first paint, every text and attribute
// escaped as hono/html escapes them, ready to sit inside an html`` template.
import { raw } from 'hono/html';
import { escapeToBuffer, type HtmlEscapedString } from 'hono/utils/html';
import type { Child } from '../client/view/tree.js';

function escaped(text: string): string {
  const buffer: [string] = [''];
  escapeToBuffer(text, buffer);
  return buffer[0];
}

function attributes(attrs: Readonly<Record<string, unknown>>): string {
  let out = '';
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    out += value === true ? ` ${name}` : ` ${name}="${escaped(String(value))}"`;
  }
  return out;
}

function written(child: Child): string {
  if (child === null) return '';
  if (typeof child !== 'object') return escaped(String(child));
  return `<${child.tag}${attributes(child.attrs)}>${child.children.map(written).join('')}</${child.tag}>`;
}

/** `children` as HTML, escaped, marked so that hono/html inserts it as is. */
export function markup(...children: ReadonlyArray<Child | readonly Child[]>): HtmlEscapedString {
  return raw(children.flat().map(written).join(''));
}
