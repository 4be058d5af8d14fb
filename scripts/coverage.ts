/**
 * `npm run coverage`: runs the Solidity and TypeScript tests under Hardhat's coverage, then prints line and branch
 * coverage per contract (see scripts/lib/coverage-report.ts for how branches are counted) and writes
 * `coverage/summary.json`. Hardhat's own report (`coverage/lcov.info`, `coverage/html/`) is kept.
 *
 *   npm run coverage                   # run the tests, then report
 *   npm run coverage -- --report-only  # report on the last run's data
 *
 * The build uses the `coverage` profile of hardhat.config.ts (optimizer off: the instrumented code does not compile
 * with it); Hardhat lifts the contract size limit of the in-process chains under coverage. TypeScript tests that run
 * a separate process (a `hardhat node`, `npm start`, a compile) are left out: their contracts run in that process,
 * outside the coverage, and that process would rebuild the artifacts the instrumented run uses.
 */
import { spawn } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

import {
  branchCoverage,
  formatCoverageTable,
  instrumentedStatements,
  parseLcov,
  type FileCoverage,
} from "./lib/coverage-report.ts";
import { CommandError, isMainModule, runCommand, type CommandSpec } from "./lib/cli.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const SOLC_VERSION = "0.8.30";
/** The goal for every contract. */
export const LINE_GOAL_PERCENT = 95;

/** TypeScript test files that start another process, with the reason, left out of the coverage run. */
export const OUT_OF_PROCESS_TESTS: Record<string, string> = {
  "test/ts/start.test.ts": "runs npm start (its own compile and hardhat node)",
  "test/ts/rpc-errors.test.ts": "deploys to a separate hardhat node, which keeps the contract size limit",
  "test/ts/cli/commands.test.ts": "runs the commands, one of them a compile, as child processes",
};

const spec = {
  name: "npm run coverage",
  usage: `Usage: npm run coverage [-- --report-only]

Runs the Solidity and TypeScript tests with Hardhat's coverage, then prints line and branch coverage per contract.

Options:
  --report-only   only report, from the data of the last run
  -h, --help      this text
`,
  options: { "report-only": { type: "boolean" } },
} satisfies CommandSpec;

async function filesUnder(dir: string, suffix: string): Promise<string[]> {
  const entries = await readdir(path.join(ROOT, dir), { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(suffix))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)))
    .sort();
}

/** The test files of the run: every Solidity test, and the TypeScript tests that run in this process. */
export async function coverageTestFiles(): Promise<{ files: string[]; left: string[] }> {
  const solidity = await filesUnder("test/solidity", ".t.sol");
  const typescript = (await filesUnder("test/ts", ".test.ts")).filter((f) => !(f in OUT_OF_PROCESS_TESTS));
  return { files: [...solidity, ...typescript], left: Object.keys(OUT_OF_PROCESS_TESTS) };
}

async function runTests(files: string[]): Promise<number> {
  const cli = path.join(
    path.dirname(createRequire(import.meta.url).resolve("hardhat/package.json")),
    "dist/src/cli.js",
  );
  const args = [cli, "--build-profile", "coverage", "test", "--coverage", ...files];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: "inherit" });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
}

/** Statement hits of the last run: tag → count, summed over every test runner's data. */
async function loadHits(): Promise<Map<string, number>> {
  const hits = new Map<string, number>();
  const dataDir = path.join(ROOT, "coverage", "data");
  let files: string[];
  try {
    files = (await readdir(dataDir, { recursive: true })).filter((f) => f.endsWith(".json"));
  } catch {
    throw new CommandError("no coverage data: run `npm run coverage` without --report-only first");
  }
  for (const file of files) {
    const counts = JSON.parse(await readFile(path.join(dataDir, file), "utf8")) as Record<string, number>;
    for (const [tag, n] of Object.entries(counts)) hits.set(tag, (hits.get(tag) ?? 0) + n);
  }
  return hits;
}

export async function report(): Promise<FileCoverage[]> {
  let lcovText: string;
  try {
    lcovText = await readFile(path.join(ROOT, "coverage", "lcov.info"), "utf8");
  } catch {
    throw new CommandError("no coverage/lcov.info: run `npm run coverage` without --report-only first");
  }
  const lcov = parseLcov(lcovText);
  const hits = await loadHits();
  const rows: FileCoverage[] = [];
  for (const [file, lines] of [...lcov].sort(([a], [b]) => a.localeCompare(b))) {
    const source = await readFile(path.join(ROOT, file), "utf8");
    const { branches, unmeasurable } = branchCoverage(source, instrumentedStatements(source, file, SOLC_VERSION), hits);
    rows.push({
      file,
      ...lines,
      branchesFound: branches.length,
      branchesHit: branches.filter((b) => b.hit).length,
      unmeasurable,
      missedBranchLines: branches.filter((b) => !b.hit).map((b) => b.line),
    });
  }
  return rows;
}

async function main(args: { values: { "report-only"?: boolean } }): Promise<number> {
  let status = 0;
  if (args.values["report-only"] !== true) {
    const { files, left } = await coverageTestFiles();
    process.stdout.write(
      `Coverage run: ${files.length} test files; left out (they run another process): ${left.join(", ")}\n`,
    );
    status = await runTests(files);
    if (status !== 0)
      process.stderr.write(`npm run coverage: the tests failed (exit ${status}); the figures below are partial\n`);
  }
  const rows = await report();
  process.stdout.write(`\nLine and branch coverage per contract (branches: both outcomes of every if)\n\n`);
  process.stdout.write(`${formatCoverageTable(rows)}\n`);
  const below = rows.filter((r) => r.linesFound > 0 && (100 * r.linesHit) / r.linesFound < LINE_GOAL_PERCENT);
  process.stdout.write(
    below.length === 0
      ? `\nEvery contract is at or above ${LINE_GOAL_PERCENT} % of lines.\n`
      : `\nBelow the ${LINE_GOAL_PERCENT} % line goal: ${below.map((r) => path.basename(r.file)).join(", ")}\n`,
  );
  await writeFile(path.join(ROOT, "coverage", "summary.json"), `${JSON.stringify(rows, null, 2)}\n`);
  return status;
}

if (isMainModule(import.meta.url)) await runCommand(spec, main);
