// A view tree (../view/tree.ts) as DOM nodes where SVG elements (the sparklines) get the SVG namespace, so the
// browser draws them; text stays text, instants are localized as ../dom.ts does.
import { localizeTimes } from '../dom.js';
import type { Child, Tree } from '../view/tree.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const SVG_TAGS = new Set(['svg', 'polyline', 'circle', 'line', 'path', 'g']);

function toNode(child: Exclude<Child, null>, inSvg: boolean): Node {
  if (typeof child !== 'object') return document.createTextNode(String(child));
  const svg = inSvg || child.tag === 'svg';
  const element = svg && SVG_TAGS.has(child.tag) ? document.createElementNS(SVG_NS, child.tag) : document.createElement(child.tag);
  for (const [name, value] of Object.entries((child as Tree).attrs)) {
    if (value !== null && value !== undefined && value !== false) element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...child.children.flatMap((c) => (c === null ? [] : [toNode(c, svg)])));
  return element;
}

/** `target`'s content replaced by `children`. */
export function render(target: Element, children: readonly Child[]): void {
  target.replaceChildren(...children.flatMap((c) => (c === null ? [] : [toNode(c, false)])));
  localizeTimes(target);
}
