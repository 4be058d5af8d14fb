import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { encodeErrorResult, type Address, type Hex } from "viem";
import { describe, expect, it } from "vitest";

import { parseRoute } from "../src/App.tsx";
import { canFinalize, kindFromProbe, type RaiseState, sharesValueRao } from "../src/data/funds.ts";
import { organizationText } from "../src/pages/FundRaise.tsx";
import { formatSeconds, formatTaoSigned, formatTime } from "../src/lib/format.ts";
import { allowlistProofOf, allowlistRootOf, verifyAllowlistProof } from "../src/lib/merkle.ts";
import { describeError } from "../src/lib/units.ts";
import { miningFundAbi } from "../src/generated.funds.ts";
import {
  allowlistProofFor,
  checkContribution,
  checkDeposit,
  checkRedemptionRequest,
  hasAllowlist,
  minSharesOut,
} from "../src/pages/fundForms.ts";
import { GAS_RESERVE_RAO } from "../src/pages/stakeForm.ts";

const TAO = 10n ** 9n;
const SHARE = 10n ** 18n;
const NOW = 1_700_000_000n;
const account = (n: number): Address => `0x${n.toString(16).padStart(40, "0")}`;

function raise(overrides: Partial<RaiseState> = {}): RaiseState {
  return {
    phase: "raising",
    softCapRao: 100n * TAO,
    hardCapRao: 300n * TAO,
    startTime: NOW - 100n,
    endTime: NOW + 3600n,
    minContributionRao: 1n * TAO,
    maxContributionRao: 150n * TAO,
    allowlistRoot: `0x${"00".repeat(32)}`,
    organization: account(9),
    organizationAllocationBps: 1000,
    vestingCliffSeconds: 0n,
    vestingDurationSeconds: 0n,
    totalRaisedRao: 0n,
    finalizedAt: 0n,
    organizationShares: 0n,
    ...overrides,
  };
}

const contribution = (amountText: string, overrides: Partial<Parameters<typeof checkContribution>[0]> = {}) =>
  checkContribution({
    amountText,
    raise: raise(),
    contributedRao: 0n,
    balanceRao: 1000n * TAO,
    nowSeconds: NOW,
    ...overrides,
  });

describe("a contribution to a raise", () => {
  it("takes an amount within the terms, in whole rao", () => {
    expect(contribution("2.5")).toEqual({ ok: true, amountRao: 2_500_000_000n });
    expect(contribution("150")).toEqual({ ok: true, amountRao: 150n * TAO });
  });

  it("refuses outside the window, after the raise, and at the hard cap", () => {
    expect(contribution("2", { raise: raise({ startTime: NOW + 60n }) })).toEqual({
      ok: false,
      reason: `The raise opens ${formatTime(NOW + 60n)}`,
    });
    expect(contribution("2", { raise: raise({ endTime: NOW }) })).toEqual({
      ok: false,
      reason: `The raise ended ${formatTime(NOW)}`,
    });
    expect(contribution("2", { raise: raise({ phase: "succeeded" }) })).toEqual({
      ok: false,
      reason: "The raise is over (it succeeded)",
    });
    expect(contribution("2", { raise: raise({ totalRaisedRao: 300n * TAO }) })).toEqual({
      ok: false,
      reason: "The raise reached its hard cap",
    });
  });

  it("checks the investor's total against the minimum and the maximum, and what is left under the hard cap", () => {
    expect(contribution("0.5")).toEqual({ ok: false, reason: "The minimum contribution is 1 TAO" });
    expect(contribution("0.5", { contributedRao: TAO / 4n })).toEqual({
      ok: false,
      reason: "The minimum is 1 TAO in all: add at least 0.75 TAO",
    });
    // Once over the minimum, a small top-up is fine.
    expect(contribution("0.1", { contributedRao: 2n * TAO })).toEqual({ ok: true, amountRao: TAO / 10n });
    expect(contribution("151")).toEqual({ ok: false, reason: "The maximum is 150 TAO per investor" });
    expect(contribution("51", { contributedRao: 100n * TAO })).toEqual({
      ok: false,
      reason: "The maximum is 150 TAO per investor: you can add at most 50 TAO",
    });
    expect(contribution("40", { raise: raise({ totalRaisedRao: 270n * TAO }) })).toEqual({
      ok: false,
      reason: "Only 30 TAO is left under the hard cap",
    });
  });

  it("refuses more than the balance (with the fee kept back), bad text and zero", () => {
    expect(contribution("10", { balanceRao: 10n * TAO })).toEqual({
      ok: false,
      reason: "Insufficient balance: you have 10 TAO (keep 0.01 TAO for the fee)",
    });
    expect(contribution("10", { balanceRao: 10n * TAO + GAS_RESERVE_RAO })).toEqual({ ok: true, amountRao: 10n * TAO });
    const tooPrecise = contribution("1.0000000001");
    expect(tooPrecise.ok === false && tooPrecise.reason).toContain("at most 9");
    expect(contribution("0")).toEqual({ ok: false, reason: "Enter an amount above zero" });
  });
});

