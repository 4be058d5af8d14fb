/**
 * The Allocate form's checks and arithmetic, pure (no React, no chain): an amount of TAO split across subnets by
 * percentage or by emission share, into legs the router takes (`IAllocationRouter.Leg`), each checked against the
 * factory's minimum deposit, and the per-leg limits derived from the slippage setting.
 */
import type { Hex } from "viem";

import {
  BPS,
  formatUnits9,
  parseAmount9Exact,
  stakeLimitPriceRao,
  type PoolReserves,
  quoteStake,
} from "../lib/units.ts";
import { GAS_RESERVE_RAO } from "./stakeForm.ts";

/** `AllocationRouter.MAX_LEGS`. */
export const MAX_LEGS = 32;
/** Emission-share weights are parts of this (fits the router's uint32 weight with room to spare). */
export const EMISSION_WEIGHT_TOTAL = 1_000_000n;
/** Percentages are typed with at most this many decimals (weights are then basis points of a basis point). */
const PERCENT_DECIMALS = 2;
const PERCENT_SCALE = 10n ** BigInt(PERCENT_DECIMALS);
/** 100 % in the weights of the percentage mode. */
export const PERCENT_WEIGHT_TOTAL = 100n * PERCENT_SCALE;

export type AllocationMode = "percent" | "emission";

export interface AllocationRow {
  netuid: number;
  name: string;
  /** The hotkey whose vault gets the leg; undefined while the subnet's validators load, or when it has none. */
  hotkey: Hex | undefined;
  /** What the user typed for this subnet in the percentage mode. */
  percentText: string;
  emissionShareWad: bigint;
}

export interface CheckedLeg {
  netuid: number;
  hotkey: Hex;
  /** The router's weight of the leg. */
  weight: bigint;
  /** The TAO this leg gets, split as the router splits it. */
  taoRao: bigint;
}

export type CheckedAllocation =
  { ok: true; amountRao: bigint; legs: CheckedLeg[] } | { ok: false; reason: string; amountRao?: bigint };

/** A percentage typed by a person ("12.5") → hundredths of a percent; more than 2 decimals is an error. */
export function parsePercent(text: string): { ok: true; hundredths: bigint } | { ok: false; reason: string } {
  const cleaned = text.trim().replace(",", ".");
  if (cleaned === "") return { ok: false, reason: "Enter a percentage" };
  const match = /^(\d{1,3})(?:\.(\d*))?$/.exec(cleaned);
  if (!match) return { ok: false, reason: `"${text.trim()}" is not a percentage` };
  const decimals = match[2] ?? "";
  if (decimals.length > PERCENT_DECIMALS) {
    return { ok: false, reason: `A percentage has at most ${PERCENT_DECIMALS} decimals ("${text.trim()}")` };
  }
  const hundredths = BigInt(match[1]!) * PERCENT_SCALE + BigInt(decimals.padEnd(PERCENT_DECIMALS, "0") || "0");
  if (hundredths > PERCENT_WEIGHT_TOTAL) return { ok: false, reason: `${text.trim()} % is more than 100 %` };
  return { ok: true, hundredths };
}

/** Each leg's rao by weight, rounded down, the remainder to the last leg: `AllocationRouter._split`. */
export function splitByWeight(amountRao: bigint, weights: readonly bigint[]): bigint[] {
  const total = weights.reduce((a, b) => a + b, 0n);
  if (weights.length === 0 || total === 0n) return weights.map(() => 0n);
  const parts = weights.map((w) => (amountRao * w) / total);
  const assigned = parts.reduce((a, b) => a + b, 0n);
  parts[parts.length - 1]! += amountRao - assigned;
  return parts;
}

/** Weights proportional to the subnets' emission shares, in parts of `EMISSION_WEIGHT_TOTAL` (rounded down). */
export function emissionWeights(
  rows: readonly Pick<AllocationRow, "netuid" | "name" | "emissionShareWad">[],
): { ok: true; weights: bigint[] } | { ok: false; reason: string } {
  const total = rows.reduce((a, r) => a + r.emissionShareWad, 0n);
  if (total === 0n) return { ok: false, reason: "The chosen subnets have no emission share: split by percentage" };
  const weights = rows.map((r) => (r.emissionShareWad * EMISSION_WEIGHT_TOTAL) / total);
  const zero = rows.findIndex((_, i) => weights[i] === 0n);
  if (zero >= 0) {
    const r = rows[zero]!;
    return {
      ok: false,
      reason: `${r.name} (#${r.netuid}) has almost no emission share: remove it or split by percentage`,
    };
  }
  return { ok: true, weights };
}

/**
 * Checks the form in the order a person can fix it: the subnets chosen, the amount (decimals, above zero), each
 * subnet's hotkey, the weights (percentages summing to 100 %, or emission shares), the balance (keeping a little for
 * the fee), and every leg's part against the vaults' minimum deposit.
 */
