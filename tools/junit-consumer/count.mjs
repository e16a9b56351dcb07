// Reads a junit.xml the way two JUnit consumers from the npm registry do,
// and prints what each counted as JSON on stdout:
//
//   junit-to-ctrf        reads every <testcase> (its parser, then its CTRF
//                        summary, as CTRF dashboards show it)
//   junit-report-merger  rolls the <testsuite> count attributes up into
//                        <testsuites>, as report-merging CI steps do
//
// Usage: node count.mjs path/to/junit.xml
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { convertJUnitToCTRFReport } from 'junit-to-ctrf';
import { parseJUnitReport } from 'junit-to-ctrf/dist/read.js';

const require = createRequire(import.meta.url);
const { mergeToString } = require('junit-report-merger');

const file = process.argv[2];
if (!file) {
  console.error('usage: node count.mjs junit.xml');
  process.exit(2);
}

const cases = await parseJUnitReport(file);
// convertJUnitToCTRFReport returns null for a file without testcases.
const ctrf = await convertJUnitToCTRFReport(file);
const summary = ctrf ? ctrf.results.summary : { tests: 0, passed: 0, failed: 0, skipped: 0 };

const merged = await mergeToString([await readFile(file, 'utf8')]);
const root = merged.match(/<testsuites\b[^>]*>/);
if (!root) {
  throw new Error('junit-report-merger wrote no <testsuites>: ' + merged.slice(0, 200));
}
const attr = (name) => {
  const m = root[0].match(new RegExp('\\s' + name + '="([^"]*)"'));
  return m ? Number(m[1]) : 0;
};

console.log(JSON.stringify({
  'junit-to-ctrf': {
    tests: cases.length,
    failures: cases.filter((c) => c.hasFailure).length,
    errors: cases.filter((c) => c.hasError).length,
    skipped: cases.filter((c) => c.skipped).length,
    names: cases.map((c) => `${c.suite}/${c.classname}/${c.name}`),
    ctrf: {
      tests: summary.tests,
      passed: summary.passed,
      failed: summary.failed,
      skipped: summary.skipped,
    },
  },
  'junit-report-merger': {
    tests: attr('tests'),
    failures: attr('failures'),
    errors: attr('errors'),
    skipped: attr('skipped'),
  },
}, null, 2));
