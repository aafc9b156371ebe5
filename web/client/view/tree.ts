// A piece of page as plain data (tag, attributes, children), built once by the views of this folder and
// written two ways: as escaped HTML by the server (web/pages/markup.ts), as DOM nodes by the browser (../dom.ts).

/** null, undefined and false leave the attribute out; true writes it bare (`hidden`). */
export type AttrValue = string | number | boolean | null | undefined;
export type Attrs = Readonly<Record<string, AttrValue>>;

export interface Tree {
  readonly tag: string;
  readonly attrs: Attrs;
  readonly children: readonly Child[];
}

/** Text (escaped when written), an element, or nothing (null). */
export type Child = Tree | string | number | null;

/** An element: `h('a', { href }, 'text')`; arrays of children are flattened one level. */
export function h(tag: string, attrs: Attrs | null, ...children: ReadonlyArray<Child | readonly Child[]>): Tree {
  return { tag, attrs: attrs ?? {}, children: children.flat() };
}
