import { describe, expect, it } from "vitest";

import { formatShareWad } from "../src/lib/format.ts";

const WAD = 10n ** 18n;

describe("formatShareWad (the markets table's emission share)", () => {
  it("shows a fraction × 1e18 as a percentage with two decimals", () => {
    expect(formatShareWad((282n * WAD) / 1000n)).toBe("28.20 %");
    expect(formatShareWad(WAD)).toBe("100.00 %");
    expect(formatShareWad(0n)).toBe("0.00 %");
  });

  it("keeps neighbouring shares of the seeded economy apart", () => {
    // Two cheap subnets a tenth of a percent apart stay distinguishable.
    expect(formatShareWad((201n * WAD) / 10_000n)).toBe("2.01 %");
    expect(formatShareWad((211n * WAD) / 10_000n)).toBe("2.11 %");
  });

  it("rounds to the digits asked for (regression: it read millionths, so a fourth digit was truncated)", () => {
    expect(formatShareWad((28_249n * WAD) / 100_000n, 1)).toBe("28.2 %");
    expect(formatShareWad((12_345_678n * WAD) / 1_000_000_000n, 4)).toBe("1.2346 %");
  });
});
