// Prints the closing lines of the whole test command: each failed test with the first lines of its error,
// then "N passed, N failed, N skipped", so the end of a long log says what went wrong.
import { readFileSync, existsSync } from 'node:fs';
import { relative } from 'node:path';

let passed = 0, failed = 0, skipped = 0;
const failures = [];
const firstLines = (text) => String(text ?? '').replace(/\x1b\[[0-9;]*m/g, '').split('\n').filter((l) => l.trim()).slice(0, 4).join('\n    ');

const [vitestFile, playwrightFile] = process.argv.slice(2);
if (vitestFile && existsSync(vitestFile)) {
  const v = JSON.parse(readFileSync(vitestFile, 'utf8'));
  passed += v.numPassedTests ?? 0;
  failed += (v.numFailedTests ?? 0) + (v.numFailedTestSuites && !v.numFailedTests ? v.numFailedTestSuites : 0);
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
  for (const file of v.testResults ?? []) {
    const name = relative(process.cwd(), file.name ?? '');
    const failedTests = (file.assertionResults ?? []).filter((t) => t.status === 'failed');
    for (const t of failedTests) failures.push(`${name} › ${t.fullName}\n    ${firstLines(t.failureMessages?.join('\n'))}`);
    if (file.status === 'failed' && failedTests.length === 0) failures.push(`${name}\n    ${firstLines(file.message)}`);
  }
} else { failed += 1; failures.push('Vitest wrote no report'); }

if (playwrightFile && existsSync(playwrightFile)) {
  const report = JSON.parse(readFileSync(playwrightFile, 'utf8'));
  const s = report.stats ?? {};
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  failed += s.unexpected ?? 0;
  skipped += s.skipped ?? 0;
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== 'unexpected') continue;
        const last = test.results?.at(-1);
        failures.push(`${spec.file}:${spec.line} › ${spec.title}\n    ${firstLines(last?.error?.message ?? last?.errors?.[0]?.message)}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of report.suites ?? []) walk(suite);
  for (const e of report.errors ?? []) failures.push(`Playwright: ${firstLines(e.message)}`);
} else { failed += 1; failures.push('Playwright wrote no report'); }

if (failures.length) console.log(`\nFailed:\n${failures.map((f) => `  ✗ ${f}`).join('\n')}`);
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
