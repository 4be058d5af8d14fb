import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { MULTICALL3_RUNTIME_CODE } from "../src/data/multicall3.ts";

/** Multicall3's creation code as viem ships it for its deployless calls (not among viem's public exports). */
function creationCode(): string {
  const viemDir = path.dirname(createRequire(import.meta.url).resolve("viem/package.json"));
  const source = readFileSync(path.join(viemDir, "constants", "contracts.ts"), "utf8");
  const match = /multicall3Bytecode =\s*["'](0x[0-9a-f]+)["']/.exec(source);
  if (!match) throw new Error("viem no longer ships Multicall3's creation code where this test reads it");
  return match[1]!;
}

describe("Multicall3's deployed code", () => {
  it("is what its creation code deploys: the slice its constructor's CODECOPY returns", () => {
    const creation = creationCode().slice(2);
    // solc's constructor: PUSH2 <length> DUP1 PUSH2 <offset> PUSH1 0 CODECOPY PUSH1 0 RETURN INVALID.
    const copy = /61([0-9a-f]{4})80610([0-9a-f]{3})6000396000f3fe/.exec(creation);
    expect(copy, "the constructor copies its runtime code").not.toBeNull();
    const length = parseInt(copy![1]!, 16);
    const offset = parseInt(copy![2]!, 16);
    const runtime = `0x${creation.slice(offset * 2, (offset + length) * 2)}`;
    expect(MULTICALL3_RUNTIME_CODE).toBe(runtime);
    // getBlockNumber() and aggregate3((address,bool,bytes)[]) are in its dispatcher.
    expect(MULTICALL3_RUNTIME_CODE).toContain("6342cbb15c");
    expect(MULTICALL3_RUNTIME_CODE).toContain("6382ad56cb");
  });
});
