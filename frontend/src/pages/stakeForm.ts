/** The stake/unstake form's checks, pure (no React, no chain): what the user typed against balance and limits. */
import {
  type PoolReserves,
  type SwapQuote,
  grossForNetUp,
  parseAmount9Exact,
  quoteStake,
  quoteUnstake,
  formatUnits9,
} from "../lib/units.ts";

/** `AlphaPools.MIN_RESERVE` and `MAX_INPUT_RESERVE_MULTIPLE`. */
const MIN_RESERVE = 1_000_000n;
const MAX_INPUT_RESERVE_MULTIPLE = 1000n;
/** TAO kept back for the transaction fee when "Max" is used and when checking the balance. */
export const GAS_RESERVE_RAO = 10_000_000n; // 0.01 TAO

export type Checked = { ok: true; amount: bigint; quote: SwapQuote } | { ok: false; reason: string };

export function checkStake(input: {
  amountText: string;
  balanceRao: bigint | undefined;
  minStakeRao: bigint;
  pool: PoolReserves;
}): Checked {
  const parsed = parseAmount9Exact(input.amountText, "TAO");
  if (!parsed.ok) return parsed;
  const amount = parsed.value;
  if (amount === 0n) return { ok: false, reason: "Enter an amount above zero" };
  const minimum = grossForNetUp(input.minStakeRao, input.pool.feeRateOf65535);
  if (amount < minimum)
    return { ok: false, reason: `The minimum stake on this subnet is ${formatUnits9(minimum)} TAO` };
  if (input.balanceRao !== undefined && amount + GAS_RESERVE_RAO > input.balanceRao) {
    return {
      ok: false,
      reason: `Insufficient balance: you have ${formatUnits9(input.balanceRao)} TAO (keep ${formatUnits9(GAS_RESERVE_RAO)} for the fee)`,
    };
  }
  const quote = quoteStake(input.pool, amount);
  const maxIn = input.pool.taoReserveRao * MAX_INPUT_RESERVE_MULTIPLE;
  if (amount - quote.fee > maxIn || input.pool.alphaReserveAlphaRao - quote.amountOut < MIN_RESERVE) {
    return { ok: false, reason: "The amount is too large for this pool" };
  }
  if (quote.amountOut === 0n) return { ok: false, reason: "The amount is too small to buy any alpha" };
  return { ok: true, amount, quote };
}

export function checkUnstake(input: {
  amountText: string;
  stakedAlphaRao: bigint;
  minStakeRao: bigint;
  pool: PoolReserves;
}): Checked {
  const parsed = parseAmount9Exact(input.amountText, "alpha");
  if (!parsed.ok) return parsed;
  const amount = parsed.value;
  if (amount === 0n) return { ok: false, reason: "Enter an amount above zero" };
  if (amount > input.stakedAlphaRao) {
    return { ok: false, reason: `You have ${formatUnits9(input.stakedAlphaRao)} alpha staked on this hotkey` };
  }
  const quote = quoteUnstake(input.pool, amount);
  if (quote.amountOut === 0n) return { ok: false, reason: "The amount is too small to sell for any TAO" };
  if (input.pool.taoReserveRao - quote.amountOut < MIN_RESERVE) {
    return { ok: false, reason: "The amount is too large for this pool" };
  }
  if (amount < input.stakedAlphaRao && quote.amountOut < input.minStakeRao) {
    return {
      ok: false,
      reason: `A partial unstake must be worth at least ${formatUnits9(input.minStakeRao)} TAO; unstake all instead`,
    };
  }
  return { ok: true, amount, quote };
}

/** Slippage typed as a percentage ("0.5") → basis points; out of [0.01 %, 50 %] is an error. */
export function parseSlippageBps(text: string): { ok: true; bps: bigint } | { ok: false; reason: string } {
  const value = Number(text.replace(",", "."));
  if (!Number.isFinite(value) || text.trim() === "")
    return { ok: false, reason: "Slippage must be a number of percent" };
  if (value < 0.01 || value > 50) return { ok: false, reason: "Slippage must be between 0.01 % and 50 %" };
  return { ok: true, bps: BigInt(Math.round(value * 100)) };
}

/** Price impact above which the form warns (parts per million). */
export const IMPACT_WARNING_PPM = 20_000n; // 2 %
export const IMPACT_DANGER_PPM = 100_000n; // 10 %
