// `npm run worker`: bundles the worker (lib/delivery/worker-main.ts and what it imports from this project) into one
// CommonJS file with esbuild, about 50 ms, and runs it in this process. Packages stay in node_modules. Nothing compiles
// TypeScript while it runs: under tsx, the loader's thread and caches stayed resident (113 against 81 MiB of RSS idle;
// peaks in bench:delivery 131–150 against 111–147 MiB).
const { buildSync } = require('esbuild');
const { createHash } = require('node:crypto');
const { existsSync, mkdirSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const dir = path.join(root, '.worker');
const [bundle] = buildSync({
  entryPoints: [path.join(root, 'lib/delivery/worker-main.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  tsconfig: path.join(root, 'tsconfig.json'),
  outfile: path.join(dir, 'worker.cjs'),
  write: false,
  logLevel: 'warning',
}).outputFiles;
// named by its content: workers starting at once from one checkout write the same file, each by an atomic rename
const name = `worker-${createHash('sha256').update(bundle.contents).digest('hex').slice(0, 16)}.cjs`;
const file = path.join(dir, name);
if (!existsSync(file)) {
  mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, bundle.contents);
  renameSync(tmp, file);
}
// bundles of older versions, once no worker can be starting from them
for (const f of readdirSync(dir)) {
  const p = path.join(dir, f);
  try {
    if (f !== name && Date.now() - statSync(p).mtimeMs > 3_600_000) unlinkSync(p);
  } catch {
    // another worker removed it first
  }
}
require(file);
