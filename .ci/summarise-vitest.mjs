// Reads vitest's JSON report and ends with the plain "N passed, N failed" line CI reads. Fails (exit 1) on a
// missing report, zero tests, any failed test, any test file that failed to load, and any skipped test that is
// not on the allow-list (.ci/allowed-skips.json: file, full test name and the reason it may skip).
// Usage: node .ci/summarise-vitest.mjs <vitest.json> [allowed-skips.json]
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';

const [reportPath, allowListPath] = process.argv.slice(2);
const root = resolve(new URL('..', import.meta.url).pathname);

let report;
try {
  report = JSON.parse(readFileSync(reportPath, 'utf8'));
} catch {
  console.log(`no vitest report at ${reportPath}: the test command did not run to completion`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

let allowed = [];
if (allowListPath) {
  try {
    allowed = JSON.parse(readFileSync(allowListPath, 'utf8')).allowed;
    if (!Array.isArray(allowed) || allowed.some((entry) => !entry.file || !entry.test || !entry.reason)) {
      throw new Error('every entry needs file, test and reason');
    }
  } catch (error) {
    console.log(`unreadable allow-list ${allowListPath}: ${error.message}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

const files = report.testResults ?? [];
const tests = files.flatMap((file) =>
  (file.assertionResults ?? []).map((test) => ({ ...test, file: relative(root, resolve(root, file.name)) })),
);
const passed = tests.filter((test) => test.status === 'passed').length;
// A file that fails to load has no failed test of its own: count each such file once, so it cannot pass unnoticed.
const brokenFiles = files.filter(
  (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
);
const failedTests = tests.filter((test) => test.status === 'failed').length;
// Everything neither passed nor failed (skipped, todo, pending) counts as skipped.
const skipped = tests.filter((test) => test.status !== 'passed' && test.status !== 'failed');
const isAllowed = (test) => allowed.some((entry) => entry.file === test.file && entry.test === test.fullName);
const unexpected = skipped.filter((test) => !isAllowed(test));

for (const file of brokenFiles)
  console.log(`file failed to load: ${relative(root, resolve(root, file.name))}: ${file.message}`);
for (const test of unexpected) console.log(`skipped, not allowed: ${test.file} > ${test.fullName}`);
const failed = failedTests + brokenFiles.length + unexpected.length;
console.log(
  `${skipped.length} skipped (${skipped.length - unexpected.length} allowed by ${allowListPath ?? 'no allow-list'})`,
);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
