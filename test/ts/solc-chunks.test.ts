/**
 * The build's solc runs (scripts/lib/solc-chunks.ts): a large job split by test folder gives exactly the output of one
 * run. Checked with the real compiler (the `solc` package Hardhat uses) on small sources shaped like the project's:
 * contracts, and tests in two folders that deploy them.
 */
import { expect } from "chai";
import solc from "solc";
import type { CompilerInput, CompilerOutput } from "hardhat/types/solidity";

import { chunkInput, mergeOutputs, planChunks, sourceGroup } from "../../scripts/lib/solc-chunks.ts";

const SOURCES: Record<string, string> = {
  "project/contracts/Child.sol": `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;
contract Child {
    uint256 public x;
    constructor(uint256 v) { x = v; }
}`,
  "project/contracts/Warns.sol": `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;
contract Warns {
    function f(uint256 unused) external pure returns (uint256) { return 1; }
}`,
  "project/test/solidity/a/A.t.sol": `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;
import {Child} from "../../../contracts/Child.sol";
contract A { function make() external returns (address) { return address(new Child(1)); } }`,
  "project/test/solidity/b/B.t.sol": `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;
import {Child} from "../../../contracts/Child.sol";
contract B { function make() external returns (address) { return address(new Child(2)); } }`,
  "project/test/solidity/b/B2.t.sol": `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;
import {Child} from "../../../contracts/Child.sol";
contract B2 { function make() external returns (address) { return address(new Child(3)); } }`,
  "project/test/solidity/Base.sol": `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;
contract Base {}`,
};

function inputOf(sources: Record<string, string>): CompilerInput {
  return {
    language: "Solidity",
    sources: Object.fromEntries(Object.entries(sources).map(([name, content]) => [name, { content }])),
    settings: {
      viaIR: true,
      optimizer: { enabled: true, runs: 200 },
      evmVersion: "cancun",
      // Hardhat's selection: every source's AST, and every contract's code.
      outputSelection: {
        "*": {
          "": ["ast"],
          "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object", "evm.methodIdentifiers"],
        },
      },
    },
  };
}

/** The `solc` package's standard-JSON entry point (its type declarations leave it untyped). */
const solcCompile = solc.compile as (input: string) => string;
const compile = (input: CompilerInput): CompilerOutput =>
  JSON.parse(solcCompile(JSON.stringify(input))) as CompilerOutput;
const sizeOf = (names: string[]) => names.reduce((sum, n) => sum + SOURCES[n]!.length, 0);

describe("solc-chunks: a large build as several solc runs", function () {
  this.timeout(120_000);

  it("groups sources by their folder under test/solidity; everything else is one group", () => {
    expect(sourceGroup("project/contracts/model/AlphaPools.sol")).to.equal("");
    expect(sourceGroup("npm/@openzeppelin/contracts@5.7.0/token/ERC20/ERC20.sol")).to.equal("");
    expect(sourceGroup("project/test/solidity/liquid/staking/Vault.t.sol")).to.equal("project/test/solidity/liquid");
    expect(sourceGroup("project/test/solidity/BaseTest.sol")).to.equal("project/test/solidity");
  });

  it("packs test groups in order within the budget, after every non-test source, which the budget does not count", () => {
    const input = inputOf(SOURCES);
    const contracts = ["project/contracts/Child.sol", "project/contracts/Warns.sol"];
    const [a, b, b2, base] = [
      "project/test/solidity/a/A.t.sol",
      "project/test/solidity/b/B.t.sol",
      "project/test/solidity/b/B2.t.sol",
      "project/test/solidity/Base.sol",
    ];
    // Room for the test files at the root of test/solidity and folder a, or for folder b, not more.
    const budget = sizeOf([b, b2]);
    expect(sizeOf([base, a]) <= budget && sizeOf([base, a, b]) > budget).to.equal(true);
    expect(planChunks(input.sources, budget)).to.deep.equal([
      [...contracts, base, a],
      [b, b2],
    ]);
    // Within the budget: one run, as without the plugin.
    expect(planChunks(input.sources, 1_000_000)).to.deep.equal([Object.keys(SOURCES).sort()]);
  });

  it("splits a group larger than the budget between its files, and a file larger than it gets a run of its own", () => {
    const input = inputOf(SOURCES);
    const b = ["project/test/solidity/b/B.t.sol", "project/test/solidity/b/B2.t.sol"];
    const chunks = planChunks(input.sources, sizeOf(b) - 1);
    expect(chunks.at(-2)).to.deep.equal([b[0]]);
    expect(chunks.at(-1)).to.deep.equal([b[1]]);
    const tiny = planChunks(input.sources, 1);
    expect(tiny).to.have.length(4); // the contracts with Base.sol, then A, B and B2 alone
    expect(tiny.flat().sort()).to.deep.equal(Object.keys(SOURCES).sort());
  });

  it("a run's input selects only its sources and keeps everything else", () => {
    const input = inputOf(SOURCES);
    const part = chunkInput(input, ["project/test/solidity/a/A.t.sol"]);
    expect(part.sources).to.equal(input.sources);
    expect(Object.keys(part.settings.outputSelection)).to.deep.equal(["project/test/solidity/a/A.t.sol"]);
    expect(part.settings.outputSelection["project/test/solidity/a/A.t.sol"]).to.deep.equal(
      input.settings.outputSelection["*"],
    );
    expect({ ...part.settings, outputSelection: undefined }).to.deep.equal({
      ...input.settings,
      outputSelection: undefined,
    });
    expect(() => chunkInput({ ...input, settings: { ...input.settings, outputSelection: {} } }, [])).to.throw(
      /outputSelection for '\*'/,
    );
  });

  it("the merged output of the runs is the output of one run: code, ASTs and messages", () => {
    const input = inputOf(SOURCES);
    const single = compile(input);
    expect((single.errors ?? []).filter((e) => e.severity === "error")).to.deep.equal([]);
    const chunks = planChunks(input.sources, 1);
    const outputs = chunks.map((names) => compile(chunkInput(input, names)));
    // Each run generated the code of its own contracts only.
    expect(Object.keys(outputs[1]!.contracts ?? {})).to.deep.equal(["project/test/solidity/a/A.t.sol"]);
    expect(Object.keys(outputs[0]!.contracts ?? {})).to.deep.equal([
      "project/contracts/Child.sol",
      "project/contracts/Warns.sol",
      "project/test/solidity/Base.sol",
    ]);
    const merged = mergeOutputs(outputs);
    expect(merged.contracts).to.deep.equal(single.contracts);
    expect(merged.sources).to.deep.equal(single.sources);
    const messages = (o: CompilerOutput) => (o.errors ?? []).map((e) => e.formattedMessage).sort();
    expect(messages(merged)).to.deep.equal(messages(single));
    expect(messages(merged).some((m) => m?.includes("Unused function parameter"))).to.equal(true);
  });

  it("an error in a source is reported once, from every run alike", () => {
    const broken = { ...SOURCES, "project/test/solidity/b/B.t.sol": "contract B { function f() { } " };
    const input = inputOf(broken);
    const outputs = planChunks(input.sources, 1).map((names) => compile(chunkInput(input, names)));
    const merged = mergeOutputs(outputs);
    const errors = (merged.errors ?? []).filter((e) => e.severity === "error");
    expect(errors).to.have.length(1);
    expect(errors[0]!.formattedMessage).to.include("B.t.sol");
    expect(merged.contracts).to.deep.equal({});
  });
});
