/**
 * The subnet economy's math in TypeScript bigint, name for name with `contracts/libraries`, with the same rounding.
 * Clients use it to quote trades and to project emission without a call; `test/ts/model-math.test.ts` checks every
 * function against the Solidity library on the local chain (through `contracts/mocks/ModelMathHarness.sol`).
 *
 * Where a library function reverts, its mirror throws a `ModelMathError` with the same custom error name and
 * arguments. Library prefixes appear only where two libraries share a name: `MovingPriceLib.advance` is
 * `advanceMovingPrice`.
 */

export const FEE_DENOMINATOR = 65_535n;
export const PRICE_SCALE = 1_000_000_000n;
export const WAD = 10n ** 18n;
export const TOTAL_SUPPLY = 21_000_000n * 10n ** 9n;
export const INITIAL_BLOCK_EMISSION = 10n ** 9n;
export const MAX_HALVINGS = 30n;
export const VIRTUAL_SHARES = 1_000_000_000n;
export const VIRTUAL_ALPHA = 1n;

export const OWNER_CUT_OF_65535 = 11_796n;
export const Q32 = 1n << 32n;
export const MIN_RESERVE = 1_000_000n;
export const MAX_INPUT_RESERVE_MULTIPLE = 1_000n;
export const NO_BUY_LIMIT = 2n ** 256n - 1n;
const U64 = 2n ** 64n - 1n;

/** A library revert: the custom error's name and arguments, as the contract reports them. */
export class ModelMathError extends Error {
  readonly errorName: string;
  readonly args: readonly bigint[];

  constructor(errorName: string, args: readonly bigint[]) {
    super(`${errorName}(${args.join(", ")})`);
    this.name = "ModelMathError";
    this.errorName = errorName;
    this.args = args;
  }
}

const ceilDiv = (a: bigint, b: bigint) => (a === 0n ? 0n : (a - 1n) / b + 1n);

/** OpenZeppelin's SafeCast.toUint64, for the pool fields. */
function toUint64(value: bigint): bigint {
  if (value > U64) throw new ModelMathError("SafeCastOverflowedUintDowncast", [64n, value]);
  return value;
}

