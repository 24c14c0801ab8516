// Fail if src/generated differs from what the current proto generates.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './generate.js';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const committed = join(root, 'src', 'generated');

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

const tmp = mkdtempSync(join(tmpdir(), 'latentgan-gen-'));
try {
  generate(tmp);
  const want = files(tmp);
  const have = files(committed);
  const problems: string[] = [];
  for (const [name, text] of want) {
    if (!have.has(name)) problems.push(`missing: src/generated/${name}`);
    else if (have.get(name) !== text) problems.push(`differs: src/generated/${name}`);
  }
  for (const name of have.keys()) if (!want.has(name)) problems.push(`stale: src/generated/${name}`);
  if (problems.length) {
    console.error(problems.join('\n'));
    console.error('src/generated is out of date: run `npm run generate` and commit the result.');
    process.exit(1);
  }
  console.log(`src/generated is up to date (${want.size} files).`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