describe("a deposit at NAV", () => {
  it("takes TAO within the balance and refuses a shut-down fund", () => {
    expect(checkDeposit({ amountText: "3", balanceRao: 10n * TAO, isShutDown: false })).toEqual({
      ok: true,
      amountRao: 3n * TAO,
    });
    expect(checkDeposit({ amountText: "3", balanceRao: 3n * TAO, isShutDown: false })).toMatchObject({ ok: false });
    expect(checkDeposit({ amountText: "3", balanceRao: 10n * TAO, isShutDown: true })).toEqual({
      ok: false,
      reason: "The fund is shut down: it takes no deposits",
    });
  });

  it("protects the shares with the slippage, rounding down", () => {
    expect(minSharesOut(1000n * SHARE, 50n)).toBe(995n * SHARE);
    expect(minSharesOut(999n, 100n)).toBe(989n);
  });
});

describe("a redemption request", () => {
  const request = (percentText: string, sharesHeld = 10n * SHARE, minRedemptionShares = SHARE / 100n) =>
    checkRedemptionRequest({ percentText, sharesHeld, minRedemptionShares });

  it("is a percentage of the shares held; 100 % is every share unit", () => {
    expect(request("50")).toEqual({ ok: true, shares: 5n * SHARE });
    expect(request("100", 10n * SHARE + 7n)).toEqual({ ok: true, shares: 10n * SHARE + 7n });
    expect(request("33.33", 30_000n, 0n)).toEqual({ ok: true, shares: 9_999n });
    expect(request("10", 5n, 0n)).toEqual({ ok: false, reason: "That is less than one share unit" });
  });

  it("is at least the fund's minimum unless it is all of them", () => {
    expect(request("0.05")).toEqual({ ok: false, reason: "A redemption is at least 0.01 shares, or all of yours" });
    // A holder below the minimum may still leave with everything.
    expect(request("100", SHARE / 1000n)).toEqual({ ok: true, shares: SHARE / 1000n });
    expect(request("50", 0n)).toEqual({ ok: false, reason: "You hold no shares of this fund" });
    expect(request("0")).toEqual({ ok: false, reason: "Enter a percentage above zero" });
    expect(request("120")).toMatchObject({ ok: false, reason: "120 % is more than 100 %" });
  });
});

describe("the allowlist", () => {
  const list = [account(1), account(2), account(3), account(4), account(5)];
  const library = StandardMerkleTree.of(
    list.map((a) => [a]),
    ["address"],
  );

  it("gives OpenZeppelin's StandardMerkleTree root and proofs (the tree fund:launch computes)", () => {
    expect(allowlistRootOf(list)).toBe(library.root);
    for (const [i, [a]] of library.entries()) {
      expect(allowlistProofOf(list, a as Address)).toEqual(library.getProof(i));
      expect(verifyAllowlistProof(library.root as Hex, a as Address, library.getProof(i) as Hex[])).toBe(true);
    }
    expect(allowlistProofOf(list, account(6))).toBeUndefined();
  });

  it("turns the published list into the caller's proof, or says why not", () => {
    const root = library.root as Hex;
    const ok = allowlistProofFor({ listText: list.join("\n"), root, account: account(3) });
    expect(ok).toEqual({ ok: true, proof: allowlistProofOf(list, account(3)) });
    expect(allowlistProofFor({ listText: JSON.stringify(list), root, account: account(3) })).toEqual(ok);
    expect(allowlistProofFor({ listText: list.join(", "), root, account: account(7) })).toEqual({
      ok: false,
      reason: "Your address is not on the allowlist",
    });
    const shortList = allowlistProofFor({ listText: list.slice(1).join(" "), root, account: account(3) });
    expect(shortList.ok === false && shortList.reason).toContain("does not give the fund's allowlist root");
    expect(allowlistProofFor({ listText: "0x12 0x34", root, account: account(3) })).toEqual({
      ok: false,
      reason: '"0x12" in the allowlist is not an address',
    });
    expect(hasAllowlist(root)).toBe(true);
    expect(hasAllowlist(`0x${"00".repeat(32)}`)).toBe(false);
  });
});

