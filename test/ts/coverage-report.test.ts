import { expect } from "chai";

import {
  branchCoverage,
  formatCoverageTable,
  instrumentedStatements,
  parseLcov,
} from "../../scripts/lib/coverage-report.ts";

/** Non-ASCII text in a comment makes solc's byte offsets and the instrumentation's UTF-16 offsets differ. */
const SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice Ünïcode — “quotes” × ≤ so that byte and UTF-16 offsets differ.
contract Sample {
    function f(uint256 x) external pure returns (uint256) {
        if (x > 1) {
            return 1;
        } else {
            return 2;
        }
    }

    function g(uint256 x) external pure returns (uint256 y) {
        if (x == 0) revert();
        y = x;
        if (x > 5) y = 5;
    }
}
`;

describe("coverage report: branches from statement hits", () => {
  const statements = instrumentedStatements(SOURCE, "contracts/Sample.sol", "0.8.30");

  /** The innermost instrumented statement whose text starts with `text`. */
  const statement = (text: string) => {
    const found = statements
      .filter((s) => SOURCE.slice(s.start, s.end).trim().startsWith(text))
      .sort((a, b) => a.end - a.start - (b.end - b.start))[0];
    if (found === undefined) throw new Error(`no statement ${text}`);
    return found;
  };

  /** One test run that executed these statements: each and every statement around it is hit once. */
  const run = (hits: Map<string, number>, executed: string[]) => {
    const seen = new Set<string>();
    for (const text of executed) {
      const leaf = statement(text);
      for (const s of statements) if (s.start <= leaf.start && s.end >= leaf.end) seen.add(s.tag);
    }
    for (const tag of seen) hits.set(tag, (hits.get(tag) ?? 0) + 1);
  };

  it("counts both outcomes of every if, with and without an else", () => {
    const hits = new Map<string, number>();
    run(hits, ["if (x > 1)", "return 1"]); // f(2)
    run(hits, ["if (x == 0)", "revert()"]); // g(0)
    run(hits, ["if (x == 0)", "y = x", "if (x > 5)"]); // g(3)
    const { branches, unmeasurable } = branchCoverage(SOURCE, statements, hits);
    expect(unmeasurable).to.equal(0);
    expect(branches).to.deep.equal([
      { line: 7, outcome: "true", hit: true },
      { line: 7, outcome: "false", hit: false }, // the else never ran
      { line: 15, outcome: "true", hit: true },
      { line: 15, outcome: "false", hit: true }, // the if ran twice, its body once
      { line: 17, outcome: "true", hit: false },
      { line: 17, outcome: "false", hit: true }, // ran, body never
    ]);
  });

  it("finds nothing taken when nothing ran", () => {
    const { branches } = branchCoverage(SOURCE, statements, new Map());
    expect(branches.filter((b) => b.hit)).to.deep.equal([]);
    expect(branches).to.have.length(6);
  });

  it("reads lcov and prints a table with totals", () => {
    const lcov = parseLcov(
      "TN:\nSF:contracts/A.sol\nDA:1,1\nLH:19\nLF:20\nend_of_record\nSF:contracts/B.sol\nLH:0\nLF:0\nend_of_record\n",
    );
    expect(lcov.get("contracts/A.sol")).to.deep.equal({ linesFound: 20, linesHit: 19 });
    expect(lcov.get("contracts/B.sol")).to.deep.equal({ linesFound: 0, linesHit: 0 });
    const table = formatCoverageTable([
      {
        file: "contracts/A.sol",
        linesFound: 20,
        linesHit: 19,
        branchesFound: 4,
        branchesHit: 3,
        unmeasurable: 0,
        missedBranchLines: [12],
      },
    ]);
    expect(table).to.match(/contracts\/A\.sol\s+95\.00 %\s+19\/20\s+75\.00 %\s+3\/4\s+12/);
    expect(table).to.match(/Total\s+95\.00 %\s+19\/20\s+75\.00 %\s+3\/4/);
  });
});
