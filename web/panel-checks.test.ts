// Which metrics a panel's expanded SQL names: equal literals and IN lists, LIKE patterns (with their escapes),
// starts_with prefixes; a NOT LIKE excludes what it matches; quotes doubled inside a literal.
import { describe, expect, it } from 'vitest';
import { sqlLiterals, sqlNamesMetric } from './panel-checks.js';

const names = (sql: string, metric: string): boolean => sqlNamesMetric(sqlLiterals(sql), metric);

describe('sqlNamesMetric', () => {
  it('reads equal literals and IN lists', () => {
    expect(names("WHERE m.name = 'shop.orders.count'", 'shop.orders.count')).toBe(true);
    expect(names("WHERE m.name IN ('a.b', 'shop.orders.count')", 'shop.orders.count')).toBe(true);
    expect(names("WHERE m.name = 'shop.orders.count2'", 'shop.orders.count')).toBe(false);
    expect(names("WHERE m.name = 'o''brien.x'", "o'brien.x")).toBe(true);
  });

  it('reads LIKE patterns with their escapes, NOT LIKE excluding', () => {
    const sql = "WHERE m.name LIKE 'events.%.users' AND m.name NOT LIKE 'events.%.%.users'";
    expect(names(sql, 'events.signup.users')).toBe(true);
    expect(names(sql, 'events.signup.by_campaign.users')).toBe(false);
    expect(names("WHERE m.name LIKE 'events.%.duration\\_p95'", 'events.a.duration_p95')).toBe(true);
    expect(names("WHERE m.name LIKE 'events.%.duration\\_p95'", 'events.a.durationXp95')).toBe(false);
    expect(names("WHERE m.name ilike\n  'shop._'", 'shop.x')).toBe(true);
  });

  it('reads starts_with prefixes, and ignores literals that are not compared with a name', () => {
    expect(names("WHERE starts_with(m.name, 'http.requests.')", 'http.requests.blog')).toBe(true);
    expect(names("WHERE starts_with(m.name, 'http.requests.')", 'http.errors')).toBe(false);
    expect(names("SELECT v.date + v.hour * interval '1 hour'", 'shop.orders.count')).toBe(false);
  });
});
