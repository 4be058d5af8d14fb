/**
 * Limit prices and minimum outputs from a slippage tolerance and a live quote.
 *
 * A stake (buy: TAO → alpha) takes either a minimum alpha out or a limit price, the highest price in rao per alpha
 * the pool may reach; an unstake (sell: alpha → TAO) takes a minimum TAO out or the lowest price it may reach.
 * Every result rounds toward the trader's protection (a buy limit down, a sell limit and a minimum output up), so
 * the tolerance is never wider than asked.
 *
 * Limit prices are rao per alpha (TAO per alpha × 1e9); the chain's price views return TAO per alpha × 1e18 (wad).
 * A wad passed as a limit price is a billion times too high and protects nothing, so `checkLimitPriceRao` rejects a
 * limit that is far from the spot price in either direction, naming the unit.
 *
 * Pure: no I/O.
 */
import { BPS_DENOMINATOR, priceWadToRaoPerAlphaDown, UnitError } from "./units.ts";

export type TradeSide = "buy" | "sell";

/** A limit more than this many times away from the spot price (either way) is taken to be in the wrong unit. */
export const MAX_LIMIT_PRICE_FACTOR = 1_000n;

function checkSlippageBps(slippageBps: bigint): void {
  if (slippageBps < 0n || slippageBps >= BPS_DENOMINATOR) {
    throw new UnitError(
      `slippage must be at least 0 and below 100 % (0 to 9,999 bps), got ${slippageBps} bps: ` +
        `a tolerance of 100 % or more protects nothing`,
    );
  }
}

function checkPositive(what: string, value: bigint): void {
  if (value <= 0n) throw new UnitError(`${what} must be positive, got ${value}`);
}

/** The highest price (rao per alpha) a stake may move the pool to: spot × (1 + slippage), rounded down. */
export function buyLimitPriceRaoDown(spotRaoPerAlpha: bigint, slippageBps: bigint): bigint {
  checkPositive("spotRaoPerAlpha", spotRaoPerAlpha);
  checkSlippageBps(slippageBps);
  return (spotRaoPerAlpha * (BPS_DENOMINATOR + slippageBps)) / BPS_DENOMINATOR;
}

/** The lowest price (rao per alpha) an unstake may move the pool to: spot × (1 − slippage), rounded up. */
export function sellLimitPriceRaoUp(spotRaoPerAlpha: bigint, slippageBps: bigint): bigint {
  checkPositive("spotRaoPerAlpha", spotRaoPerAlpha);
  checkSlippageBps(slippageBps);
  const product = spotRaoPerAlpha * (BPS_DENOMINATOR - slippageBps);
  return (product + BPS_DENOMINATOR - 1n) / BPS_DENOMINATOR;
}

/** The minimum output to accept for a quoted output: quote × (1 − slippage), rounded up (any unit). */
export function minOutUp(quotedOut: bigint, slippageBps: bigint): bigint {
  if (quotedOut < 0n) throw new UnitError(`quotedOut must not be negative, got ${quotedOut}`);
  checkSlippageBps(slippageBps);
  const product = quotedOut * (BPS_DENOMINATOR - slippageBps);
  return (product + BPS_DENOMINATOR - 1n) / BPS_DENOMINATOR;
}

/**
 * The limit price for a trade from the chain's spot price wad (`getAlphaPrice`) and a slippage tolerance.
 * Returns the limit in rao per alpha, ready for `addStakeLimit` / `removeStakeLimit`, and the spot it came from.
 */
export function limitPriceFromSlippage(options: { side: TradeSide; spotPriceWad: bigint; slippageBps: bigint }): {
  limitPriceRao: bigint;
  spotRaoPerAlpha: bigint;
} {
  const spotRaoPerAlpha = priceWadToRaoPerAlphaDown(options.spotPriceWad);
  if (spotRaoPerAlpha === 0n) {
    throw new UnitError(
      `the spot price ${options.spotPriceWad} (TAO per alpha × 1e18) is below 1 rao per alpha: ` +
        `no limit price can be set on this pool`,
    );
  }
  const limitPriceRao =
    options.side === "buy"
      ? buyLimitPriceRaoDown(spotRaoPerAlpha, options.slippageBps)
      : sellLimitPriceRaoUp(spotRaoPerAlpha, options.slippageBps);
  return { limitPriceRao, spotRaoPerAlpha };
}

/**
 * Rejects a limit price (rao per alpha) that is clearly in the wrong unit: more than `MAX_LIMIT_PRICE_FACTOR` times
 * above or below the spot price. Typical mistakes: a price wad (× 1e18, a billion times too high) or a whole number
 * of TAO per alpha (a billion times too low). Either would protect nothing.
 */
export function checkLimitPriceRao(options: { side: TradeSide; limitPriceRao: bigint; spotRaoPerAlpha: bigint }): void {
  const { side, limitPriceRao, spotRaoPerAlpha } = options;
  checkPositive("spotRaoPerAlpha", spotRaoPerAlpha);
  const label = `${side} limit price ${limitPriceRao} rao per alpha`;
  const spot = `the spot price ${spotRaoPerAlpha} rao per alpha`;
  if (limitPriceRao > spotRaoPerAlpha * MAX_LIMIT_PRICE_FACTOR) {
    throw new UnitError(
      `${label} is ${limitPriceRao / spotRaoPerAlpha}× ${spot}: limit prices are rao per alpha ` +
        `(TAO per alpha × 1e9), not a price wad (TAO per alpha × 1e18, a billion times larger); ` +
        `convert a wad with priceWadToRaoPerAlphaDown`,
    );
  }
  if (limitPriceRao * MAX_LIMIT_PRICE_FACTOR < spotRaoPerAlpha) {
    throw new UnitError(
      `${label} is below 1/${MAX_LIMIT_PRICE_FACTOR} of ${spot}: limit prices are rao per alpha ` +
        `(TAO per alpha × 1e9), not TAO per alpha`,
    );
  }
}
