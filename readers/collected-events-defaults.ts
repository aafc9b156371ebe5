// What the collected-events reader reads by default: the collector's raw table, through the collector's source,
// with that table's own columns, people stitched. Apart from its definition so the events options' schema
// (which both readers share) can name these defaults without an import cycle.

/** The raw table in the default metrics schema; set `table` for another schema (`<schema>.events`). */
export const COLLECTED_EVENTS_TABLE = 'etl.events';
/** The SQL source the collector's table is read through (the collector's `source` key, default 'collector'). */
export const COLLECTED_EVENTS_SOURCE = 'collector';
/** visitor_id: the identified user, else the browser's anonymous id; duration_ms: the tracker's timings. */
export const COLLECTED_EVENTS_COLUMNS = Object.freeze({ user: 'visitor_id', duration: 'duration_ms' });
/** An anonymous id linked to a user (identify, alias, or a message with both ids) counts as that user. */
export const COLLECTED_EVENTS_IDENTITY = 'stitched';
