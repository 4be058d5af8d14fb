import { describe, expect, it } from "vitest";

import { GAS_RESERVE_RAO, checkStake, checkUnstake, parseSlippageBps } from "../src/pages/stakeForm.ts";

const TAO = 10n ** 9n;
const pool = { taoReserveRao: 1_000n * TAO, alphaReserveAlphaRao: 500n * TAO, feeRateOf65535: 33n };

describe("stake form", () => {
  const base = { balanceRao: 100n * TAO, minStakeRao: 2_000_000n, pool };
  it("accepts an amount within balance and limits, with its quote", () => {
    const r = checkStake({ ...base, amountText: "10" });
    expect(r.ok && r.amount).toBe(10n * TAO);
    expect(r.ok && r.quote.amountOut > 0n).toBe(true);
  });
  it("refuses an amount below the subnet's minimum (fee included)", () => {
    const r = checkStake({ ...base, amountText: "0.002" });
    expect(r).toMatchObject({ ok: false });
    // gross = net + ceil(net · 33 / (65535 − 33)) = 2,000,000 + ceil(66,000,000 / 65,502) = 2,001,008 rao
    expect(!r.ok && r.reason).toMatch(/minimum stake on this subnet is 0\.002001008 TAO/);
  });
  it("refuses more than the balance minus the fee reserve", () => {
    const all = checkStake({ ...base, amountText: "100" });
    expect(!all.ok && all.reason).toMatch(/Insufficient balance: you have 100 TAO/);
    const justFits = checkStake({ ...base, amountText: String(Number(100n * TAO - GAS_RESERVE_RAO) / 1e9) });
    expect(justFits.ok).toBe(true);
  });
  it("refuses an amount that would drain the pool", () => {
    const r = checkStake({ ...base, balanceRao: 10n ** 12n * TAO, amountText: "1000000000" });
    expect(!r.ok && r.reason).toBe("The amount is too large for this pool");
  });
  it("refuses zero, text and a 10th decimal", () => {
    expect(checkStake({ ...base, amountText: "0" })).toMatchObject({ ok: false, reason: "Enter an amount above zero" });
    expect(checkStake({ ...base, amountText: "abc" })).toMatchObject({ ok: false });
    expect(checkStake({ ...base, amountText: "1.0000000001" })).toMatchObject({ ok: false });
  });
});

describe("unstake form", () => {
  const base = { stakedAlphaRao: 10n * TAO, minStakeRao: 500_000_000n, pool };
  it("refuses more than the stake on the hotkey", () => {
    const r = checkUnstake({ ...base, amountText: "10.5" });
    expect(!r.ok && r.reason).toBe("You have 10 alpha staked on this hotkey");
  });
  it("refuses a partial unstake worth less than the minimum, but allows unstaking everything", () => {
    const partial = checkUnstake({ ...base, amountText: "0.1" });
    expect(!partial.ok && partial.reason).toMatch(/unstake all instead/);
    const small = { ...base, stakedAlphaRao: 100_000_000n };
    expect(checkUnstake({ ...small, amountText: "0.1" }).ok).toBe(true);
  });
});

describe("slippage", () => {
  it("takes percentages between 0.01 and 50", () => {
    expect(parseSlippageBps("0.5")).toEqual({ ok: true, bps: 50n });
    expect(parseSlippageBps("1,25")).toEqual({ ok: true, bps: 125n });
    expect(parseSlippageBps("0")).toMatchObject({ ok: false });
    expect(parseSlippageBps("51")).toMatchObject({ ok: false });
    expect(parseSlippageBps("x")).toMatchObject({ ok: false });
  });
});