/** ⌊√n⌋ by Newton's method. */
export function sqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt((n.toString(2).length + 1) >> 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/* PoolMath */

export const feeOnGross = (grossIn: bigint, feeRate: bigint) => ceilDiv(grossIn * feeRate, FEE_DENOMINATOR);

export const grossForNet = (netIn: bigint, feeRate: bigint) =>
  netIn + ceilDiv(netIn * feeRate, FEE_DENOMINATOR - feeRate);

export const amountOutDown = (netIn: bigint, reserveIn: bigint, reserveOut: bigint) =>
  (reserveOut * netIn) / (reserveIn + netIn);

export const spotPriceRao = (taoReserve: bigint, alphaReserve: bigint) =>
  alphaReserve === 0n ? 0n : (taoReserve * PRICE_SCALE) / alphaReserve;

export const spotPriceWad = (taoReserve: bigint, alphaReserve: bigint) =>
  alphaReserve === 0n ? 0n : (taoReserve * WAD) / alphaReserve;

export function maxNetTaoInForLimit(taoReserve: bigint, alphaReserve: bigint, limitRao: bigint): bigint {
  const target = sqrt((alphaReserve * taoReserve * limitRao) / PRICE_SCALE);
  return target > taoReserve ? target - taoReserve : 0n;
}

export function maxNetAlphaInForLimit(taoReserve: bigint, alphaReserve: bigint, limitRao: bigint): bigint {
  if (limitRao === 0n) return 2n ** 256n - 1n;
  const target = sqrt((alphaReserve * taoReserve * PRICE_SCALE) / limitRao);
  return target > alphaReserve ? target - alphaReserve : 0n;
}

/**
 * Largest alpha sold into pool 1 whose TAO, bought into pool 2, keeps the price of pool-1 alpha in pool-2 alpha at
 * least `limitRaoPerAlpha` (fees ignored, as subtensor's `get_max_amount_move`); rounded down.
 */
export function maxAlphaInForCrossLimit(
  originAlphaReserve: bigint,
  originTaoReserve: bigint,
  destinationAlphaReserve: bigint,
  destinationTaoReserve: bigint,
  limitRaoPerAlpha: bigint,
): bigint {
  const root = sqrt(
    (originAlphaReserve * originTaoReserve * PRICE_SCALE * destinationAlphaReserve * destinationTaoReserve) /
      limitRaoPerAlpha,
  );
  const base = originAlphaReserve * destinationTaoReserve;
  return root > base ? (root - base) / (originTaoReserve + destinationTaoReserve) : 0n;
}

/** Alpha out for a gross TAO input at the given reserves, the fee taken first (SwapLib.quote with taoIn). */
export const quoteTaoForAlpha = (taoIn: bigint, taoReserve: bigint, alphaReserve: bigint, feeRate: bigint) =>
  amountOutDown(taoIn - feeOnGross(taoIn, feeRate), taoReserve, alphaReserve);

/** TAO out for a gross alpha input at the given reserves, the fee taken first (SwapLib.quote with alpha in). */
export const quoteAlphaForTao = (alphaIn: bigint, taoReserve: bigint, alphaReserve: bigint, feeRate: bigint) =>
  amountOutDown(alphaIn - feeOnGross(alphaIn, feeRate), alphaReserve, taoReserve);

/* SwapLib (pure swaps on a pool value; the mirror returns the new pool instead of changing it) */

/** A subnet's pool as `IAlphaPoolsTypes.Pool` holds it (and viem reads it: a uint32 is a number). */
export interface Pool {
  taoRao: bigint;
  alphaRao: bigint;
  lastAccrualBlock: number;
  volumeRao: bigint;
}

export interface BuyResult {
  alphaRao: bigint;
  usedRao: bigint;
  feeRao: bigint;
  pool: Pool;
}

export interface SellResult {
  taoRao: bigint;
  soldAlphaRao: bigint;
  feeAlphaRao: bigint;
  pool: Pool;
}

/** SwapLib.buyAlpha: buys alpha with `grossRao`, capped at a limit price (partially when allowed). */
export function buyAlpha(
  pool: Pool,
  grossRao: bigint,
  feeRateOf65535: bigint,
  limitPriceRaoPerAlpha: bigint,
  allowPartial: boolean,
  minNetRao: bigint,
): BuyResult {
  let usedRao = grossRao;
  let feeRao = feeOnGross(grossRao, feeRateOf65535);
  let netRao = grossRao - feeRao;
  if (limitPriceRaoPerAlpha !== NO_BUY_LIMIT) {
    const spot = spotPriceRao(pool.taoRao, pool.alphaRao);
    if (limitPriceRaoPerAlpha <= spot) throw new ModelMathError("LimitPriceCrossed", [limitPriceRaoPerAlpha, spot]);
    const maxNetRao = maxNetTaoInForLimit(pool.taoRao, pool.alphaRao, limitPriceRaoPerAlpha);
    if (netRao > maxNetRao) {
      if (!allowPartial) throw new ModelMathError("SlippageTooHigh", [netRao, maxNetRao]);
      netRao = maxNetRao;
      usedRao = grossForNet(netRao, feeRateOf65535);
      feeRao = usedRao - netRao;
      if (netRao < minNetRao) throw new ModelMathError("AmountTooLow", [netRao, minNetRao]);
    }
  }
  const maxInRao = pool.taoRao * MAX_INPUT_RESERVE_MULTIPLE;
  if (netRao > maxInRao) throw new ModelMathError("SwapInputTooLarge", [netRao, maxInRao]);
  const alphaRao = amountOutDown(netRao, pool.taoRao, pool.alphaRao);
  if (pool.alphaRao - alphaRao < MIN_RESERVE) {
    throw new ModelMathError("ReservesTooLow", [pool.alphaRao - alphaRao, MIN_RESERVE]);
  }
  const after: Pool = {
    taoRao: toUint64(pool.taoRao + usedRao),
    alphaRao: pool.alphaRao - alphaRao,
    lastAccrualBlock: pool.lastAccrualBlock,
    volumeRao: pool.volumeRao + usedRao,
  };
  return { alphaRao, usedRao, feeRao, pool: after };
}

/** SwapLib.sellAlpha: sells `grossAlphaRao` for TAO, at a price of at least a nonzero limit (partially when allowed). */
export function sellAlpha(
  pool: Pool,
  grossAlphaRao: bigint,
  feeRateOf65535: bigint,
  minPriceRaoPerAlpha: bigint,
  allowPartial: boolean,
): SellResult {
  let soldAlphaRao = grossAlphaRao;
  let feeAlphaRao = feeOnGross(grossAlphaRao, feeRateOf65535);
  let netAlphaRao = grossAlphaRao - feeAlphaRao;
  if (minPriceRaoPerAlpha !== 0n) {
    const spot = spotPriceRao(pool.taoRao, pool.alphaRao);
    if (minPriceRaoPerAlpha >= spot) throw new ModelMathError("LimitPriceCrossed", [minPriceRaoPerAlpha, spot]);
    const maxNet = maxNetAlphaInForLimit(pool.taoRao, pool.alphaRao, minPriceRaoPerAlpha);
    if (netAlphaRao > maxNet) {
      if (!allowPartial) throw new ModelMathError("SlippageTooHigh", [netAlphaRao, maxNet]);
      netAlphaRao = maxNet;
      soldAlphaRao = grossForNet(netAlphaRao, feeRateOf65535);
      feeAlphaRao = soldAlphaRao - netAlphaRao;
    }
  }
  const maxInAlphaRao = pool.alphaRao * MAX_INPUT_RESERVE_MULTIPLE;
  if (netAlphaRao > maxInAlphaRao) throw new ModelMathError("SwapInputTooLarge", [netAlphaRao, maxInAlphaRao]);
  const taoRao = amountOutDown(netAlphaRao, pool.alphaRao, pool.taoRao);
  if (taoRao === 0n) throw new ModelMathError("InsufficientLiquidity", []);
  if (pool.taoRao - taoRao < MIN_RESERVE)
    throw new ModelMathError("ReservesTooLow", [pool.taoRao - taoRao, MIN_RESERVE]);
  const after: Pool = {
    taoRao: pool.taoRao - taoRao,
    alphaRao: toUint64(pool.alphaRao + soldAlphaRao),
    lastAccrualBlock: pool.lastAccrualBlock,
    volumeRao: pool.volumeRao + taoRao,
  };
  return { taoRao, soldAlphaRao, feeAlphaRao, pool: after };
}

/** SwapLib.canSellAlpha: whether a no-limit sale of `grossAlphaRao` would go through. */
export function canSellAlpha(pool: Pool, grossAlphaRao: bigint, feeRateOf65535: bigint): boolean {
  const netAlphaRao = grossAlphaRao - feeOnGross(grossAlphaRao, feeRateOf65535);
  if (netAlphaRao > pool.alphaRao * MAX_INPUT_RESERVE_MULTIPLE) return false;
  const taoRao = amountOutDown(netAlphaRao, pool.alphaRao, pool.taoRao);
  return taoRao !== 0n && pool.taoRao - taoRao >= MIN_RESERVE;
}

/** SwapLib.quote: the output of a swap of `grossIn` (the fee taken first) at the pool's reserves. */
export const quote = (pool: Pool, grossIn: bigint, feeRateOf65535: bigint, taoIn: boolean): bigint =>
  taoIn
    ? quoteTaoForAlpha(grossIn, pool.taoRao, pool.alphaRao, feeRateOf65535)
    : quoteAlphaForTao(grossIn, pool.taoRao, pool.alphaRao, feeRateOf65535);

/* EmissionMath */

export function halvings(issuance: bigint): bigint {
  if (issuance >= TOTAL_SUPPLY) return MAX_HALVINGS + 1n;
  const remaining = TOTAL_SUPPLY - issuance;
  let k = 0n;
  while (k <= MAX_HALVINGS && remaining << (k + 1n) <= TOTAL_SUPPLY) k++;
  return k;
}

export function blockEmission(issuance: bigint): bigint {
  const k = halvings(issuance);
  return k > MAX_HALVINGS ? 0n : INITIAL_BLOCK_EMISSION >> k;
}

export const nextHalvingIssuance = (k: bigint) => TOTAL_SUPPLY - (TOTAL_SUPPLY >> (k + 1n));

export function emissionOver(issuance: bigint, blocks: bigint): bigint {
  let emitted = 0n;
  let k = halvings(issuance);
  while (blocks !== 0n && k <= MAX_HALVINGS) {
    const perBlock = INITIAL_BLOCK_EMISSION >> k;
    if (perBlock === 0n) break;
    const blocksInEra = ceilDiv(nextHalvingIssuance(k) - issuance, perBlock);
    const n = blocks < blocksInEra ? blocks : blocksInEra;
    emitted += n * perBlock;
    issuance += n * perBlock;
    blocks -= n;
    k = halvings(issuance);
  }
  return emitted;
}

/* MovingPriceLib */

export function powWad(x: bigint, n: bigint): bigint {
  let result = WAD;
  while (n !== 0n) {
    if ((n & 1n) === 1n) result = (result * x) / WAD;
    n >>= 1n;
    if (n !== 0n) x = (x * x) / WAD;
  }
  return result;
}

export function advanceMovingPrice(
  movingWad: bigint,
  spotWad: bigint,
  baseAlphaWad: bigint,
  halvingBlocks: bigint,
  blocksSinceStart: bigint,
  blocks: bigint,
): bigint {
  if (blocks === 0n) return movingWad;
  const target = spotWad < WAD ? spotWad : WAD;
  const bMid = blocksSinceStart + (blocks - 1n) / 2n;
  let alphaWad = (baseAlphaWad * bMid) / (bMid + halvingBlocks);
  if (alphaWad > WAD) alphaWad = WAD;
  const keep = powWad(WAD - alphaWad, blocks);
  if (movingWad >= target) return target + ((movingWad - target) * keep) / WAD;
  return target - ceilDiv((target - movingWad) * keep, WAD);
}

/* SharesMath */

export const toSharesDown = (alpha: bigint, totalAlpha: bigint, totalShares: bigint) =>
  (alpha * (totalShares + VIRTUAL_SHARES)) / (totalAlpha + VIRTUAL_ALPHA);

export const toSharesUp = (alpha: bigint, totalAlpha: bigint, totalShares: bigint) =>
  ceilDiv(alpha * (totalShares + VIRTUAL_SHARES), totalAlpha + VIRTUAL_ALPHA);

export const toAlphaDown = (shares: bigint, totalAlpha: bigint, totalShares: bigint) =>
  (shares * (totalAlpha + VIRTUAL_ALPHA)) / (totalShares + VIRTUAL_SHARES);

/** The part of `unvestedAlpha` that vests after `elapsedBlocks` of the `leftBlocks` still to go, rounded down. */
export const vestedDown = (unvestedAlpha: bigint, elapsedBlocks: bigint, leftBlocks: bigint) =>
  elapsedBlocks >= leftBlocks ? unvestedAlpha : (unvestedAlpha * elapsedBlocks) / leftBlocks;

/* BurnMath (subtensor's registration burn in Q32) */

/** base^exponent in Q32, square-and-multiply truncating every product (subtensor's `pow_q32`). */
export function powQ32(base: bigint, exponent: bigint): bigint {
  let result = Q32;
  while (exponent !== 0n) {
    if ((exponent & 1n) === 1n) result = (result * base) >> 32n;
    exponent >>= 1n;
    if (exponent !== 0n) base = (base * base) >> 32n;
  }
  return result;
}

/** The largest Q32 factor f with f^halfLife ≤ 1/2 (subtensor's `decay_factor_q32`); 1.0 for a half-life of 0. */
export function decayFactorQ32(halfLife: bigint): bigint {
  if (halfLife === 0n) return Q32;
  let lo = 0n;
  let hi = Q32;
  while (lo < hi) {
    const mid = (lo + hi + 1n) / 2n;
    if (powQ32(mid, halfLife) <= Q32 / 2n) lo = mid;
    else hi = mid - 1n;
  }
  return lo;
}

export const clamp = (value: bigint, lo: bigint, hi: bigint) => (value < lo ? lo : value > hi ? hi : value);

/** The burn after `blocks` blocks of decay with `halfLife`, clamped to [min, max]. */
export function decayed(burnRao: bigint, halfLife: bigint, blocks: bigint, minBurnRao: bigint, maxBurnRao: bigint) {
  if (blocks !== 0n && halfLife !== 0n) burnRao = (burnRao * powQ32(decayFactorQ32(halfLife), blocks)) >> 32n;
  return clamp(burnRao, minBurnRao, maxBurnRao);
}

/** The burn after a registration: × `increaseMultWad` / 1e18 (at least 1), rounded down, clamped. */
export function bumped(burnRao: bigint, increaseMultWad: bigint, minBurnRao: bigint, maxBurnRao: bigint) {
  if (increaseMultWad < WAD) increaseMultWad = WAD;
  return clamp((burnRao * increaseMultWad) / WAD, minBurnRao, maxBurnRao);
}

/* CoinbaseLib (the pure parts a client projects with) */

/** The pending alpha split as an epoch distributes it, from the subnet's books. */
export function splitPending(books: {
  pendingAlphaOutRao: bigint;
  pendingRootAlphaRao: bigint;
  pendingRecycledRootAlphaRao: bigint;
}) {
  const total = books.pendingAlphaOutRao;
  const ownerCutAlphaRao = (total * OWNER_CUT_OF_65535) / FEE_DENOMINATOR;
  const serverAlphaRao = (total - ownerCutAlphaRao) / 2n;
  const validatorAlphaRao =
    total - ownerCutAlphaRao - serverAlphaRao - books.pendingRootAlphaRao - books.pendingRecycledRootAlphaRao;
  if (validatorAlphaRao < 0n) throw new ModelMathError("Panic", [0x11n]);
  return { ownerCutAlphaRao, serverAlphaRao, validatorAlphaRao, rootAlphaRao: books.pendingRootAlphaRao };
}

/** subtensor's injection: TAO and alpha at the pool's price, alpha capped; the rest of the TAO buys alpha. */
export function injection(pool: Pool, taoEmissionRao: bigint, capAlphaRao: bigint) {
  if (taoEmissionRao === 0n) return { taoInRao: 0n, alphaInRao: 0n, chainBuyTaoRao: 0n, boughtAlphaRao: 0n };
  let alphaInRao = (taoEmissionRao * pool.alphaRao) / pool.taoRao;
  let taoInRao = taoEmissionRao;
  if (alphaInRao > capAlphaRao) {
    alphaInRao = capAlphaRao;
    taoInRao = (capAlphaRao * pool.taoRao) / pool.alphaRao;
  }
  const chainBuyTaoRao = taoEmissionRao - taoInRao;
  let boughtAlphaRao = 0n;
  if (chainBuyTaoRao !== 0n) {
    const taoAfter = pool.taoRao + taoInRao;
    const alphaAfter = pool.alphaRao + alphaInRao;
    boughtAlphaRao = amountOutDown(chainBuyTaoRao, taoAfter, alphaAfter);
    if (alphaAfter - boughtAlphaRao < MIN_RESERVE) {
      boughtAlphaRao = alphaAfter > MIN_RESERVE ? alphaAfter - MIN_RESERVE : 0n;
    }
  }
  return { taoInRao, alphaInRao, chainBuyTaoRao, boughtAlphaRao };
}

/* LockCostLib */

export function lockCost(
  minLockRao: bigint,
  lastLockRao: bigint,
  lastLockBlock: bigint,
  currentBlock: bigint,
  reductionInterval: bigint,
): bigint {
  const base = lastLockBlock === 0n ? lastLockRao : 2n * lastLockRao;
  // subtensor divides first, with integer division.
  const reduction =
    reductionInterval === 0n ? base : (lastLockRao / reductionInterval) * (currentBlock - lastLockBlock);
  const cost = base > reduction ? base - reduction : 0n;
  return cost > minLockRao ? cost : minLockRao;
}
