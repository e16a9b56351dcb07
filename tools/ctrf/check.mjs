// Checks an ocicaps ctrf.json with two tools from the npm registry, and
// prints what each found as JSON on stdout:
//
//   ctrf                 the CTRF reference implementation: the document's
//                        specVersion must be one it supports, and it must
//                        validate against that version's JSON schema
//   github-actions-ctrf  the CTRF GitHub test reporter, as a CI job runs it:
//                        its "summary" and "tests" views are written to a
//                        step summary file, then read back (counts, and
//                        each test's name and status as it shows them)
//
// The reporter runs with a fake GitHub context pointing at a closed
// loopback port, and only views that read the file: nothing leaves the
// machine.
//
// Usage: node check.mjs path/to/ctrf.json
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validate, getSupportedSpecVersions } from 'ctrf';

const file = process.argv[2];
if (!file) {
  console.error('usage: node check.mjs ctrf.json');
  process.exit(2);
}
const report = JSON.parse(await readFile(file, 'utf8'));
const supported = getSupportedSpecVersions();
const versionOK = supported.includes(report.specVersion);
const result = versionOK ? validate(report, { specVersion: report.specVersion }) : { valid: false, errors: [] };

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.join(here, 'node_modules', 'github-actions-ctrf', 'dist', 'core', 'cli.js');
const dir = await mkdtemp(path.join(tmpdir(), 'ctrf-reporter-'));
const view = async (name) => {
  const summary = path.join(dir, name + '.md');
  await writeFile(summary, ''); // @actions/core appends to an existing file only
  execFileSync(process.execPath, [cli, name, path.resolve(file), '--annotate', 'false'], {
    env: {
      PATH: process.env.PATH, HOME: dir, GITHUB_STEP_SUMMARY: summary,
      GITHUB_REPOSITORY: 'example/ocicaps', GITHUB_RUN_ID: '1',
      GITHUB_SERVER_URL: 'http://127.0.0.1:9', GITHUB_API_URL: 'http://127.0.0.1:9',
    },
    stdio: ['ignore', 'pipe', 'inherit'], // its errors are ::error:: lines on stdout
  });
  return readFile(summary, 'utf8');
};
const rows = (md) => md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| **') && !l.startsWith('| ---'))
  .map((l) => l.slice(2, -2).split(' | '));
const [counts] = rows(await view('summary'));
const icons = { '✅': 'passed', '❌': 'failed', '⏭️': 'skipped', '⏳': 'pending', '❓': 'other' };
const tests = rows(await view('tests')).map(([name, status]) => ({ name, status: icons[status] ?? status }));
await rm(dir, { recursive: true, force: true });

console.log(JSON.stringify({
  ctrf: {
    supportedSpecVersions: supported,
    specVersion: report.specVersion,
    valid: result.valid,
    errors: result.errors,
  },
  'github-actions-ctrf': {
    summary: {
      tests: Number(counts[0]), passed: Number(counts[1]), failed: Number(counts[2]),
      skipped: Number(counts[3]), pending: Number(counts[4]), other: Number(counts[5]),
    },
    tests,
  },
}, null, 2));
