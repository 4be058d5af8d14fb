/**
 * The project's tasks check their command line the project's way (scripts/tasks/command-line.ts), against the real
 * task and global option definitions of this Hardhat runtime.
 */
import { expect } from "chai";
import hre from "hardhat";

import { checkTaskCommandLine } from "../../../scripts/tasks/command-line.ts";

const check = (...argv: string[]) => checkTaskCommandLine(argv, hre.tasks.rootTasks, hre.globalOptions);

describe("fund:* command lines", () => {
  it("accepts the task's options, global options before or after the task, --name=value and verbosity", () => {
    expect(check("fund:status", "--fund", "TASK", "--json")).to.equal(undefined);
    expect(check("--network", "localhost", "fund:status", "--fund=TASK")).to.equal(undefined);
    expect(
      check("fund:deploy-capital", "--fund", "X", "--network", "bittensorTestnet", "--limit-price", "0.01"),
    ).to.equal(undefined);
    expect(check("fund:process-redemptions", "--max-requests", "5", "--show-stack-traces", "-vvv")).to.equal(undefined);
  });

  it("names an unknown option, a repeated one, a missing value and a stray argument", () => {
    expect(check("fund:status", "--funds", "X")).to.include({
      command: "hardhat fund:status",
      message: "unknown option --funds",
    });
    expect(check("fund:status", "--fund", "X", "--fund", "Y")?.message).to.equal("--fund is given twice");
    expect(check("fund:status", "--fund")?.message).to.equal("--fund needs a value");
    expect(check("fund:status", "--fund", "--json")?.message).to.equal("--fund needs a value");
    expect(check("fund:harvest", "--fund", "X", "extra")?.message).to.equal('unexpected argument "extra"');
    expect(check("fund:harvest", "--", "extra")?.message).to.equal('unexpected argument "extra"');
    // A global option's value is not mistaken for the task.
    expect(check("--network", "fund:status")).to.equal(undefined);
  });

  it("names an unknown fund command and lists the fund commands", () => {
    const problem = check("fund:stats", "--fund", "X");
    expect(problem?.command).to.equal("hardhat");
    expect(problem?.message).to.equal("unknown command fund:stats");
    for (const id of [
      "fund:launch",
      "fund:status",
      "fund:deploy-capital",
      "fund:harvest",
      "fund:process-redemptions",
    ]) {
      expect(problem?.usage).to.contain(id);
    }
  });

  it("leaves help, other tasks and runtimes without a task to Hardhat", () => {
    expect(check("fund:status", "--bogus", "--help")).to.equal(undefined);
    expect(check("compile", "--bogus")).to.equal(undefined);
    expect(check("test", "mocha", "--no-compile")).to.equal(undefined);
    expect(check()).to.equal(undefined);
  });
});
