/**
 * Chain-facing helpers of the dApp, pure and in one file so that the shared client library can replace them in one
 * place: units (wei, rao, alpha-rao) with the rounding in each name, the pool math mirrored from `PoolMath.sol`,
 * limit prices from a quote and a slippage, deadlines from the chain's clock, the EVM → coldkey mapping, and custom
 * errors decoded into one line.
 *
 * Units: on the EVM, TAO has 18 decimals (wei); the chain's amounts have 9 (rao for TAO, alpha-rao for alpha).
 * Prices are either "rao per alpha" (the staking precompile's limit prices) or TAO per alpha × 1e18 ("Wad").
 */
import { blake2b } from "@noble/hashes/blake2.js";
import {
  BaseError,
  ContractFunctionRevertedError,
  UserRejectedRequestError,
  bytesToHex,
  concatBytes,
  hexToBytes,
  stringToBytes,
  type Address,
  type Hex,
} from "viem";

export const WEI_PER_RAO = 1_000_000_000n;
export const RAO_PER_TAO = 1_000_000_000n;
export const WAD = 10n ** 18n;
/** Fee rates are fractions of 65535, as subtensor's `FeeRate`. */
export const FEE_DENOMINATOR = 65_535n;
/** Fractions in basis points (slippage settings). */
export const BPS = 10_000n;

/* UNITS */

export function raoToWei(rao: bigint): bigint {
  return rao * WEI_PER_RAO;
}

/** Wei to rao, dropping any sub-rao part (the chain moves TAO in whole rao only). */
export function weiToRaoDown(wei: bigint): bigint {
  return wei / WEI_PER_RAO;
}

/** Why a typed amount is not a valid 9-decimal amount, or the amount in its 9-decimal base unit. */
export type ParsedAmount = { ok: true; value: bigint } | { ok: false; reason: string };

/**
 * Parses a decimal amount typed by a person ("1.5", "0,25", "1e-3" is refused) into a 9-decimal base unit (rao or
 * alpha-rao) exactly: more than 9 decimals is an error, never a silent rounding.
 */
export function parseAmount9Exact(text: string, unit: string): ParsedAmount {
  const cleaned = text.trim().replace(/_/g, "").replace(",", ".");
  if (cleaned === "") return { ok: false, reason: `Enter an amount of ${unit}` };
  const match = /^(\d*)(?:\.(\d*))?$/.exec(cleaned);
  if (!match || (match[1] === "" && (match[2] ?? "") === "")) {
    return { ok: false, reason: `"${text}" is not a number of ${unit}` };
  }
  const whole = match[1] || "0";
  const fraction = match[2] ?? "";
  if (fraction.length > 9) return { ok: false, reason: `${unit} has at most 9 decimals` };
  const value = BigInt(whole) * RAO_PER_TAO + BigInt(fraction.padEnd(9, "0") || "0");
  return { ok: true, value };
}

/* POOL MATH (mirrors contracts/libraries/PoolMath.sol name for name) */

function ceilDiv(a: bigint, b: bigint): bigint {
  return a === 0n ? 0n : (a - 1n) / b + 1n;
}

/** Integer square root, rounded down. */
export function sqrtDown(value: bigint): bigint {
  if (value < 0n) throw new RangeError("sqrt of a negative number");
  if (value < 2n) return value;
  let x = BigInt(Math.floor(Math.sqrt(Number(value))));
  // Newton steps from the float estimate; then settle on the floor exactly.
  for (;;) {
    const y = (x + value / x) / 2n;
    if (y >= x) break;
    x = y;
  }
  while (x * x > value) x -= 1n;
  while ((x + 1n) * (x + 1n) <= value) x += 1n;
  return x;
}

/** Fee taken from a gross input, rounded up. */
export function feeOnGrossUp(grossIn: bigint, feeRateOf65535: bigint): bigint {
  return ceilDiv(grossIn * feeRateOf65535, FEE_DENOMINATOR);
}

/** Gross input whose fee leaves exactly `netIn`, rounded up. */
export function grossForNetUp(netIn: bigint, feeRateOf65535: bigint): bigint {
  return netIn + ceilDiv(netIn * feeRateOf65535, FEE_DENOMINATOR - feeRateOf65535);
}

/** Output of a constant-product swap of `netIn`, rounded down. */
export function amountOutDown(netIn: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
  return (reserveOut * netIn) / (reserveIn + netIn);
}