describe("funds: kinds, the raise's close, values, routes and formats", () => {
  it("tells a fund's kind from what it answers", () => {
    expect(kindFromProbe(true, false)).toBe("mining");
    expect(kindFromProbe(false, true)).toBe("index");
    expect(kindFromProbe(false, false)).toBe("allocator");
  });

  it("lets anyone finalise a raise past its end or at its hard cap, not before", () => {
    expect(canFinalize(raise(), NOW)).toBe(false);
    expect(canFinalize(raise(), NOW + 3600n)).toBe(true);
    expect(canFinalize(raise({ totalRaisedRao: 300n * TAO }), NOW)).toBe(true);
    expect(canFinalize(raise({ phase: "failed" }), NOW + 3600n)).toBe(false);
  });

  it("says the organization's allocation and vesting in words", () => {
    const terms = (bps: number, cliff: bigint, duration: bigint) => ({
      organizationAllocationBps: bps,
      vestingCliffSeconds: cliff,
      vestingDurationSeconds: duration,
    });
    expect(organizationText(terms(0, 0n, 0n))).toBe("no allocation");
    expect(organizationText(terms(1000, 0n, 0n))).toBe("10.00 % of all shares, vested at once");
    expect(organizationText(terms(1000, 30n * 86_400n, 365n * 86_400n))).toBe(
      "10.00 % of all shares, vesting over 365 days after a 30 days cliff",
    );
  });

  it("values shares at NAV per share, rounding down", () => {
    expect(sharesValueRao(3n * SHARE, 1_050_000_000n)).toBe(3_150_000_000n);
    expect(sharesValueRao(1n, 1_050_000_000n)).toBe(0n);
  });

  it("routes #/funds and #/funds/<address>", () => {
    expect(parseRoute("#/funds")).toEqual({ page: "funds", fund: undefined });
    expect(parseRoute("#/funds/0xcA11bde05977b3631167028862bE2a173976ca11")).toEqual({
      page: "funds",
      fund: "0xcA11bde05977b3631167028862bE2a173976CA11",
    });
    expect(parseRoute("#/funds/0x12")).toEqual({ page: "unknown" });
  });

  it("formats times in UTC, periods and signed amounts", () => {
    expect(formatTime(1_700_000_000n)).toBe("2023-11-14 22:13 UTC");
    expect(formatSeconds(3600)).toBe("1 h");
    expect(formatSeconds(90_000)).toBe("1 day 1 h");
    expect(formatSeconds(30)).toBe("30 s");
    expect(formatSeconds(0)).toBe("none");
    expect(formatTaoSigned(1_500_000_000n)).toBe("+1.50 τ");
    expect(formatTaoSigned(-500_000_000n)).toBe("−0.50 τ");
  });
});

describe("the funds' errors", () => {
  it("are decoded into one line with their values in TAO", () => {
    const data = encodeErrorResult({
      abi: miningFundAbi,
      errorName: "ContributionAboveMaximum",
      args: [5n * TAO, 4n * TAO],
    });
    expect(describeError({ data })).toBe(
      "Above the maximum contribution: ContributionAboveMaximum(totalRao 5 TAO, maximumRao 4 TAO)",
    );
    const tooSmall = encodeErrorResult({ abi: miningFundAbi, errorName: "RedemptionTooSmall", args: [5n, 10n ** 16n] });
    expect(describeError({ data: tooSmall })).toBe(
      "Below the fund's smallest redemption: RedemptionTooSmall(shares 5, minimumShares 10000000000000000)",
    );
  });
});
