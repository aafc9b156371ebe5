// The browser side of the views: a tree (./view/tree.ts) as DOM nodes (text stays text: nothing from the
// server is parsed as HTML), replacing an element's content, and instants shown in local time with "ago".
import { ago } from './view/format.js';
import { h, type Child } from './view/tree.js';

function toNode(child: Exclude<Child, null>): Node {
  if (typeof child !== 'object') return document.createTextNode(String(child));
  const element = document.createElement(child.tag);
  for (const [name, value] of Object.entries(child.attrs)) {
    if (value !== null && value !== undefined && value !== false) element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...child.children.flatMap((c) => (c === null ? [] : [toNode(c)])));
  return element;
}

/** `target`'s content replaced by `children`, its instants localized. */
export function replace(target: Element | null, children: readonly Child[]): void {
  if (target === null) return;
  target.replaceChildren(...children.flatMap((c) => (c === null ? [] : [toNode(c)])));
  localizeTimes(target);
}

/** Every `time[data-ts]` under `root`: local time and "ago" as text, the ISO instant as tooltip. */
export function localizeTimes(root: ParentNode): void {
  for (const time of root.querySelectorAll<HTMLTimeElement>('time[data-ts]')) {
    const ms = Number(time.dataset.ts);
    if (!ms) continue;
    time.textContent = `${new Date(ms).toLocaleString()} (${ago(ms)})`;
    time.title = new Date(ms).toISOString();
  }
}

export function byId(id: string): HTMLElement | null {
  return document.getElementById(id);
}

/** The flash line of the header: a message, an error, or a link. */
export function say(text: string, isError = false, href?: string): void {
  const flash = byId('flash');
  if (flash === null) return;
  replace(flash, [href === undefined ? text : h('a', { href }, text)]);
  flash.className = `flash${isError ? ' error' : ''}`;
}
