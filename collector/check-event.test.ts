// Events checked one by one: required fields, ISO times and the sentAt correction, the future limit, text PostgreSQL cannot store, properties, a Segment message's context and integrations.
import { describe, expect, it } from 'vitest';
import { checkEvent, MAX_PROPERTY_DEPTH, type CheckContext } from './check-event.js';
import { parseInstant } from './event-time.js';

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const ctx: CheckContext = { receivedAt: NOW, maxFutureMs: 600_000, maxPastMs: 30 * 86_400_000, propertyBytes: 1_000, messageBytes: 2_000, writeKey: 'site' };
const reason = (raw: unknown, c: CheckContext = ctx): string | undefined => {
  const checked = checkEvent(raw, c);
  return checked.ok ? undefined : checked.reason;
};

describe('parseInstant', () => {
  it('reads ISO 8601 instants with a zone, and epoch milliseconds', () => {
    expect(parseInstant('2026-12-01T10:00:00Z')).toBe(Date.UTC(2026, 11, 1, 10));
    expect(parseInstant('2026-12-01T10:00:00.123456+02:00')).toBe(Date.UTC(2026, 11, 1, 8, 0, 0, 123));
    expect(parseInstant('2026-12-01T10:00-0130')).toBe(Date.UTC(2026, 11, 1, 11, 30));
    expect(parseInstant(NOW)).toBe(NOW);
  });

  it('refuses times without a zone, impossible dates, other formats and times before 1970', () => {
    expect(parseInstant('2028-02-29T23:59:59.999Z')).toBe(Date.UTC(2028, 1, 29, 23, 59, 59, 999));
    for (const bad of ['2026-02-29T00:00:00.000Z', '2026-12-01T24:00:00.000Z', '2026-12-01T10:00:00.00xZ', '1969-12-31T23:59:59.999Z', '2026-12-01T10:00:00', '2026-02-30T00:00:00Z', '2026-12-01T24:00:00Z', 'December 1, 2026', '', '1969-12-31T23:59:59Z', -1, Number.NaN, true, null]) {
      expect(parseInstant(bad), String(bad)).toBeUndefined();
    }
  });
});

