// The readers this project ships, in the order `etl read all` runs them. A built-in reader is its code and
// its definition (readers/<name>-definition.ts) plus one line here; the wiring loops over this list.
import { collectedEventsDefinition } from './collected-events-definition.js';
import { eventsDefinition } from './events-definition.js';
import { googleAnalyticsDefinition } from './google-analytics-definition.js';
import { objectsDefinition } from './objects-definition.js';
import { prometheusDefinition } from './prometheus-definition.js';
import { spidersDefinition } from './spiders-definition.js';

export const BUILTIN_READERS = [objectsDefinition, spidersDefinition, eventsDefinition, collectedEventsDefinition, prometheusDefinition, googleAnalyticsDefinition] as const;
