/**
 * Generates `src/generated.ts` (typed ABIs, hooks and addresses) and `src/generated.funds.ts` (the funds' ABIs) with
 * @wagmi/cli from the Hardhat artifacts and `deployments/<chainId>.json`. The build, the unit tests and the typecheck
 * run it first, so the files are never edited by hand nor committed.
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const cliPackage = createRequire(import.meta.url).resolve("@wagmi/cli/package.json");
const cli = path.join(path.dirname(cliPackage), "dist", "esm", "cli.js");
const started = Date.now();
const result = spawnSync(process.execPath, [cli, "generate", "--config", "wagmi.config.ts"], {
  cwd: root,
  encoding: "utf8",
});
if (result.status !== 0) {
  process.stderr.write(result.stdout + result.stderr);
  console.error(`codegen: @wagmi/cli generate failed (exit ${result.status ?? result.signal})`);
  process.exit(1);
}
console.log(
  `codegen: wrote src/generated.ts and src/generated.funds.ts in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
