/**
 * Hardhat's `hre.created` hook: when the command line runs one of the project's tasks with an argument it does not
 * take, prints one line naming it and the usage, and exits 2 (./command-line.ts). Runtimes created in a script or a
 * test (not by Hardhat's CLI) are left alone.
 */
import path from "node:path";

import type { HardhatRuntimeEnvironmentHooks } from "hardhat/types/hooks";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { checkTaskCommandLine } from "./command-line.ts";

/** Whether this process is Hardhat's CLI (`npx hardhat …`, `node node_modules/hardhat/dist/src/cli.js …`). */
function isHardhatCli(): boolean {
  const entry = process.argv[1] ?? "";
  return path.basename(entry) === "hardhat" || entry.endsWith(path.join("hardhat", "dist", "src", "cli.js"));
}

function exitOnBadTaskArguments(hre: HardhatRuntimeEnvironment): Promise<void> {
  if (!isHardhatCli()) return Promise.resolve();
  const problem = checkTaskCommandLine(process.argv.slice(2), hre.tasks.rootTasks, hre.globalOptions);
  if (problem === undefined) return Promise.resolve();
  process.stderr.write(`${problem.command}: ${problem.message}\n\n${problem.usage}\n`);
  process.exit(2);
}

export default (): Promise<Partial<HardhatRuntimeEnvironmentHooks>> =>
  Promise.resolve({ created: (_context, hre) => exitOnBadTaskArguments(hre) });
