/**
 * The subnet economy's math in TypeScript bigint, name for name with `contracts/libraries`, with the same rounding.
 * Clients use it to quote trades and to project emission without a call; `test/ts/model-math.test.ts` checks every
 * function against the Solidity library on the local chain.
 */

export const FEE_DENOMINATOR = 65_535n;
export const PRICE_SCALE = 1_000_000_000n;
export const WAD = 10n ** 18n;
export const TOTAL_SUPPLY = 21_000_000n * 10n ** 9n;
export const INITIAL_BLOCK_EMISSION = 10n ** 9n;
export const MAX_HALVINGS = 30n;
export const VIRTUAL_SHARES = 1_000_000_000n;
export const VIRTUAL_ALPHA = 1n;

const ceilDiv = (a: bigint, b: bigint) => (a === 0n ? 0n : (a - 1n) / b + 1n);

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

/** What `simSwapTaoForAlpha` returns: alpha out for a gross TAO input, the fee taken first. */
export const quoteTaoForAlpha = (taoIn: bigint, taoReserve: bigint, alphaReserve: bigint, feeRate: bigint) =>
  amountOutDown(taoIn - feeOnGross(taoIn, feeRate), taoReserve, alphaReserve);

/** What `simSwapAlphaForTao` returns: TAO out for a gross alpha input, the fee taken first. */
export const quoteAlphaForTao = (alphaIn: bigint, taoReserve: bigint, alphaReserve: bigint, feeRate: bigint) =>
  amountOutDown(alphaIn - feeOnGross(alphaIn, feeRate), alphaReserve, taoReserve);

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
