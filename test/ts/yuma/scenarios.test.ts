import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { compareExpected, parseScenario, runScenario } from "../../../keeper/yuma/index.ts";
import { referenceEpoch } from "../../../keeper/yuma/reference.ts";
import { runScenarioWith } from "../../../keeper/yuma/scenario.ts";

const DIR = fileURLToPath(new URL("../../fixtures/yuma/", import.meta.url));
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith(".json"))
  .sort();

describe("yuma: public scenarios reproduce `expected` exactly", function () {
  this.timeout(20_000);

  it("has the public scenarios", () => {
    expect(FILES.length).to.be.greaterThanOrEqual(12);
  });

  for (const file of FILES) {
    it(file, () => {
      const scenario = parseScenario(JSON.parse(readFileSync(DIR + file, "utf8")));
      expect(scenario.expected, "fixture carries expected").to.be.an("array");
      const expected = scenario.expected ?? [];
      const fast = runScenario(scenario);
      expect(compareExpected(fast, expected), "fast engine").to.equal(null);
      const reference = runScenarioWith(scenario, referenceEpoch);
      expect(compareExpected(reference, expected), "reference engine").to.equal(null);
      // Same data, also compared literally as JSON values (bonds rows are ascending, zeros omitted).
      expect(JSON.parse(JSON.stringify(fast))).to.deep.equal(expected);
    });
  }
});
