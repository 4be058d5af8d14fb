import { describe, expect, it } from "vitest";
import type { Hex } from "viem";

import { buildPortfolio, valueAtMovingPriceRao } from "../src/data/portfolio.ts";
import { parseRoute } from "../src/App.tsx";
import {
  EMISSION_WEIGHT_TOTAL,
  MAX_LEGS,
  type AllocationRow,
  checkAllocation,
  emissionWeights,
  evenPercents,
  legLimits,
  parsePercent,
  splitByWeight,
} from "../src/pages/allocateForm.ts";
import { checkMove, checkRedeem, minOut, moveTargets } from "../src/pages/redeemForm.ts";
import { GAS_RESERVE_RAO } from "../src/pages/stakeForm.ts";
import { quoteStake, stakeLimitPriceRao } from "../src/lib/units.ts";
import type { Market } from "../src/data/markets.ts";

const TAO = 10n ** 9n;
const WAD = 10n ** 18n;
const hotkey = (n: number): Hex => `0x${n.toString(16).padStart(64, "0")}`;
const MIN_DEPOSIT_RAO = 2_001_008n;

function row(netuid: number, percentText: string, emissionShareWad = WAD / 10n): AllocationRow {
  return { netuid, name: `Subnet ${netuid}`, hotkey: hotkey(netuid), percentText, emissionShareWad };
}

const base = { mode: "percent" as const, balanceRao: 100n * TAO, minDepositRao: MIN_DEPOSIT_RAO };

