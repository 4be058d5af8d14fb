/**
 * Command line: `run <scenario.json>`, `check <dir|file>`, `bench`.
 * All I/O lives here; the engine itself is pure. Mistakes fail as every project command does (scripts/lib/cli.ts).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";

import { CommandError, runCommand, UsageError, type CommandSpec } from "../../scripts/lib/cli.ts";
import { compareExpected, formatExpected, runScenario, validateScenario, type Scenario } from "./index.ts";

const YUMA = {
  name: "yuma",
  usage: `Usage: npm run -s yuma -- <command>

Commands:
  run <scenario.json>     print the expected array of every epoch step
  check <dir|file>        compare each scenario (*.json) with its "expected"; fails when there is none
  bench                   print timing JSON

Options:
  -h, --help              print this help

The scenario format is described in keeper/yuma/SCENARIOS.md.`,
  options: {},
  positionals: { min: 1, max: 2, names: "command (run, check or bench)" },
} as const satisfies CommandSpec;

function load(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new CommandError(`${file}: cannot read: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CommandError(`${file}: invalid JSON: ${(e as Error).message}`);
  }
  const v = validateScenario(json);
  if (!v.ok) throw new CommandError(`${file}: invalid scenario: ${v.error.message}`);
  return v.scenario;
}

function cmdRun(file: string): number {
  const s = load(file);
  process.stdout.write(formatExpected(runScenario(s)) + "\n");
  return 0;
}

function listScenarios(target: string): string[] {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(target).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CommandError(`${target}: ${code === "ENOENT" ? "no such file or directory" : (e as Error).message}`);
  }
  if (!isDirectory) return [target];
  return readdirSync(target)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => join(target, f));
}

function cmdCheck(target: string): number {
  let failed = 0;
  const files = listScenarios(target);
  // A check that finds nothing to check must not pass.
  if (files.length === 0) throw new CommandError(`${target}: no scenario files (*.json) to check`);
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
  const needs = (what: string) => {
    if (arg === undefined) throw new UsageError(`${cmd} needs ${what}`);
    return arg;
  };
  const noArgument = () => {
    if (arg !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(arg)} after ${cmd}`);
  };
  switch (cmd) {
    case "run":
      return cmdRun(needs("a scenario file"));
    case "check":
      return cmdCheck(needs("a scenario file or folder"));
    case "bench": {
      noArgument();
      const { runBench } = await import("./bench.ts");
      process.stdout.write(JSON.stringify(runBench(), null, 2) + "\n");
      return 0;
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(cmd)}`);
  }
}

await runCommand(YUMA, ({ positionals }) => main(positionals));
