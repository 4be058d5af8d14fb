/** The claim form's checks, pure (no React, no chain): a typed hotkey, and whether a credit can be claimed now. */
import { getAddress, isAddress, type Hex } from "viem";

import { CLAIMS_PER_BATCH } from "../../../keeper/core/types.ts";
import { coldkeyOf, formatUnits9 } from "../lib/units.ts";

export type ParsedHotkey = { ok: true; hotkey: Hex } | { ok: false; reason: string };

/**
 * A hotkey as a person types it: a 32-byte account id (0x + 64 hex digits), or an EVM address, whose hotkey is its
 * mapped account id (blake2b_256("evm:" ‖ address)), as the model's hotkeys are.
 */
export function parseHotkey(text: string): ParsedHotkey {
  const t = text.trim();
  if (t === "") return { ok: false, reason: "Enter a hotkey" };
  if (/^0x[0-9a-fA-F]{64}$/.test(t)) return { ok: true, hotkey: t.toLowerCase() as Hex };
  if (/^0x[0-9a-fA-F]{40}$/.test(t)) {
    if (!isAddress(t, { strict: false })) return { ok: false, reason: "That EVM address is not valid" };
    return { ok: true, hotkey: coldkeyOf(getAddress(t)) };
  }
  if (/^0x[0-9a-fA-F]*$/.test(t)) {
    return {
      ok: false,
      reason: `A hotkey has 64 hex digits (or an EVM address 40); this has ${t.length - 2}`,
    };
  }
  return {
    ok: false,
    reason: "A hotkey is a 32-byte account id (0x and 64 hex digits) or an EVM address (0x and 40 hex digits)",
  };
}

/** One uid's unclaimed results of a finalised epoch, with its proof. */
export interface Credit {
  netuid: number;
  subnetName: string;
  generation: number;
  epoch: number;
  uid: number;
  hotkey: Hex;
  incentiveAlphaRao: bigint;
  alphaDividendAlphaRao: bigint;
  rootDividendAlphaRao: bigint;
  /** Whether the claim also pays the dividends (finalisation did not, for this uid). */
  dividendsDue: boolean;
  /** What the claim credits: the incentive, plus the dividends when they are due. */
  amountAlphaRao: bigint;
  proof: Hex[];
  /** The hotkey's owner coldkey now: who receives the incentive as stake. */
  ownerColdkey: Hex;
}

export function creditAmountAlphaRao(
  leaf: Pick<Credit, "incentiveAlphaRao" | "alphaDividendAlphaRao" | "rootDividendAlphaRao">,
  dividendsDue: boolean,
): bigint {
  return leaf.incentiveAlphaRao + (dividendsDue ? leaf.alphaDividendAlphaRao + leaf.rootDividendAlphaRao : 0n);
}

/**
 * Whether a credit can be claimed now, with the reason when not: already claimed (by anyone: claims are
 * permissionless), nothing to credit, or above what the epoch has left to claim. The chain checks the same; this
 * says it before anything is signed.
 */
export function checkClaim(input: {
  credit: Pick<Credit, "amountAlphaRao" | "epoch" | "uid">;
  claimed: boolean;
  epochClaimableAlphaRao: bigint;
}): { ok: true } | { ok: false; reason: string } {
  const { credit } = input;
  if (input.claimed)
    return { ok: false, reason: `Uid ${credit.uid}'s credit of epoch ${credit.epoch} is already claimed` };
  if (credit.amountAlphaRao === 0n) return { ok: false, reason: "Nothing to claim: this leaf credits 0 alpha" };
  if (credit.amountAlphaRao > input.epochClaimableAlphaRao) {
    return {
      ok: false,
      reason: `The epoch has ${formatUnits9(input.epochClaimableAlphaRao)} alpha left to claim, less than this credit's ${formatUnits9(credit.amountAlphaRao)} alpha`,
    };
  }
  return { ok: true };
}

/** Credits of one finalised epoch of one subnet that one `claimIncentives` call pays together. */
export interface CreditBatch<C extends Credit = Credit> {
  netuid: number;
  subnetName: string;
  epoch: number;
  credits: C[];
  amountAlphaRao: bigint;
}

/**
 * The credits that can be claimed together, grouped by subnet and epoch (newest first, as the list is): each credit
 * `checkClaim` passes, while the group's total stays within what the epoch has left to claim (the contract refuses a
 * whole call that goes beyond it), at most `perCall` to a call. A group of one is left to its row's own button.
 */
export function creditBatches<C extends Credit & { epochClaimableAlphaRao: bigint }>(
  credits: readonly C[],
  perCall = CLAIMS_PER_BATCH,
): CreditBatch<C>[] {
  const groups = new Map<string, CreditBatch<C>>();
  for (const credit of credits) {
    if (!checkClaim({ credit, claimed: false, epochClaimableAlphaRao: credit.epochClaimableAlphaRao }).ok) continue;
    const key = `${credit.netuid}/${credit.generation}/${credit.epoch}`;
    const group = groups.get(key) ?? {
      netuid: credit.netuid,
      subnetName: credit.subnetName,
      epoch: credit.epoch,
      credits: [],
      amountAlphaRao: 0n,
    };
    groups.set(key, group);
    const fits = group.amountAlphaRao + credit.amountAlphaRao <= credit.epochClaimableAlphaRao;
    if (!fits || group.credits.length >= perCall) continue;
    group.credits.push(credit);
    group.amountAlphaRao += credit.amountAlphaRao;
  }
  return [...groups.values()].filter((g) => g.credits.length > 1);
}