/** Spot price in rao per alpha, rounded down. */
export function spotPriceRaoDown(taoReserveRao: bigint, alphaReserveRao: bigint): bigint {
  return alphaReserveRao === 0n ? 0n : (taoReserveRao * RAO_PER_TAO) / alphaReserveRao;
}

/** Spot price in TAO per alpha × 1e18, rounded down. */
export function spotPriceWadDown(taoReserveRao: bigint, alphaReserveRao: bigint): bigint {
  return alphaReserveRao === 0n ? 0n : (taoReserveRao * WAD) / alphaReserveRao;
}

export interface PoolReserves {
  taoReserveRao: bigint;
  alphaReserveRao: bigint;
  feeRateOf65535: bigint;
}

export interface SwapQuote {
  /** What goes in (rao for a stake, alpha-rao for an unstake), fee included. */
  amountIn: bigint;
  fee: bigint;
  /** What comes out, rounded down as the pool pays it. */
  amountOut: bigint;
  /** Spot price before the swap, rao per alpha. */
  spotPriceRao: bigint;
  /** Spot price right after the swap of the net input (what a limit price bounds), rao per alpha, rounded up. */
  endPriceRaoUp: bigint;
  /** Average price paid (stake) or received (unstake), rao per alpha. */
  averagePriceRao: bigint;
  /** How much worse the average price is than the spot price, in parts per million (≥ 0). */
  priceImpactPpm: bigint;
}

/** Quote of a stake of `taoRao` (fee included) against the pool, as `AlphaPools._stake` computes it. */
export function quoteStake(pool: PoolReserves, taoRao: bigint): SwapQuote {
  const x = pool.taoReserveRao;
  const y = pool.alphaReserveRao;
  const fee = feeOnGrossUp(taoRao, pool.feeRateOf65535);
  const net = taoRao - fee;
  const out = amountOutDown(net, x, y);
  const spot = spotPriceRaoDown(x, y);
  // After the swap the reserves are (x + net, x·y/(x + net)) up to rounding, so the price is (x + net)²/(x·y).
  const endPriceRaoUp = x === 0n || y === 0n ? 0n : ceilDiv((x + net) * (x + net) * RAO_PER_TAO, x * y);
  const average = out === 0n ? 0n : (taoRao * RAO_PER_TAO) / out;
  return {
    amountIn: taoRao,
    fee,
    amountOut: out,
    spotPriceRao: spot,
    endPriceRaoUp,
    averagePriceRao: average,
    priceImpactPpm: impactPpm(spot, average, "buy"),
  };
}

/** Quote of an unstake of `alphaRao` (fee included) against the pool, as `AlphaPools._unstake` computes it. */
export function quoteUnstake(pool: PoolReserves, alphaRao: bigint): SwapQuote {
  const x = pool.taoReserveRao;
  const y = pool.alphaReserveRao;
  const fee = feeOnGrossUp(alphaRao, pool.feeRateOf65535);
  const net = alphaRao - fee;
  const out = amountOutDown(net, y, x);
  const spot = spotPriceRaoDown(x, y);
  // After the sale the price is x·y/(y + net)².
  const endPriceRaoUp = y + net === 0n ? 0n : ceilDiv(x * y * RAO_PER_TAO, (y + net) * (y + net));
  const average = alphaRao === 0n ? 0n : (out * RAO_PER_TAO) / alphaRao;
  return {
    amountIn: alphaRao,
    fee,
    amountOut: out,
    spotPriceRao: spot,
    endPriceRaoUp,
    averagePriceRao: average,
    priceImpactPpm: impactPpm(spot, average, "sell"),
  };
}

function impactPpm(spot: bigint, average: bigint, side: "buy" | "sell"): bigint {
  if (spot === 0n || average === 0n) return 0n;
  const worse = side === "buy" ? average - spot : spot - average;
  return worse <= 0n ? 0n : (worse * 1_000_000n) / spot;
}

/* LIMIT PRICES */

/**
 * Limit price of a stake: the quoted price after the swap, raised by the slippage the user accepts, rounded up
 * (at zero slippage the quote itself still fits). Price moves by others beyond it make the stake revert.
 */
export function stakeLimitPriceRaoUp(quote: Pick<SwapQuote, "endPriceRaoUp">, slippageBps: bigint): bigint {
  return ceilDiv(quote.endPriceRaoUp * (BPS + slippageBps), BPS);
}

