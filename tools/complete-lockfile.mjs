// Adds lock entries for platform-specific optional dependencies that npm left out of package-lock.json.
// Why: this machine's registry lacks other platforms' builds (e.g. @rollup/rollup-android-arm-eabi), so
// `npm install` skips them and does not record them, and `npm ci` then rejects the lock as out of sync
// (npm/cli#4828, npm/cli#9846). An entry with the package's os/cpu/libc (read from its name) lets
// `npm ci` accept the lock and skip the package on this platform. Run after `npm install`.
import { readFileSync, writeFileSync } from 'node:fs';

const OS = ['darwin', 'linux', 'win32', 'android', 'freebsd', 'openbsd', 'netbsd', 'sunos', 'aix', 'openharmony'];
const CPU = ['arm64', 'x64', 'arm', 'ia32', 'riscv64', 's390x', 'ppc64', 'loong64', 'mips64el', 'wasm32'];

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;
let added = 0;
for (const [location, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${location ? `${location}/` : ''}node_modules/${name}`;
    if (packages[nested] || packages[`node_modules/${name}`]) continue;
    const parts = name.split('/').pop().split('-');
    const os = parts.find((p) => OS.includes(p));
    const cpu = parts.find((p) => CPU.includes(p)) ?? (parts.includes('arm') ? 'arm' : undefined);
    const libc = parts.includes('musl') || parts.includes('musleabihf') ? 'musl' : parts.includes('gnu') || parts.includes('gnueabihf') ? 'glibc' : undefined;
    const placeholder = { version: String(version).replace(/^[\^~]/, ''), optional: true };
    if (os) placeholder.os = [os];
    if (cpu) placeholder.cpu = [cpu];
    if (libc && os === 'linux') placeholder.libc = [libc];
    packages[`node_modules/${name}`] = placeholder;
    added += 1;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.error(`complete-lockfile: added ${added} optional platform entr${added === 1 ? 'y' : 'ies'}`);
