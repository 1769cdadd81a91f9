// The whole test suite: builds the app (the browser and sandbox tests serve the real build), runs
// vitest (unit, integration on real PostgreSQL + Redis, emulator, browser) and ends with a plain
// "N passed, N failed" line. `npm test [-- <vitest filters>]`.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const bin = (name: string) => path.join(root, "node_modules/.bin", name);
const resultsFile = path.join(root, ".data/test-results.json");
fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
const failuresFile = path.join(root, ".data/test-failures.txt");
fs.rmSync(resultsFile, { force: true });
fs.writeFileSync(failuresFile, "");
const firstLine = (m?: string) =>
  (m ?? "")
    .split("\n")
    .find((l) => l.trim())
    ?.trim()
    .slice(0, 300) ?? "";

const build = spawnSync(bin("remix"), ["build"], { cwd: root, stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
if (build.status !== 0) {
  console.log("0 passed, 1 failed");
  process.exit(1);
}

const vitest = spawnSync(
  bin("vitest"),
  ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${resultsFile}`, ...process.argv.slice(2)],
  { cwd: root, stdio: "inherit", env: { ...process.env, NODE_ENV: "test" } },
);

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const r = JSON.parse(fs.readFileSync(resultsFile, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    testResults: Array<{
      name: string;
      status: string;
      message?: string;
      assertionResults: Array<{ status: string; fullName?: string; title: string; failureMessages?: string[] }>;
    }>;
  };
  passed = r.numPassedTests;
  // A file that fails before its tests run (a failing beforeAll, an import error) has no failed
  // test of its own: count it as one failure so it cannot hide behind "skipped".
  const brokenFiles = r.testResults.filter((f) => f.status === "failed" && !f.assertionResults.some((a) => a.status === "failed")).length;
  failed = r.numFailedTests + brokenFiles;
  skipped = r.numPendingTests + r.numTodoTests;
  // CI shows only the tail of its log, after the benchmarks: name every failure in a file that
  // .ci/run prints again just before its summary line.
  const lines: string[] = [];
  for (const f of r.testResults) {
    const file = path.relative(root, f.name);
    for (const a of f.assertionResults) {
      if (a.status === "failed") lines.push(`FAILED ${file} > ${a.fullName ?? a.title}: ${firstLine(a.failureMessages?.[0])}`);
      else if (a.status === "pending" || a.status === "skipped" || a.status === "todo")
        lines.push(`skipped ${file} > ${a.fullName ?? a.title}`);
    }
    if (f.status === "failed" && !f.assertionResults.some((a) => a.status === "failed"))
      lines.push(`FAILED ${file} (before its tests ran): ${firstLine(f.message)}`);
  }
  fs.writeFileSync(failuresFile, lines.length ? lines.join("\n") + "\n" : "");
  if (lines.length) console.log(lines.join("\n"));
} catch {
  failed = Math.max(1, failed);
}
if (vitest.status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
