// How much memory an embedded database takes: PostgreSQL's buffer pool of 16 MB, not the default 128 MB.
//
// PGlite keeps the pool in its WebAssembly memory, so each open database held up to 128 MB more of the process:
// with two (metrics and demo website) `etl read all` peaked at ~510 MB, ~290 MB with 16 MB pools, and a ten-year
// `etl read all --write` at ~670 MB, ~380 MB (bench:read-memory). Pages beyond the pool are read from the data
// directory's files through the system's file cache, which is shared and outside the process.
import { PGlite } from '@electric-sql/pglite';

const SHARED_BUFFERS = '16MB';

/** PGlite's start parameters with the smaller pool: for every database opened or created. */
export const EMBEDDED_START_PARAMS: readonly string[] = [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`];

/** Given to initdb when the template is made: written into its postgresql.conf, and ~100 MB less at its peak. */
export const EMBEDDED_INITDB_PARAMS: readonly string[] = ['-c', `shared_buffers=${SHARED_BUFFERS}`];
