/**
 * The funds' forms, pure (no React, no chain): a contribution to a raise, a deposit at NAV, a redemption request and
 * an allowlist, each checked against the fund's terms, the clock of the chain and the wallet before anything is sent.
 * Every refusal is one sentence that says what to change.
 */
import { type Address, type Hex, getAddress, isAddress } from "viem";

import type { RaiseState } from "../data/funds.ts";
import { formatTime, formatUnits18 } from "../lib/format.ts";
import { allowlistProofOf, allowlistRootOf } from "../lib/merkle.ts";
import { formatUnits9, parseAmount9Exact } from "../lib/units.ts";
import { parsePercent } from "./allocateForm.ts";
import { GAS_RESERVE_RAO } from "./stakeForm.ts";

export type CheckedAmount = { ok: true; amountRao: bigint } | { ok: false; reason: string };

const ZERO_ROOT = `0x${"00".repeat(32)}`;

function checkBalance(amountRao: bigint, balanceRao: bigint | undefined): CheckedAmount {
  if (balanceRao !== undefined && amountRao + GAS_RESERVE_RAO > balanceRao) {
    return {
      ok: false,
      reason: `Insufficient balance: you have ${formatUnits9(balanceRao)} TAO (keep ${formatUnits9(GAS_RESERVE_RAO)} TAO for the fee)`,
    };
  }
  return { ok: true, amountRao };
}

/**
 * A contribution to a mining fund's raise, as `MiningFund.contribute` would take it: while the raise is open, in whole
 * rao, the investor's total within the minimum and maximum, within what is left under the hard cap.
 */
export function checkContribution(input: {
  amountText: string;
  raise: Pick<
    RaiseState,
    "phase" | "startTime" | "endTime" | "minContributionRao" | "maxContributionRao" | "hardCapRao" | "totalRaisedRao"
  >;
  contributedRao: bigint;
  balanceRao: bigint | undefined;
  nowSeconds: bigint;
}): CheckedAmount {
  const { raise } = input;
  if (raise.phase !== "raising") return { ok: false, reason: `The raise is over (it ${raise.phase})` };
  if (input.nowSeconds < raise.startTime)
    return { ok: false, reason: `The raise opens ${formatTime(raise.startTime)}` };
  if (input.nowSeconds >= raise.endTime) return { ok: false, reason: `The raise ended ${formatTime(raise.endTime)}` };
  const remaining = raise.hardCapRao - raise.totalRaisedRao;
  if (remaining <= 0n) return { ok: false, reason: "The raise reached its hard cap" };
  const parsed = parseAmount9Exact(input.amountText, "TAO");
  if (!parsed.ok) return parsed;
  const amount = parsed.value;
  if (amount === 0n) return { ok: false, reason: "Enter an amount above zero" };
  const total = input.contributedRao + amount;
  if (total < raise.minContributionRao) {
    const more = raise.minContributionRao - input.contributedRao;
    return {
      ok: false,
      reason:
        input.contributedRao === 0n
          ? `The minimum contribution is ${formatUnits9(raise.minContributionRao)} TAO`
          : `The minimum is ${formatUnits9(raise.minContributionRao)} TAO in all: add at least ${formatUnits9(more)} TAO`,
    };
  }
  if (total > raise.maxContributionRao) {
    const room = raise.maxContributionRao > input.contributedRao ? raise.maxContributionRao - input.contributedRao : 0n;
    return {
      ok: false,
      reason:
        `The maximum is ${formatUnits9(raise.maxContributionRao)} TAO per investor` +
        (input.contributedRao > 0n ? `: you can add at most ${formatUnits9(room)} TAO` : ""),
    };
  }
  if (amount > remaining) {
    return { ok: false, reason: `Only ${formatUnits9(remaining)} TAO is left under the hard cap` };
  }
  return checkBalance(amount, input.balanceRao);
}

/** A deposit at NAV into an allocator or an index: an amount of TAO in whole rao, within the balance. */
export function checkDeposit(input: {
  amountText: string;
  balanceRao: bigint | undefined;
  isShutDown: boolean;
}): CheckedAmount {
  if (input.isShutDown) return { ok: false, reason: "The fund is shut down: it takes no deposits" };
  const parsed = parseAmount9Exact(input.amountText, "TAO");
  if (!parsed.ok) return parsed;
  if (parsed.value === 0n) return { ok: false, reason: "Enter an amount above zero" };
  return checkBalance(parsed.value, input.balanceRao);
}

export type CheckedShares = { ok: true; shares: bigint } | { ok: false; reason: string };

/**
 * The shares of a redemption request: `percentText` % of the shares held (100 % is every share), at least the fund's
 * minimum unless it is all of them (`requestRedemption` lets a whole balance leave however small).
 */
export function checkRedemptionRequest(input: {
  percentText: string;
  sharesHeld: bigint;
  minRedemptionShares: bigint;
}): CheckedShares {
  if (input.sharesHeld === 0n) return { ok: false, reason: "You hold no shares of this fund" };
  const p = parsePercent(input.percentText);
  if (!p.ok) return p;
  if (p.hundredths === 0n) return { ok: false, reason: "Enter a percentage above zero" };
  const shares = p.hundredths === 10_000n ? input.sharesHeld : (input.sharesHeld * p.hundredths) / 10_000n;
  if (shares === 0n) return { ok: false, reason: "That is less than one share unit" };
  if (shares < input.minRedemptionShares && shares !== input.sharesHeld) {
    return {
      ok: false,
      reason: `A redemption is at least ${formatUnits18(input.minRedemptionShares)} shares, or all of yours`,
    };
  }
  return { ok: true, shares };
}

/** The least number of shares a deposit accepts: the fund's preview lowered by the slippage, rounded down. */
export function minSharesOut(previewShares: bigint, slippageBps: bigint): bigint {
  return (previewShares * (10_000n - slippageBps)) / 10_000n;
}

/** Whether a raise is restricted to an allowlist. */
export function hasAllowlist(root: Hex): boolean {
  return root !== ZERO_ROOT;
}

export type CheckedProof = { ok: true; proof: Hex[] } | { ok: false; reason: string };

/**
 * The proof that `account` is on the allowlist the fund's organizer published (pasted as addresses, one per line or
 * separated by commas or spaces, or as a JSON array): the list must give the fund's root, and contain the account.
 */
export function allowlistProofFor(input: { listText: string; root: Hex; account: Address }): CheckedProof {
  const text = input.listText.trim();
  if (text === "") return { ok: false, reason: "Paste the allowlist the fund published (its addresses)" };
  let items: string[];
  if (text.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (!Array.isArray(parsed)) throw new Error("not a list");
      items = parsed.map((x) => String(x));
    } catch {
      return { ok: false, reason: "The allowlist is not a valid JSON list of addresses" };
    }
  } else {
    items = text.split(/[\s,;]+/).filter((x) => x !== "");
  }
  const bad = items.find((x) => !isAddress(x, { strict: false }));
  if (bad !== undefined) return { ok: false, reason: `"${bad}" in the allowlist is not an address` };
  const accounts = items.map((x) => getAddress(x));
  if (allowlistRootOf(accounts).toLowerCase() !== input.root.toLowerCase()) {
    return {
      ok: false,
      reason: "This list does not give the fund's allowlist root: use the list the fund's organizer published",
    };
  }
  const proof = allowlistProofOf(accounts, getAddress(input.account));
  if (!proof) return { ok: false, reason: "Your address is not on the allowlist" };
  return { ok: true, proof };
}
