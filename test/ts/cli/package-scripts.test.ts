/**
 * The package's scripts work in a fresh clone, in any order.
 *
 * Regression: `hardhat run` and `hardhat test mocha` build everything they find, the Solidity tests included, in one
 * solc job. In a fresh clone that job failed ("Error writing output JSON": solc's WebAssembly build runs out of
 * memory), so `npm run bench` and `npm run test:mocha` failed when either was the first command a user ran. `npm test`
 * builds the tests in batches first (scripts/build-solidity.sh), which is why CI never saw it. The benchmarks and the
 * TypeScript tests need only the contracts: the scripts build those, then run without building again.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { expect } from "chai";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const scripts = (JSON.parse(readFileSync(`${ROOT}package.json`, "utf8")) as { scripts: Record<string, string> })
  .scripts;

describe("package scripts", () => {
  it("npm run bench builds the contracts only, then runs every benchmark without a build of its own", () => {
    const steps = scripts.bench!.split("&&").map((s) => s.trim());
    expect(steps[0]).to.equal("hardhat compile --quiet --no-tests");
    const runs = steps.filter((s) => s.startsWith("hardhat run"));
    expect(runs.length).to.be.greaterThan(0);
    for (const run of runs) expect(run, run).to.match(/^hardhat run --no-compile scripts\/bench[\w-]*\.ts$/);
  });

  it("npm run test:mocha builds the contracts only, then runs the TypeScript tests without a build of its own", () => {
    expect(scripts["test:mocha"]).to.equal("hardhat compile --quiet --no-tests && hardhat test mocha --no-compile");
  });

  it("no script runs `hardhat run` or `hardhat test mocha` with their default build", () => {
    for (const [name, command] of Object.entries(scripts)) {
      for (const step of command.split("&&").map((s) => s.trim())) {
        if (/^hardhat (run|test mocha)\b/.test(step)) expect(step, `${name}: ${step}`).to.include("--no-compile");
      }
    }
  });
});