describe("allocate form", () => {
  it("splits by percentage into router legs, the remainder on the last leg as the router does", () => {
    const r = checkAllocation({ ...base, amountText: "10", rows: [row(1, "33.33"), row(2, "33.33"), row(3, "33.34")] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.amountRao).toBe(10n * TAO);
    expect(r.legs.map((l) => l.weight)).toEqual([3333n, 3333n, 3334n]);
    expect(r.legs.map((l) => l.taoRao)).toEqual([3_333_000_000n, 3_333_000_000n, 3_334_000_000n]);
    expect(r.legs.reduce((a, l) => a + l.taoRao, 0n)).toBe(10n * TAO);
    expect(r.legs.map((l) => l.hotkey)).toEqual([hotkey(1), hotkey(2), hotkey(3)]);
  });

  it("refuses percentages that do not sum to 100 %", () => {
    const under = checkAllocation({ ...base, amountText: "10", rows: [row(1, "50"), row(2, "49.99")] });
    expect(!under.ok && under.reason).toBe("The percentages add up to 99.99 %, not 100 %");
    const over = checkAllocation({ ...base, amountText: "10", rows: [row(1, "60"), row(2, "50")] });
    expect(!over.ok && over.reason).toBe("The percentages add up to 110 %, not 100 %");
  });

  it("refuses a percentage with more than 2 decimals, a zero share and a non-number", () => {
    expect(parsePercent("12.345")).toEqual({ ok: false, reason: 'A percentage has at most 2 decimals ("12.345")' });
    expect(parsePercent("12,5")).toEqual({ ok: true, hundredths: 1250n });
    expect(parsePercent("abc")).toMatchObject({ ok: false });
    expect(parsePercent("100.01")).toMatchObject({ ok: false, reason: "100.01 % is more than 100 %" });
    const zero = checkAllocation({ ...base, amountText: "10", rows: [row(1, "100"), row(2, "0")] });
    expect(!zero.ok && zero.reason).toMatch(/Subnet 2 \(#2\) has 0 %/);
  });

  it("refuses an amount with more than 9 decimals, zero, and more than the balance less the fee reserve", () => {
    const rows = [row(1, "100")];
    const decimals = checkAllocation({ ...base, amountText: "1.0000000001", rows });
    expect(!decimals.ok && decimals.reason).toMatch(/at most 9/);
    const zero = checkAllocation({ ...base, amountText: "0", rows });
    expect(!zero.ok && zero.reason).toBe("Enter an amount above zero");
    const all = checkAllocation({ ...base, amountText: "100", rows });
    expect(!all.ok && all.reason).toMatch(/^Insufficient balance: you have 100 TAO/);
    const fits = checkAllocation({ ...base, amountText: "99.99", rows });
    expect(fits.ok).toBe(true);
    expect(100n * TAO - 9_999n * (TAO / 100n)).toBe(GAS_RESERVE_RAO);
    const noWallet = checkAllocation({ ...base, balanceRao: undefined, amountText: "1000", rows });
    expect(noWallet.ok).toBe(true);
  });

  it("refuses a leg under the factory's minimum deposit, naming the subnet", () => {
    // 0.004 TAO over 99 % / 1 %: the second leg gets 40,000 rao, under 2,001,008.
    const r = checkAllocation({ ...base, amountText: "0.004", rows: [row(1, "99"), row(7, "1")] });
    expect(!r.ok && r.reason).toBe(
      "Subnet 7 (#7) would get 0.00004 TAO, under the minimum deposit of 0.002001008 TAO per subnet",
    );
    // Exactly the minimum per leg passes.
    const exact = checkAllocation({
      ...base,
      amountText: "0.004002016",
      rows: [row(1, "50"), row(7, "50")],
    });
    expect(exact.ok && exact.legs.map((l) => l.taoRao)).toEqual([MIN_DEPOSIT_RAO, MIN_DEPOSIT_RAO]);
  });

  it(`allows at most ${MAX_LEGS} subnets, no duplicates, no root, and at least one`, () => {
    const many = Array.from({ length: MAX_LEGS + 1 }, (_, i) => row(i + 1, "1"));
    const tooMany = checkAllocation({ ...base, amountText: "10", rows: many });
    expect(!tooMany.ok && tooMany.reason).toBe(`At most ${MAX_LEGS} subnets in one allocation (33 chosen)`);
    const percents = evenPercents(MAX_LEGS);
    const max = checkAllocation({
      ...base,
      amountText: "10",
      rows: many.slice(0, MAX_LEGS).map((r, i) => ({ ...r, percentText: percents[i]! })),
    });
    expect(max.ok && max.legs.length).toBe(MAX_LEGS);
    const none = checkAllocation({ ...base, amountText: "10", rows: [] });
    expect(!none.ok && none.reason).toBe("Choose at least one subnet");
    const twice = checkAllocation({ ...base, amountText: "10", rows: [row(1, "50"), row(1, "50")] });
    expect(!twice.ok && twice.reason).toBe("Subnet #1 is chosen twice");
    const root = checkAllocation({ ...base, amountText: "10", rows: [row(0, "100")] });
    expect(!root.ok && root.reason).toMatch(/Root/);
  });

  it("needs a validator hotkey for every subnet", () => {
    const r = checkAllocation({ ...base, amountText: "10", rows: [{ ...row(4, "100"), hotkey: undefined }] });
    expect(!r.ok && r.reason).toBe("Subnet 4 (#4) has no validator to allocate to");
  });

  it("splits by emission share, ignoring the typed percentages", () => {
    const rows = [row(1, "", 3n * (WAD / 10n)), row(2, "", WAD / 10n)];
    const r = checkAllocation({ ...base, mode: "emission", amountText: "8", rows });
    expect(r.ok && r.legs.map((l) => l.weight)).toEqual([750_000n, 250_000n]);
    expect(r.ok && r.legs.map((l) => l.taoRao)).toEqual([6n * TAO, 2n * TAO]);
    expect(emissionWeights([row(1, "", 0n)])).toMatchObject({ ok: false });
    const tiny = emissionWeights([row(1, "", WAD), row(2, "", 1n)]);
    expect(!tiny.ok && tiny.reason).toMatch(/Subnet 2 \(#2\) has almost no emission share/);
    expect(EMISSION_WEIGHT_TOTAL < 2n ** 32n).toBe(true);
  });

  it("splits like the router: floor per leg, remainder to the last", () => {
    expect(splitByWeight(10n, [1n, 1n, 1n])).toEqual([3n, 3n, 4n]);
    expect(splitByWeight(7n, [5n])).toEqual([7n]);
    expect(evenPercents(3)).toEqual(["33.34", "33.33", "33.33"]);
  });

  it("derives each leg's limit price and minimum of shares from the slippage", () => {
    const pool = { taoReserveRao: 1_000n * TAO, alphaReserveAlphaRao: 500n * TAO, feeRateOf65535: 33n };
    const l = legLimits(pool, 10n * TAO, 1_000_000n, 100n);
    expect(l.minSharesOut).toBe(990_000n);
    expect(l.limitPriceRaoPerAlpha).toBe(stakeLimitPriceRao(quoteStake(pool, 10n * TAO), 100n));
    // The limit is above the price after the swap (a buy's limit is a ceiling).
    expect(l.limitPriceRaoPerAlpha > quoteStake(pool, 10n * TAO).endPriceRaoUp).toBe(true);
  });
});

describe("redeem form", () => {
  const v = { shares: 1_000n, maxShares: 1_000n, inKind: false, transfersEnabled: true };
  it("redeems a part or all of a position", () => {
    expect(checkRedeem({ ...v, percentText: "100" })).toEqual({ ok: true, shares: 1_000n });
    expect(checkRedeem({ ...v, percentText: "33.33" })).toEqual({ ok: true, shares: 333n });
    expect(checkRedeem({ ...v, percentText: "0" })).toMatchObject({ ok: false });
  });
  it("refuses more than the vault lets redeem, and in kind when transfers are off", () => {
    expect(checkRedeem({ ...v, maxShares: 500n, percentText: "100" })).toMatchObject({ ok: false });
    expect(checkRedeem({ ...v, maxShares: 0n, percentText: "10" })).toEqual({
      ok: false,
      reason: "The vault cannot redeem this position now",
    });
    expect(checkRedeem({ ...v, inKind: true, transfersEnabled: false, percentText: "100" })).toMatchObject({
      ok: false,
      reason: "This subnet's stake transfers are off: redeem in TAO instead",
    });
  });
  it("lowers the quote by the slippage, rounded down", () => {
    expect(minOut(1_000_001n, 50n)).toBe(995_000n);
  });
});

describe("move form", () => {
  const vault = (n: number) => `0x${n.toString(16).padStart(40, "0")}` as const;
  const markets = [
    { netuid: 3, name: "Three", transfersEnabled: true, movingPriceWad: 2n },
    { netuid: 1, name: "One", transfersEnabled: false, movingPriceWad: 1n },
  ] as unknown as Market[];
  const vaults = [
    { vault: vault(1), netuid: 3, hotkey: "0x01" as const },
    { vault: vault(2), netuid: 1, hotkey: "0x02" as const },
    { vault: vault(3), netuid: 3, hotkey: "0x03" as const },
    { vault: vault(4), netuid: 7, hotkey: "0x04" as const }, // subnet 7 is not registered (any more)
  ];
  const targets = moveTargets(vault(1), vaults, markets);
  it("offers every other vault of a registered subnet, by netuid, with its market's name and settings", () => {
    expect(targets.map((t) => [t.vault, t.name, t.transfersEnabled])).toEqual([
      [vault(2), "One", false],
      [vault(3), "Three", true],
    ]);
  });
  const m = { shares: 1_000n, maxShares: 1_000n, viaTao: false, sourceTransfersEnabled: true, percentText: "50" };
  it("moves a part of a position to the chosen vault", () => {
    expect(checkMove({ ...m, target: targets[1] })).toEqual({ ok: true, shares: 500n });
    expect(checkMove({ ...m, target: undefined })).toEqual({ ok: false, reason: "Choose the vault to move to" });
  });
  it("moves in kind only when both subnets' transfers are on, and via TAO always", () => {
    expect(checkMove({ ...m, target: targets[0] })).toEqual({
      ok: false,
      reason: "One's stake transfers are off: move via TAO instead",
    });
    expect(checkMove({ ...m, sourceTransfersEnabled: false, target: targets[1] })).toEqual({
      ok: false,
      reason: "This subnet's stake transfers are off: move via TAO instead",
    });
    expect(checkMove({ ...m, viaTao: true, sourceTransfersEnabled: false, target: targets[0] })).toEqual({
      ok: true,
      shares: 500n,
    });
  });
  it("refuses more than the vault lets out now, in the move's words", () => {
    expect(checkMove({ ...m, maxShares: 400n, target: targets[1] })).toEqual({
      ok: false,
      reason: "The vault can move only part of this position now (the chain's minimum stake): move less, or all",
    });
  });
});

describe("portfolio", () => {
  const market = (netuid: number, movingPriceWad: bigint) =>
    ({ netuid, name: `Subnet ${netuid}`, movingPriceWad, transfersEnabled: true }) as unknown as Market;
  it("values stake and vault shares at the moving price, leaves empty positions out, and totals them", () => {
    const p = buildPortfolio({
      blockNumber: 9n,
      markets: [market(1, WAD / 2n), market(2, WAD / 4n)],
      stakes: [
        { key: { netuid: 1, hotkey: hotkey(1) }, alphaRao: 10n * TAO },
        { key: { netuid: 2, hotkey: hotkey(2) }, alphaRao: 0n },
      ],
      vaults: [
        {
          vault: "0x0000000000000000000000000000000000000001",
          netuid: 2,
          hotkey: hotkey(2),
          shares: 8n * TAO * TAO,
          alphaRao: 8n * TAO,
          redeemTaoRao: 1n * TAO,
          redeemAlphaRao: 8n * TAO,
          maxRedeemShares: 8n * TAO * TAO,
          maxRedeemInKindShares: 8n * TAO * TAO,
          live: true,
        },
        {
          vault: "0x0000000000000000000000000000000000000002",
          netuid: 1,
          hotkey: hotkey(1),
          shares: 0n,
          alphaRao: 0n,
          redeemTaoRao: 0n,
          redeemAlphaRao: 0n,
          maxRedeemShares: 0n,
          maxRedeemInKindShares: 0n,
          live: true,
        },
      ],
    });
    expect(p.stakes.map((s) => [s.netuid, s.valueRao])).toEqual([[1, 5n * TAO]]);
    expect(p.vaults.map((v) => [v.netuid, v.valueRao])).toEqual([[2, 2n * TAO]]);
    expect(p.totalRao).toBe(7n * TAO);
    expect(valueAtMovingPriceRao(3n, WAD / 2n)).toBe(1n);
  });
  it("values a dissolved vault at what its redemption pays", () => {
    const p = buildPortfolio({
      blockNumber: 1n,
      markets: [],
      stakes: [],
      vaults: [
        {
          vault: "0x0000000000000000000000000000000000000003",
          netuid: 5,
          hotkey: hotkey(5),
          shares: 5n,
          alphaRao: 0n,
          redeemTaoRao: 42n,
          redeemAlphaRao: 0n,
          maxRedeemShares: 5n,
          maxRedeemInKindShares: 0n,
          live: false,
        },
      ],
    });
    expect(p.totalRao).toBe(42n);
    expect(p.vaults[0]!.name).toBe("#5");
  });
});

describe("routes", () => {
  it("has the Allocate and Portfolio pages", () => {
    expect(parseRoute("#/allocate")).toEqual({ page: "allocate" });
    expect(parseRoute("#/portfolio")).toEqual({ page: "portfolio" });
    expect(parseRoute("#/portfolio/x")).toEqual({ page: "unknown" });
  });
});
