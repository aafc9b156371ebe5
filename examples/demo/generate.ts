// Deterministic sample data of the demo "website": users, API keys, spider statuses and product events.
// Every value comes from a seeded PRNG keyed by what it describes (a user id, an hour), so the data of an
// hour is the same whenever, and however many times, it is generated.

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

export const DEMO_USERS = 500;
export const DEMO_API_KEYS = 320;
export const DEMO_SPIDERS = 12;
export const DEMO_HISTORY_DAYS = 21;

/** mulberry32 over a 32-bit seed mixed from the demo seed and a key. */
export function prng(seed: number, ...keys: number[]): () => number {
  let h = seed >>> 0;
  for (const key of keys) {
    h = Math.imul(h ^ (key >>> 0), 0x9e3779b1) >>> 0;
    h = Math.imul(h ^ Math.floor(key / 2 ** 32), 0x85ebca6b) >>> 0;
    h ^= h >>> 15;
  }
  let a = h;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface DemoUser {
  readonly id: number;
  readonly email: string;
  readonly plan: 'free' | 'pro' | 'team';
  readonly createdAt: number;
}

export interface DemoApiKey {
  readonly id: number;
  readonly userId: number;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

export interface DemoSpider {
  readonly spider: string;
  readonly status: 'active' | 'idle' | 'error';
  readonly updatedAt: number;
}

export interface DemoEvent {
  readonly createdAt: number;
  readonly event: string;
  readonly userId: number | null;
  readonly durationMs: number | null;
}

/** Users created over the year before `origin` (the instant the demo database was first seeded). */
export function demoUsers(seed: number, origin: number): DemoUser[] {
  return Array.from({ length: DEMO_USERS }, (_, i) => {
    const r = prng(seed, 1, i);
    const p = r();
    return { id: i + 1, email: `user${i + 1}@example.com`, plan: p < 0.8 ? 'free' : p < 0.95 ? 'pro' : 'team', createdAt: origin - Math.floor(r() * 365 * 24) * HOUR_MS };
  });
}

/** API keys of random users; about one in eight revoked. */
export function demoApiKeys(seed: number, origin: number): DemoApiKey[] {
  return Array.from({ length: DEMO_API_KEYS }, (_, i) => {
    const r = prng(seed, 2, i);
    const createdAt = origin - Math.floor(r() * 300 * 24) * HOUR_MS;
    return { id: i + 1, userId: 1 + Math.floor(r() * DEMO_USERS), createdAt, revokedAt: r() < 0.125 ? createdAt + Math.floor(r() * 30 * 24) * HOUR_MS : null };
  });
}

/**
 * The spiders' latest heartbeats at `now`: how many are busy varies with the 5-minute slot; one is in
 * error; two stopped reporting an hour ago (stale for any look-back under an hour).
 */
export function demoSpiders(seed: number, now: number): DemoSpider[] {
  const slot = Math.floor(now / (5 * MINUTE_MS));
  const r = prng(seed, 3, slot);
  const active = 3 + Math.floor(r() * 6);
  return Array.from({ length: DEMO_SPIDERS }, (_, i) => {
    const spider = `spider-${String(i + 1).padStart(2, '0')}`;
    if (i >= DEMO_SPIDERS - 2) return { spider, status: 'active', updatedAt: now - (60 + i) * MINUTE_MS };
    if (i === DEMO_SPIDERS - 3) return { spider, status: 'error', updatedAt: now - 4 * MINUTE_MS };
    return { spider, status: i < active ? 'active' : 'idle', updatedAt: now - Math.floor(r() * 3 * MINUTE_MS) };
  });
}

const EVENTS: ReadonlyArray<{ readonly name: string; readonly weight: number; readonly timed?: readonly [number, number] }> = [
  { name: 'page_view', weight: 55 },
  { name: 'search', weight: 18, timed: [40, 900] },
  { name: 'api_call', weight: 15, timed: [5, 400] },
  { name: 'export', weight: 5, timed: [300, 6000] },
  { name: 'login', weight: 5 },
  { name: 'signup', weight: 2 }, // drawn, then left out: sign-ups are a stream of their own (demoSignupsOfHour)
];
const TOTAL_WEIGHT = EVENTS.reduce((sum, e) => sum + e.weight, 0);

/** Share of the day's traffic in a UTC hour (0 at 06:00, 1 at 18:00) and the weekend's factor. */
function trafficOf(hourStart: number): { readonly daylight: number; readonly weekend: number } {
  const at = new Date(hourStart);
  return { daylight: Math.sin((Math.PI * ((at.getUTCHours() + 18) % 24)) / 24) ** 2, weekend: at.getUTCDay() === 0 || at.getUTCDay() === 6 ? 0.5 : 1 };
}

/** Sign-ups get user ids of their own above the demo users': 50 a UTC hour (more than an hour ever has), cycling every 100,000 hours. */
const SIGNUP_IDS_FROM = DEMO_USERS + 1;
const SIGNUP_IDS_PER_HOUR = 50;
const SIGNUP_ID_HOURS = 100_000;
/** Anonymous visitors' ids: drawn from [10,000,000, 2,010,000,000), inside a PostgreSQL int. */
const VISITOR_IDS_FROM = 10_000_000;
const VISITOR_IDS = 2_000_000_000;
/** Visitors per expected sign-up: one visitor in 16 signs up (6.25%), less the demo users' own page views. */
const VISITORS_PER_SIGNUP = 16;

/** Sign-ups expected in a UTC hour: 12 at night, up to 30 on weekday afternoons (21 on weekends). */
function signupRate(hourStart: number): number {
  const { daylight, weekend } = trafficOf(hourStart);
  return 12 + 18 * daylight * weekend;
}

/**
 * Sign-ups of an hour, a stream of their own: the expected count (signupRate) +-10%. Enough in every hour
 * that an hour without any is an anomaly an hourly check can see (a count's noise is the square root of its
 * median: 0 against 11 scores -3.3); the noise is bounded, under a Poisson count's, so the same hour of past
 * weeks stays within the band of a threshold of 3. Each sign-up is a new person: a user id of its own, from
 * the hour and its index.
 */
function demoSignupsOfHour(seed: number, hourStart: number): DemoEvent[] {
  const r = prng(seed, 5, hourStart / HOUR_MS);
  const count = Math.round(signupRate(hourStart) * (0.9 + 0.2 * r()));
  const firstId = SIGNUP_IDS_FROM + ((hourStart / HOUR_MS) % SIGNUP_ID_HOURS) * SIGNUP_IDS_PER_HOUR;
  return Array.from({ length: count }, (_, i) => ({ createdAt: hourStart + Math.floor(r() * HOUR_MS), event: 'signup', userId: firstId + i, durationMs: null }));
}

/**
 * Anonymous visitors of an hour, a page view each: 16 per expected sign-up (190 an hour at night, up to 480
 * on weekday afternoons) +-10%, each with a visitor id of its own drawn from a range far above the users'.
 */
function demoVisitorsOfHour(seed: number, hourStart: number): DemoEvent[] {
  const r = prng(seed, 6, hourStart / HOUR_MS);
  const count = Math.round(VISITORS_PER_SIGNUP * signupRate(hourStart) * (0.9 + 0.2 * r()));
  return Array.from({ length: count }, () => ({ createdAt: hourStart + Math.floor(r() * HOUR_MS), event: 'page_view', userId: VISITOR_IDS_FROM + Math.floor(r() * VISITOR_IDS), durationMs: null }));
}

/**
 * Events of the UTC hour starting at `hourStart`: more by day than by night, fewer on weekends. The demo
 * users' events come from a weighted draw; sign-ups (new users) and anonymous visitors' page views from streams
 * of their own (demoSignupsOfHour, demoVisitorsOfHour). Sign-ups the weighted draw picks are drawn (so every
 * other event is as it was) and left out.
 */
export function demoEventsOfHour(seed: number, hourStart: number): DemoEvent[] {
  const r = prng(seed, 4, hourStart / HOUR_MS);
  const { daylight, weekend } = trafficOf(hourStart);
  const count = Math.round((15 + 110 * daylight) * weekend * (0.8 + 0.4 * r()));
  const events = [...demoSignupsOfHour(seed, hourStart), ...demoVisitorsOfHour(seed, hourStart)];
  for (let i = 0; i < count; i++) {
    const createdAt = hourStart + Math.floor(r() * HOUR_MS);
    let pick = r() * TOTAL_WEIGHT;
    const kind = EVENTS.find((e) => (pick -= e.weight) < 0) ?? EVENTS[0]!;
    // A few heavy users and a long tail; some page views are anonymous.
    const userId = kind.name === 'page_view' && r() < 0.2 ? null : 1 + Math.floor(r() ** 2 * DEMO_USERS);
    const durationMs = kind.timed === undefined ? null : Math.round(kind.timed[0] + (kind.timed[1] - kind.timed[0]) * r() ** 3);
    if (kind.name !== 'signup') events.push({ createdAt, event: kind.name, userId, durationMs });
  }
  return events.sort((a, b) => a.createdAt - b.createdAt);
}

/** Every demo event with `from <= createdAt < to`. */
export function demoEvents(seed: number, from: number, to: number): DemoEvent[] {
  const out: DemoEvent[] = [];
  for (let hour = Math.floor(from / HOUR_MS) * HOUR_MS; hour < to; hour += HOUR_MS) {
    for (const e of demoEventsOfHour(seed, hour)) if (e.createdAt >= from && e.createdAt < to) out.push(e);
  }
  return out;
}
