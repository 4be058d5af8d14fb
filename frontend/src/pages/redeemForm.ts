/** The Portfolio's redemption form, pure: which part of a vault position to redeem, and the minimum out. */
import { BPS } from "../lib/units.ts";
import { parsePercent } from "./allocateForm.ts";

export type CheckedRedeem = { ok: true; shares: bigint } | { ok: false; reason: string };

/**
 * The shares to redeem: `percentText` % of the position (100 % is every share, with no rounding left behind), at
 * most what the vault lets the owner redeem now (`maxRedeem` or `maxRedeemInKind`).
 */
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
          ? "The vault cannot redeem this position now"
          : "The vault can redeem only part of this position now (the chain's minimum stake): redeem less, or all",
    };
  }
  return { ok: true, shares };
}

/** The least a redemption may pay: the preview lowered by the slippage, rounded down. */
export function minOut(previewOut: bigint, slippageBps: bigint): bigint {
  return (previewOut * (BPS - slippageBps)) / BPS;
}
