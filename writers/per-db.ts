// One answer per opened metrics database (each run opens its own): a promise cached per handle.
import type { MetricsDb } from './metrics-db.js';

/**
 * Wraps `ask` so that it runs once per database handle; later callers share its promise. A failed
 * attempt is not cached: the next caller asks again (and reports its own failure).
 */
export function oncePerDb<T>(ask: (db: MetricsDb) => Promise<T>): (db: MetricsDb) => Promise<T> {
  const answers = new WeakMap<MetricsDb, Promise<T>>();
  return (db) => {
    let answer = answers.get(db);
    if (answer === undefined) {
      answer = ask(db);
      answers.set(db, answer);
      answer.catch(() => answers.delete(db));
    }
    return answer;
  };
}
