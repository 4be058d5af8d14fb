/**
 * Command line: `run <scenario.json>`, `check <dir|file>`, `bench`.
 * All I/O lives here; the engine itself is pure.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { compareExpected, formatExpected, runScenario, validateScenario, type Scenario } from "./index.ts";

function usage(): never {
  process.stderr.write(
    "usage:\n  yuma run <scenario.json>     print the expected array\n" +
      "  yuma check <dir|file>        compare scenarios with their expected\n" +
      "  yuma bench                   print timing JSON\n",
  );
  process.exit(2);
}

function load(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`${file}: cannot read: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: invalid JSON: ${(e as Error).message}`);
  }
  const v = validateScenario(json);
  if (!v.ok) throw new Error(`${file}: invalid scenario: ${v.error.message}`);
  return v.scenario;
}

function cmdRun(file: string): number {
  const s = load(file);
  process.stdout.write(formatExpected(runScenario(s)) + "\n");
  return 0;
}

function listScenarios(target: string): string[] {
  if (!statSync(target).isDirectory()) return [target];
  return readdirSync(target)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => join(target, f));
}

function cmdCheck(target: string): number {
  let failed = 0;
  const files = listScenarios(target);
  for (const file of files) {
    const name = basename(file);
    try {
      const s = load(file);
      if (s.expected === undefined) {
        process.stdout.write(`FAIL ${name}: no expected array\n`);
        failed++;
        continue;
      }
      const m = compareExpected(runScenario(s), s.expected);
      if (m === null) {
        process.stdout.write(`PASS ${name}\n`);
      } else {
        const at = m.uid === undefined ? "" : `, uid ${m.uid}`;
        process.stdout.write(
          `FAIL ${name}: ${m.field} (epoch ${m.epoch}${at}): got ${JSON.stringify(m.actual)}, expected ${JSON.stringify(m.expected)}\n`,
        );
        failed++;
      }
    } catch (e) {
      process.stdout.write(`FAIL ${name}: ${(e as Error).message}\n`);
      failed++;
    }
  }
  process.stdout.write(`${files.length - failed}/${files.length} passed\n`);
  return failed === 0 ? 0 : 1;
}

async function main(argv: readonly string[]): Promise<number> {
  const [cmd, arg] = argv;
  if (cmd === "run" && arg !== undefined && argv.length === 2) return cmdRun(arg);
  if (cmd === "check" && arg !== undefined && argv.length === 2) return cmdCheck(arg);
  if (cmd === "bench" && argv.length === 1) {
    const { runBench } = await import("./bench.ts");
    process.stdout.write(JSON.stringify(runBench(), null, 2) + "\n");
    return 0;
  }
  return usage();
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
