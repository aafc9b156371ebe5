// Content negotiation for /metrics: a browser (Accept: text/html...) gets the metric explorer, Prometheus
// (application/openmetrics-text, text/plain) and anything else (curl's */*, no header) the self-metrics text.

interface Accepted {
  readonly type: string;
  readonly q: number;
}

function accepted(header: string): Accepted[] {
  return header.split(',').flatMap((part) => {
    const [type = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    if (type === '') return [];
    const q = params.find((p) => p.startsWith('q='));
    const value = q === undefined ? 1 : Number(q.slice(2));
    return [{ type, q: Number.isFinite(value) ? value : 0 }];
  });
}

/** True when the Accept header names text/html (or XHTML) with a weight above every text format Prometheus reads. */
export function prefersHtml(header: string | undefined): boolean {
  if (header === undefined) return false;
  const types = accepted(header);
  const weight = (match: (type: string) => boolean): number => Math.max(0, ...types.filter((t) => match(t.type)).map((t) => t.q));
  const html = weight((t) => t === 'text/html' || t === 'application/xhtml+xml');
  const text = weight((t) => t === 'text/plain' || t === 'application/openmetrics-text');
  return html > 0 && html > text;
}
