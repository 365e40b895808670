import { readFileSync } from 'node:fs';
import path from 'node:path';

// The node arguments of an npm script written as `node <args>` in package.json, so that tests and benches start the
// process exactly as `npm run <name>` does, yet as their own direct child (its pid, RSS and signals its own, not npm's).
export function npmScriptArgs(name: string): string[] {
  const pkg = JSON.parse(readFileSync(path.resolve('package.json'), 'utf8')) as { scripts: Record<string, string> };
  const [command, ...args] = (pkg.scripts[name] ?? '').trim().split(/\s+/);
  if (command !== 'node') throw new Error(`npm script "${name}" is not "node <args>": ${pkg.scripts[name]}`);
  return args;
}
