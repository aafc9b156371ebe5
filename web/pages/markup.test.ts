// The views' trees written as HTML: text and attribute values escaped as hono/html escapes them, attributes
// left out or written bare as the browser side (web/client/dom.ts) sets them, arrays flattened, null skipped.
import { html } from 'hono/html';
import { describe, expect, it } from 'vitest';
import { h } from '../client/view/tree.js';
import { markup } from './markup.js';

const EVIL = `<script>alert("x" & 'y')</script>`;

describe('markup', () => {
  it('escapes text and attribute values exactly as hono/html does', async () => {
    const tree = h('td', { title: EVIL, 'data-n': 3 }, EVIL, 7);
    expect(String(markup(tree))).toBe(`<td title="${await html`${EVIL}`}" data-n="3">${await html`${EVIL}`}7</td>`);
    expect(String(markup(tree))).not.toContain('<script>');
  });

  it('leaves out null, undefined and false attributes, writes true bare, keeps empty strings', () => {
    expect(String(markup(h('button', { type: 'button', 'data-key': undefined, 'data-run': null, disabled: false, hidden: true, class: '' }, 'Go')))).toBe('<button type="button" hidden class="">Go</button>');
  });

  it('flattens arrays of children, skips null, and can sit inside an html template unescaped', async () => {
    const rows = [h('tr', null, h('td', null, 'a')), null, h('tr', null, [h('td', null, 'b'), ' ', null])];
    expect(String(markup(rows))).toBe('<tr><td>a</td></tr><tr><td>b</td> </tr>');
    expect(String(await html`<tbody>${markup(rows)}</tbody>`)).toBe('<tbody><tr><td>a</td></tr><tr><td>b</td> </tr></tbody>');
  });
});
