// The embedded database server: PGlite opened under a directory lock (from a cached template), served over
// the PostgreSQL wire protocol to the other processes of the machine, and the process identity that tells a
// live lock holder from a dead or reused PID. Nothing here knows about metrics or runs.
export { openPglite, DiskFullError, freeBytes, MIN_FREE_TO_CREATE, MIN_FREE_TO_OPEN, type OpenPgliteOptions } from './open-pglite.js';
export { DirectoryLockedError, lockDirectory, type LockOptions } from './dir-lock.js';
export { sharePglite, findSharedPglite, advertisementFile, type PgliteShare, type SharedPglite, type SharePgliteOptions } from './pglite-share.js';
export { passwordFile, readSharePassword } from './share-password.js';
export { currentProcess, isAlive, processStart, type ProcessIdentity } from './process-identity.js';