export function checkAllocation(input: {
  amountText: string;
  mode: AllocationMode;
  rows: readonly AllocationRow[];
  /** Undefined without a wallet: the balance is then not checked. */
  balanceRao: bigint | undefined;
  /** `LiquidVaultFactory.MIN_DEPOSIT_RAO`. */
  minDepositRao: bigint;
}): CheckedAllocation {
  const { rows } = input;
  if (rows.length === 0) return { ok: false, reason: "Choose at least one subnet" };
  if (rows.length > MAX_LEGS) {
    return { ok: false, reason: `At most ${MAX_LEGS} subnets in one allocation (${rows.length} chosen)` };
  }
  const seen = new Set<number>();
  for (const r of rows) {
    if (r.netuid === 0) return { ok: false, reason: "Root (netuid 0) has no liquid vaults" };
    if (seen.has(r.netuid)) return { ok: false, reason: `Subnet #${r.netuid} is chosen twice` };
    seen.add(r.netuid);
  }
  const parsed = parseAmount9Exact(input.amountText, "TAO");
  if (!parsed.ok) return parsed;
  const amountRao = parsed.value;
  if (amountRao === 0n) return { ok: false, reason: "Enter an amount above zero" };
  const missingHotkey = rows.find((r) => r.hotkey === undefined);
  if (missingHotkey) {
    return { ok: false, reason: `${missingHotkey.name} (#${missingHotkey.netuid}) has no validator to allocate to` };
  }

  let weights: bigint[];
  if (input.mode === "percent") {
    weights = [];
    for (const r of rows) {
      const p = parsePercent(r.percentText);
      if (!p.ok) return { ok: false, reason: `${r.name} (#${r.netuid}): ${p.reason}`, amountRao };
      if (p.hundredths === 0n) {
        return { ok: false, reason: `${r.name} (#${r.netuid}) has 0 %: give it a share or remove it`, amountRao };
      }
      weights.push(p.hundredths);
    }
    const sum = weights.reduce((a, b) => a + b, 0n);
    if (sum !== PERCENT_WEIGHT_TOTAL) {
      return { ok: false, reason: `The percentages add up to ${formatHundredths(sum)} %, not 100 %`, amountRao };
    }
  } else {
    const w = emissionWeights(rows);
    if (!w.ok) return { ...w, amountRao };
    weights = w.weights;
  }

  if (input.balanceRao !== undefined && amountRao + GAS_RESERVE_RAO > input.balanceRao) {
    return {
      ok: false,
      reason: `Insufficient balance: you have ${formatUnits9(input.balanceRao)} TAO (keep ${formatUnits9(GAS_RESERVE_RAO)} for the fee)`,
      amountRao,
    };
  }
  const parts = splitByWeight(amountRao, weights);
  const small = parts.findIndex((p) => p < input.minDepositRao);
  if (small >= 0) {
    const r = rows[small]!;
    return {
      ok: false,
      reason: `${r.name} (#${r.netuid}) would get ${formatUnits9(parts[small]!)} TAO, under the minimum deposit of ${formatUnits9(input.minDepositRao)} TAO per subnet`,
      amountRao,
    };
  }
  return {
    ok: true,
    amountRao,
    legs: rows.map((r, i) => ({ netuid: r.netuid, hotkey: r.hotkey!, weight: weights[i]!, taoRao: parts[i]! })),
  };
}

function formatHundredths(value: bigint): string {
  const whole = value / PERCENT_SCALE;
  const frac = (value % PERCENT_SCALE).toString().padStart(PERCENT_DECIMALS, "0").replace(/0+$/, "");
  return frac ? `${whole}.${frac}` : whole.toString();
}

/** Percentages that split 100 % evenly over `count` subnets (the rounding remainder on the first), as text. */
export function evenPercents(count: number): string[] {
  if (count === 0) return [];
  const each = PERCENT_WEIGHT_TOTAL / BigInt(count);
  const first = PERCENT_WEIGHT_TOTAL - each * BigInt(count - 1);
  return Array.from({ length: count }, (_, i) => formatHundredths(i === 0 ? first : each));
}

/**
 * A leg's protection from the slippage setting: the highest pool price its swap may end at (the local quote's end
 * price raised by the slippage, as a single stake's limit is) and the fewest shares it accepts (the chain's preview
 * lowered by the slippage, rounded down).
 */
export function legLimits(
  pool: PoolReserves,
  taoRao: bigint,
  previewShares: bigint,
  slippageBps: bigint,
): { limitPriceRaoPerAlpha: bigint; minSharesOut: bigint } {
  const quote = quoteStake(pool, taoRao);
  return {
    limitPriceRaoPerAlpha: stakeLimitPriceRao(quote, slippageBps),
    minSharesOut: (previewShares * (BPS - slippageBps)) / BPS,
  };
}

/** `IAllocationRouter.LegQuote.priceImpactWad` at and above which a leg is flagged (2 %), and in danger (10 %). */
export const LEG_IMPACT_WARNING_WAD = 2n * 10n ** 16n;
export const LEG_IMPACT_DANGER_WAD = 10n ** 17n;