/** Limit price of an unstake: the quoted price after the sale, lowered by the slippage, rounded down. */
export function unstakeLimitPriceRaoDown(quote: Pick<SwapQuote, "endPriceRaoUp">, slippageBps: bigint): bigint {
  if (slippageBps >= BPS) return 0n;
  // The end price was rounded up; take one off before applying the tolerance so the quote itself still fits.
  const end = quote.endPriceRaoUp > 0n ? quote.endPriceRaoUp - 1n : 0n;
  return (end * (BPS - slippageBps)) / BPS;
}

/* DEADLINES */

/** A deadline `seconds` after the chain's latest block time (never the browser's clock, which may be off). */
export function deadlineFromChain(latestBlockTimestamp: bigint, seconds: number): bigint {
  return latestBlockTimestamp + BigInt(Math.max(0, Math.round(seconds)));
}

/* ACCOUNTS */

/**
 * The Bittensor account id (coldkey) of an EVM address: blake2b_256("evm:" ‖ address), as `AlphaPools.coldkeyOf`
 * and Frontier's `HashedAddressMapping<BlakeTwo256>` compute it.
 */
export function coldkeyOf(address: Address): Hex {
  return bytesToHex(blake2b(concatBytes([stringToBytes("evm:"), hexToBytes(address)]), { dkLen: 32 }));
}

/* ERRORS */

/** Arguments whose name says they are rao or alpha-rao, shown in TAO/alpha with their unit. */
function formatErrorArg(name: string, value: unknown): string {
  if (typeof value === "bigint") {
    return /rao$/i.test(name) && !/alpha/i.test(name) ? `${formatUnits9(value)} TAO` : value.toString();
  }
  if (typeof value === "string" && /^0x[0-9a-f]{64}$/i.test(value)) return `${value.slice(0, 10)}…`;
  return String(value);
}

/** A 9-decimal amount as plain decimal text (no grouping), trailing zeros dropped. */
export function formatUnits9(value: bigint): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / RAO_PER_TAO;
  const fraction = (abs % RAO_PER_TAO).toString().padStart(9, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** Plain words for the contracts' custom errors; the raw name and values follow in the message. */
const ERROR_WORDS: Record<string, string> = {
  AmountTooLow: "Amount below the minimum",
  InsufficientStake: "Not that much stake",
  LimitPriceCrossed: "The price already moved past your limit",
  SlippageTooHigh: "The price would move past your slippage limit",
  OutputBelowMinimum: "Output below your minimum",
  DeadlineExpired: "The deadline passed before the transaction was mined",
  ReservesTooLow: "The pool's reserve would fall too low",
  SwapInputTooLarge: "Amount too large for this pool",
  HotkeyNotRegistered: "That hotkey is not registered",
  UnknownSubnet: "Unknown subnet",
  EnforcedPause: "Staking is paused",
  ZeroAmount: "Enter an amount above zero",
};

/**
 * One line for any error of a read, a simulation or a transaction: the decoded custom error with its values, a
 * rejected signature, or viem's short message. Never a stack trace.
 */
export function describeError(error: unknown): string {
  if (error instanceof BaseError) {
    const rejected = error.walk((e) => e instanceof UserRejectedRequestError);
    if (rejected || isRejection(error)) return "You rejected the request in your wallet.";
    const revert = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (revert instanceof ContractFunctionRevertedError) {
      const data = revert.data;
      if (data?.errorName) {
        const inputs = data.abiItem && "inputs" in data.abiItem ? data.abiItem.inputs : [];
        const args = (data.args ?? []).map((value, i) => {
          const name = inputs[i]?.name || `arg${i}`;
          return `${name} ${formatErrorArg(name, value)}`;
        });
        const words = ERROR_WORDS[data.errorName];
        const detail = `${data.errorName}${args.length ? `(${args.join(", ")})` : ""}`;
        return words ? `${words}: ${detail}` : `Reverted: ${detail}`;
      }
      if (revert.reason) return `Reverted: ${revert.reason}`;
    }
    if (/insufficient funds/i.test(error.message)) return "Insufficient TAO balance for the amount and the fee.";
    return firstLine(error.shortMessage || error.message);
  }
  if (isRejection(error)) return "You rejected the request in your wallet.";
  if (error instanceof Error) return firstLine(error.message);
  return firstLine(String(error));
}

/** EIP-1193's "user rejected" (code 4001), however a wallet wraps it. */
function isRejection(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; e && depth < 6; depth++) {
    if (typeof e === "object" && e !== null && "code" in e && e.code === 4001) return true;
    e = typeof e === "object" && e !== null && "cause" in e ? e.cause : undefined;
  }
  return false;
}

function firstLine(text: string): string {
  return (text.split("\n").find((line) => line.trim() !== "") ?? text).trim();
}