describe('checkEvent', () => {
  it('turns a valid event into a row: time corrected by the client clock error (sentAt), ids as text', () => {
    const sentAt = NOW - 3_600_000; // the client's clock is an hour behind
    const checked = checkEvent(
      { event: 'Sign Up', messageId: 'm-1', userId: 42, anonymousId: 'a-1', time: new Date(sentAt - 5_000).toISOString(), duration: 12.5, properties: { plan: 'pro' }, context: { ignored: true } },
      { ...ctx, sentAt },
    );
    expect(checked).toEqual({
      ok: true,
      row: {
        message_id: 'm-1', created_at: new Date(NOW - 5_000).toISOString(), event: 'Sign Up', user_id: '42', anonymous_id: 'a-1',
        duration_ms: 12.5, properties: '{"plan":"pro"}', write_key: 'site', received_at: new Date(NOW).toISOString(), type: 'track', context: null, integrations: null, previous_id: null,
      },
    });
    expect(checkEvent({ event: 'x', messageId: 'm' }, ctx)).toMatchObject({ ok: true, row: { created_at: new Date(NOW).toISOString(), user_id: null, properties: '{}' } });
  });

  it('names what is wrong', () => {
    expect(reason(null)).toBe('not an object');
    expect(reason([])).toBe('not an object');
    expect(reason({ messageId: 'm' })).toBe('event: required');
    expect(reason({ event: '  ', messageId: 'm' })).toBe('event: must not be empty');
    expect(reason({ event: 'x'.repeat(201), messageId: 'm' })).toBe('event: longer than 200 characters');
    expect(reason({ event: 'x' })).toBe('messageId: required');
    expect(reason({ event: 'x', messageId: 7 })).toBe('messageId: must be a string');
    expect(reason({ event: 'x', messageId: 'm', userId: {} })).toBe('userId: must be a string or a number');
    expect(reason({ event: 'x', messageId: 'm', time: 'yesterday' })).toMatch(/^time: not an ISO 8601 instant/);
    expect(reason({ event: 'x', messageId: 'm', duration: -1 })).toBe('duration: must be a number of milliseconds, 0 or more');
    expect(reason({ event: 'x', messageId: 'm', properties: [1] })).toBe('properties: must be an object');
  });

  it('takes the common case without the slow checks, with the same results', () => {
    // Blank to trim() but not ASCII: still "empty"; a canonical time is kept as sent, another form normalised.
    expect(reason({ event: '\u00a0', messageId: 'm' })).toBe('event: must not be empty');
    expect(reason({ event: 'x', messageId: ' m' })).toBeUndefined();
    const at = (time: string, more: Partial<CheckContext> = {}): unknown => (checkEvent({ event: 'x', messageId: 'm', time }, { ...ctx, ...more }) as { row?: { created_at: string } }).row?.created_at;
    expect(at('2026-12-01T10:00:00.000Z')).toBe('2026-12-01T10:00:00.000Z');
    expect(at('2026-12-01T10:00:00Z')).toBe('2026-12-01T10:00:00.000Z');
    expect(at('2026-12-01T10:00:00.000Z', { sentAt: NOW - 1_000 })).toBe('2026-12-01T10:00:01.000Z');
    // Flat properties with a \u escape, nested ones: scanned as before.
    expect(reason({ event: 'x', messageId: 'm', properties: { k: 'a\0' } })).toMatch(/NUL/);
    expect(reason({ event: 'x', messageId: 'm', properties: { k: { d: 'bad\udc00' } } })).toMatch(/lone UTF-16 surrogate/);
  });

  it('refuses events too far in the future, even after the sentAt correction', () => {
    expect(reason({ event: 'x', messageId: 'm', time: new Date(NOW + 2 * 3_600_000).toISOString() })).toBe("time: 2h ahead of the collector's clock (at most 10m accepted)");
    expect(reason({ event: 'x', messageId: 'm', time: new Date(NOW + 60_000).toISOString() })).toBeUndefined();
    // The client's clock is two hours ahead: corrected, the event is now.
    const ahead = NOW + 2 * 3_600_000;
    expect(reason({ event: 'x', messageId: 'm', time: new Date(ahead).toISOString() }, { ...ctx, sentAt: ahead })).toBeUndefined();
  });

  it('refuses events dated further back than maxPast, even after the sentAt correction (issue 18)', () => {
    expect(reason({ event: 'x', messageId: 'm', time: '1970-01-01T00:00:00.000Z' })).toBe("time: 20788d12h behind the collector's clock (at most 30d accepted)");
    expect(reason({ event: 'x', messageId: 'm', time: 0 })).toBe("time: 20788d12h behind the collector's clock (at most 30d accepted)");
    expect(reason({ event: 'x', messageId: 'm', time: new Date(NOW - 29 * 86_400_000).toISOString() })).toBeUndefined();
    expect(reason({ event: 'x', messageId: 'm', time: new Date(NOW - 3 * 86_400_000).toISOString() }, { ...ctx, maxPastMs: 86_400_000 })).toBe("time: 3d behind the collector's clock (at most 1d accepted)");
    // The client's clock is 40 days behind: corrected, the event is now.
    const behind = NOW - 40 * 86_400_000;
    expect(reason({ event: 'x', messageId: 'm', time: new Date(behind).toISOString() }, { ...ctx, sentAt: behind })).toBeUndefined();
  });

  it('refuses text PostgreSQL cannot store (NUL, lone surrogates), in fields, property keys and values', () => {
    expect(reason({ event: 'a\0b', messageId: 'm' })).toBe('event: contains a NUL character (\\u0000), which PostgreSQL cannot store');
    expect(reason({ event: 'x', messageId: 'm', properties: { 'k\0': 1 } })).toBe('properties: contain a NUL character (\\u0000), which PostgreSQL cannot store');
    expect(reason({ event: 'x', messageId: 'm', properties: { k: ['ok', { deep: 'bad\ud800' }] } })).toBe('properties: contain a lone UTF-16 surrogate (not valid Unicode)');
    expect(reason({ event: 'x', messageId: 'm', properties: { emoji: '\ud83d\ude00', text: 'a \\u0000 written out, "quoted" [not] {nesting}' } })).toBeUndefined();
  });

  it("keeps a Segment message's context and integrations as JSON (the own shape's are ignored), refused like properties", () => {
    const row = (raw: Record<string, unknown>) => (checkEvent({ event: 'x', messageId: 'm', ...raw }, ctx) as { row?: { context?: string | null; integrations?: string | null } }).row;
    expect(row({ type: 'track', context: { library: { name: 'l' } }, integrations: {} })).toMatchObject({ context: '{"library":{"name":"l"}}', integrations: '{}' });
    expect(row({ type: 'page', context: 'not an object', integrations: [1] })).toMatchObject({ context: null, integrations: null });
    expect(row({ context: { library: { name: 'l' } }, integrations: { All: false } })).toMatchObject({ context: null, integrations: null });
    let deep: unknown = 1;
    for (let i = 0; i < MAX_PROPERTY_DEPTH; i++) deep = { deep };
    expect(reason({ event: 'x', messageId: 'm', type: 'track', context: { deep } })).toBe(`context: nested deeper than ${MAX_PROPERTY_DEPTH} levels`);
    expect(reason({ event: 'x', messageId: 'm', type: 'track', integrations: { k: 'bad\udc00' } })).toBe('integrations: contain a lone UTF-16 surrogate (not valid Unicode)');
    expect(checkEvent({ event: 'x', messageId: 'm', type: 'track', context: { ua: 'é'.repeat(1_000) } }, ctx)).toEqual({ ok: false, reason: 'context: 2009 bytes of JSON, more than 2000 (collector.limits.messageBytes)', limit: 'messageBytes', max: 2000 });
  });

  it('refuses properties over the byte limit (naming it) or nested too deep (without recursing)', () => {
    const big = checkEvent({ event: 'x', messageId: 'm', properties: { text: 'é'.repeat(600) } }, ctx);
    expect(big).toEqual({ ok: false, reason: 'properties: 1211 bytes of JSON, more than 1000 (collector.limits.propertyBytes)', limit: 'propertyBytes', max: 1000 });
    for (const levels of [MAX_PROPERTY_DEPTH, 100_000]) {
      let deep: unknown = 1;
      for (let i = 0; i < levels; i++) deep = [deep];
      expect(reason({ event: 'x', messageId: 'm', properties: { deep } }, { ...ctx, propertyBytes: 1_000_000 })).toBe(`properties: nested deeper than ${MAX_PROPERTY_DEPTH} levels`);
    }
    let fits: unknown = 1;
    for (let i = 0; i < MAX_PROPERTY_DEPTH - 1; i++) fits = [fits];
    expect(reason({ event: 'x', messageId: 'm', properties: { fits } })).toBeUndefined();
  });
});
