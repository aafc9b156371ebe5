// Writes the generated pages of the manual from the compiled sources (run `npm run build` first):
// docs/cli.md from commander's definitions, docs/configuration-reference.md from the configuration's zod schema.
// `node tools/write-docs.mjs` writes them; `--check` only says which are stale (exit 1). Tests run the same check.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { cliReference } = await import(join(root, 'dist/cli/reference.js'));
const { configurationReference } = await import(join(root, 'dist/config/reference.js'));

const pages = { 'docs/cli.md': cliReference(), 'docs/configuration-reference.md': configurationReference() };
const check = process.argv.includes('--check');
let stale = 0;
for (const [file, text] of Object.entries(pages)) {
  let old = '';
  try {
    old = readFileSync(join(root, file), 'utf8');
  } catch {
    // Not written yet.
  }
  if (old === text) continue;
  stale++;
  if (check) process.stderr.write(`${file} is stale: run npm run build && node tools/write-docs.mjs\n`);
  else {
    writeFileSync(join(root, file), text);
    process.stdout.write(`${file}\n`);
  }
}
process.exit(check && stale > 0 ? 1 : 0);
