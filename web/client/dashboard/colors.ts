// Colours of the charts: Grafana's named colours and classic palette (mid-tones, readable on the light and the
// dark background), and the page's theme colours read from its CSS variables at draw time (ui.css).

const NAMED: Readonly<Record<string, string>> = {
  green: '#73BF69', 'dark-green': '#37872D', 'semi-dark-green': '#56A64B', 'light-green': '#96D98D',
  red: '#F2495C', 'dark-red': '#C4162A', 'semi-dark-red': '#E02F44', 'light-red': '#FF7383',
  blue: '#5794F2', 'dark-blue': '#1F60C4', 'semi-dark-blue': '#3274D9', 'light-blue': '#8AB8FF',
  orange: '#FF9830', 'dark-orange': '#FA6400', 'semi-dark-orange': '#FF780A', 'light-orange': '#FFB357',
  yellow: '#FADE2A', 'dark-yellow': '#E0B400', 'semi-dark-yellow': '#F2CC0C', 'light-yellow': '#FFEE52',
  purple: '#B877D9', 'dark-purple': '#8F3BB8', 'semi-dark-purple': '#A352CC', 'light-purple': '#CA95E5',
  transparent: 'transparent',
};

/** Grafana's classic palette order. */
export const PALETTE: readonly string[] = ['#73BF69', '#F2CC0C', '#8AB8FF', '#FF780A', '#F2495C', '#5794F2', '#B877D9', '#705DA0', '#37872D', '#FADE2A', '#447EBC', '#C15C17', '#890F02', '#0A437C', '#6D1F62'];

export interface Theme {
  readonly fg: string;
  readonly muted: string;
  readonly line: string;
  readonly bg: string;
  readonly panel: string;
}

function cssVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value === '' ? fallback : value;
}

/** The theme as the page shows it now (light or dark: prefers-color-scheme). */
export function theme(): Theme {
  return { fg: cssVar('--fg', '#1f2937'), muted: cssVar('--muted', '#6b7280'), line: cssVar('--line', '#e5e7eb'), bg: cssVar('--bg', '#ffffff'), panel: cssVar('--panel', '#f9fafb') };
}

/** A Grafana colour name ('green', 'dark-red', 'text'), or any CSS colour as is. */
export function namedColor(name: string | undefined, fallback?: string): string {
  if (name === undefined || name === '') return fallback ?? theme().fg;
  if (name === 'text') return theme().fg;
  return NAMED[name] ?? name;
}

export function paletteColor(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}

/** `color` (#rrggbb) with `alpha` (0..1); other notations as they are. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  if (hex === null) return color;
  const n = Number.parseInt(hex[1]!, 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/** Calls `redraw` when the colour scheme changes (the charts' canvas colours are set when they are drawn). */
export function onSchemeChange(redraw: () => void): void {
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', redraw);
}
