import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WireFormat } from './types';

// One receiver example the dashboard shows for a format.
export type Snippet = { language: 'node' | 'python' | 'go'; filename: string; code: string };

const LANGUAGES = [
  { language: 'node', extension: 'node.js' },
  { language: 'python', extension: 'py' },
  { language: 'go', extension: 'go' },
] as const;

// The receiver code for a format in Node (Express), Python and Go, read from lib/signing/snippets/ at call time.
export function getSnippets(format: WireFormat): Snippet[] {
  if (format !== 'standard' && format !== 'axifi' && format !== 'axle') {
    throw new Error(`unknown format ${JSON.stringify(format)}: expected "standard", "axifi" or "axle".`);
  }
  const dir = snippetsDir();
  return LANGUAGES.map(({ language, extension }) => {
    const filename = `${format}.${extension}`;
    return { language, filename, code: readFileSync(path.join(dir, filename), 'utf8') };
  });
}

// Beside this module when it runs from source; from the project root when a bundler moved the module.
function snippetsDir(): string {
  const candidates: string[] = [];
  try {
    candidates.push(path.join(path.dirname(fileURLToPath(import.meta.url)), 'snippets'));
  } catch {
    // import.meta.url is not a file: URL in some bundles.
  }
  candidates.push(path.resolve(process.cwd(), 'lib/signing/snippets'));
  const found = candidates.find((dir) => existsSync(path.join(dir, 'standard.go')));
  if (!found) throw new Error(`receiver snippets not found in ${candidates.join(' or ')}; run the server from the project root.`);
  return found;
}
