/**
 * The Portfolio's vault forms, pure: which part of a position to redeem or move, where a position may move, and the
 * minimum out.
 */
import type { Address } from "viem";

import type { Market } from "../data/markets.ts";
import type { VaultInfo } from "../data/portfolio.ts";
import { BPS } from "../lib/units.ts";
import { parsePercent } from "./allocateForm.ts";

export type CheckedRedeem = { ok: true; shares: bigint } | { ok: false; reason: string };

/**
 * The shares of `percentText` % of a position (100 % is every share, with no rounding left behind), at most what the
 * vault lets the owner take out now (`maxRedeem` or `maxRedeemInKind`); `verb` names the action in the messages.
 */
function checkPart(input: {
  percentText: string;
  shares: bigint;
  maxShares: bigint;
  verb: "redeem" | "move";
}): CheckedRedeem {
  const p = parsePercent(input.percentText);
  if (!p.ok) return p;
  if (p.hundredths === 0n) return { ok: false, reason: "Enter a percentage above zero" };
  const shares = p.hundredths === 10_000n ? input.shares : (input.shares * p.hundredths) / 10_000n;
  if (shares === 0n) return { ok: false, reason: "That is less than one share unit" };
  if (shares > input.maxShares) {
    return {
      ok: false,
      reason:
        input.maxShares === 0n
          ? `The vault cannot ${input.verb} this position now`
          : `The vault can ${input.verb} only part of this position now (the chain's minimum stake): ${input.verb} less, or all`,
    };
  }
  return { ok: true, shares };
}

/** A redemption in TAO, or in kind when the subnet's stake transfers are on. */
export function checkRedeem(input: {
  percentText: string;
  shares: bigint;
  maxShares: bigint;
  inKind: boolean;
  transfersEnabled: boolean;
}): CheckedRedeem {
  if (input.inKind && !input.transfersEnabled) {
    return { ok: false, reason: "This subnet's stake transfers are off: redeem in TAO instead" };
  }
  return checkPart({ ...input, verb: "redeem" });
}

/** A vault a position may move to: another vault of the factory, on a registered subnet. */
export interface MoveTarget extends VaultInfo {
  name: string;
  transfersEnabled: boolean;
  movingPriceWad: bigint;
}

/** Every vault but `from` whose subnet is registered, by netuid then address. */
export function moveTargets(from: Address, vaults: readonly VaultInfo[], markets: readonly Market[]): MoveTarget[] {
  const byNetuid = new Map(markets.map((m) => [m.netuid, m]));
  return vaults
    .filter((v) => v.vault.toLowerCase() !== from.toLowerCase() && byNetuid.has(v.netuid))
    .map((v) => {
      const m = byNetuid.get(v.netuid)!;
      return { ...v, name: m.name, transfersEnabled: m.transfersEnabled, movingPriceWad: m.movingPriceWad };
    })
    .sort((a, b) => a.netuid - b.netuid || a.vault.localeCompare(b.vault));
}

/**
 * A move of part of a position to `target`: in kind (the stake moves on the chain's ledger, one swap across subnets)
 * needs both subnets' stake transfers on; via TAO (an unstake and a deposit) always works.
 */
export function checkMove(input: {
  percentText: string;
  shares: bigint;
  /** `maxRedeemInKind` in kind, `maxRedeem` via TAO. */
  maxShares: bigint;
  viaTao: boolean;
  sourceTransfersEnabled: boolean;
  target: MoveTarget | undefined;
}): CheckedRedeem {
  if (!input.target) return { ok: false, reason: "Choose the vault to move to" };
  if (!input.viaTao && !input.sourceTransfersEnabled) {
    return { ok: false, reason: "This subnet's stake transfers are off: move via TAO instead" };
  }
  if (!input.viaTao && !input.target.transfersEnabled) {
    return { ok: false, reason: `${input.target.name}'s stake transfers are off: move via TAO instead` };
  }
  return checkPart({ ...input, verb: "move" });
}

/** The least a redemption or a move may pay: the preview lowered by the slippage, rounded down. */
export function minOut(previewOut: bigint, slippageBps: bigint): bigint {
  return (previewOut * (BPS - slippageBps)) / BPS;
}
