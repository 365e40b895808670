import { defineConfig } from 'vitest/config';
import path from 'node:path';

const shared = {
  alias: { '@': path.resolve(import.meta.dirname) },
};
const server = { deps: { inline: ['next-auth'] } };

// Unit tests (no database), then the integration suites (*.int.test.ts) once on PGlite and once on PostgreSQL.
export default defineConfig({
  resolve: shared,
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        resolve: shared,
        test: {
          name: 'unit',
          include: ['lib/**/*.test.ts', 'db/**/*.test.ts', 'app/**/*.test.ts', 'components/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          testTimeout: 30_000,
          server,
        },
      },
      ...(['pglite', 'postgres'] as const).map((kind) => ({
        resolve: shared,
        test: {
          name: kind,
          include: ['lib/**/*.int.test.ts', 'db/**/*.int.test.ts', 'app/**/*.int.test.ts'],
          env: { TEST_DB: kind },
          testTimeout: 30_000,
          hookTimeout: 30_000,
          server,
        },
      })),
    ],
  },
});
