/**
 * The dApp's chain-facing helpers. Units, limit prices, deadlines and error decoding come from the project's client
 * library (`client/`), the pool math from its TypeScript mirror of the contracts' libraries
 * (`keeper/model/math.ts`) and the EVM → coldkey mapping from `keeper/chain`, so nothing is written twice; what is
 * here is the dApp's own: reading what a person types, quotes with their price impact, and errors in plain words.
 *
 * Units: on the EVM, TAO has 18 decimals (wei); the chain's amounts have 9 (rao for TAO, alpha-rao for alpha).
 * Prices are either "rao per alpha" (the staking precompile's limit prices) or TAO per alpha × 1e18 ("Wad").
 */
import { BaseError, UserRejectedRequestError, type Address, type Hex } from "viem";

import {
  buyLimitPriceRaoDown,
  decodeError,
  deadlineAfter,
  formatUnitsDown,
  parseDecimalUnits,
  RAO_PER_TAO,
  sellLimitPriceRaoUp,
  UnitError,
  type AbiError,
} from "../../../client/index.ts";
import { evmToAccountId } from "../../../keeper/chain/accountId.ts";
import {
  amountOutDown,
  feeOnGross,
  grossForNet,
  spotPriceRao,
  spotPriceWad,
  sqrt,
} from "../../../keeper/model/math.ts";
import {
  allocationRouterAbi,
  alphaPoolsAbi,
  epochSettlementAbi,
  fundFactoryAbi,
  liquidAlphaVaultAbi,
  liquidVaultFactoryAbi,
  marketsLensAbi,
  metagraphAbi,
  rootDividendsAbi,
  subnetRegistryAbi,
} from "../generated.ts";

export { raoToWei, weiToRaoDown, RAO_PER_TAO, WAD, gasWithHeadroom } from "../../../client/index.ts";

/** Basis points per whole (slippage settings). */
export const BPS = 10_000n;

/* READING WHAT A PERSON TYPES */

/** Why a typed amount is not a valid 9-decimal amount, or the amount in its 9-decimal base unit. */
export type ParsedAmount = { ok: true; value: bigint } | { ok: false; reason: string };

/**
 * Parses an amount typed by a person into a 9-decimal base unit (rao or alpha-rao) exactly, with the client
 * library's rules (more than 9 decimals is an error, never a silent rounding). A decimal comma and `_` separators
 * are accepted, as people type them.
 */
export function parseAmount9Exact(text: string, unit: string): ParsedAmount {
  const cleaned = text.trim().replace(/_/g, "").replace(",", ".");
  if (cleaned === "") return { ok: false, reason: `Enter an amount of ${unit}` };
  try {
    return { ok: true, value: parseDecimalUnits(cleaned, 9, unit) };
  } catch (error) {
    if (error instanceof UnitError) return { ok: false, reason: error.message };
    throw error;
  }
}

/** A 9-decimal amount as plain decimal text, exact (no grouping; trailing zeros dropped), e.g. for a form field. */
export function formatUnits9(value: bigint): string {
  return formatUnitsDown(value, 9, { maxDecimals: 9, grouping: false });
}

/* QUOTES */

/** Integer square root, rounded down. */
export const sqrtDown = sqrt;

export interface PoolReserves {
  taoReserveRao: bigint;
  alphaReserveAlphaRao: bigint;
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

function ceilDiv(a: bigint, b: bigint): bigint {
  return a === 0n ? 0n : (a - 1n) / b + 1n;
}

/** Quote of a stake of `taoRao` (fee included) against the pool, as the pools' `SwapLib.buyAlpha` computes it. */
export function quoteStake(pool: PoolReserves, taoRao: bigint): SwapQuote {
  const x = pool.taoReserveRao;
  const y = pool.alphaReserveAlphaRao;
  const fee = feeOnGross(taoRao, pool.feeRateOf65535);
  const net = taoRao - fee;
  const out = amountOutDown(net, x, y);
  const spot = spotPriceRao(x, y);
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

/** Quote of an unstake of `alphaRao` (fee included) against the pool, as the pools' `SwapLib.sellAlpha` does. */
export function quoteUnstake(pool: PoolReserves, alphaRao: bigint): SwapQuote {
  const x = pool.taoReserveRao;
  const y = pool.alphaReserveAlphaRao;
  const fee = feeOnGross(alphaRao, pool.feeRateOf65535);
  const net = alphaRao - fee;
  const out = amountOutDown(net, y, x);
  const spot = spotPriceRao(x, y);
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

/** The gross input whose fee leaves `netIn` (the minimum stake with its fee), rounded up. */
export const grossForNetUp = grossForNet;

/** Spot price in TAO per alpha × 1e18, rounded down. */
export const spotPriceWadDown = spotPriceWad;

export { amountOutDown };

function impactPpm(spot: bigint, average: bigint, side: "buy" | "sell"): bigint {
  if (spot === 0n || average === 0n) return 0n;
  const worse = side === "buy" ? average - spot : spot - average;
  return worse <= 0n ? 0n : (worse * 1_000_000n) / spot;
}

/* LIMIT PRICES AND DEADLINES */

/**
 * Limit price of a stake: the quoted price after the swap, raised by the slippage the user accepts (the client
 * library's rule, rounded toward protection). At zero slippage the quote itself still fits; price moves by others
 * beyond the tolerance make the stake revert.
 */
export function stakeLimitPriceRao(quote: Pick<SwapQuote, "endPriceRaoUp">, slippageBps: bigint): bigint {
  return buyLimitPriceRaoDown(quote.endPriceRaoUp, slippageBps);
}

/** Limit price of an unstake: the quoted price after the sale, lowered by the slippage (rounded toward protection). */
export function unstakeLimitPriceRao(quote: Pick<SwapQuote, "endPriceRaoUp">, slippageBps: bigint): bigint {
  // The end price was rounded up; take one off so the quote itself still fits.
  const end = quote.endPriceRaoUp > 1n ? quote.endPriceRaoUp - 1n : 1n;
  return sellLimitPriceRaoUp(end, slippageBps);
}

/** A deadline `seconds` after the chain's latest block time (never the browser's clock, which may be off). */
export function deadlineFromChain(latestBlockTimestamp: bigint, seconds: number): bigint {
  return deadlineAfter(latestBlockTimestamp, Math.max(1, Math.round(seconds)));
}

/* ACCOUNTS */

/**
 * The Bittensor account id (coldkey) of an EVM address: blake2b_256("evm:" ‖ address), as `AlphaPools.coldkeyOf`
 * and Frontier's `HashedAddressMapping<BlakeTwo256>` compute it.
 */
export function coldkeyOf(address: Address): Hex {
  return evmToAccountId(address);
}

/* ERRORS */

/** Every error the dApp's contracts declare, for decoding a revert whichever contract raised it. */
const ERRORS: AbiError[] = [
  alphaPoolsAbi,
  allocationRouterAbi,
  liquidAlphaVaultAbi,
  liquidVaultFactoryAbi,
  epochSettlementAbi,
  marketsLensAbi,
  metagraphAbi,
  rootDividendsAbi,
  subnetRegistryAbi,
  fundFactoryAbi,
]
  .flatMap((abi) => abi as readonly { type: string }[])
  .filter((item): item is AbiError => item.type === "error");

/**
 * Adds the errors of ABIs that load with a lazy page (the funds'), so `describeError` decodes them too. An error
 * already known (same name and inputs) is not added twice.
 */
export function registerErrors(...abis: readonly (readonly { type: string }[])[]): void {
  const known = new Set(ERRORS.map(errorSignature));
  for (const item of abis.flat()) {
    if (item.type !== "error") continue;
    const signature = errorSignature(item as AbiError);
    if (known.has(signature)) continue;
    known.add(signature);
    ERRORS.push(item as AbiError);
  }
}

function errorSignature(item: AbiError): string {
  return `${item.name}(${item.inputs.map((i) => i.type).join(",")})`;
}

/** Arguments whose name says they are rao, shown in TAO with the unit; alpha-rao in alpha. */
function formatErrorArg(name: string, value: unknown): string {
  if (typeof value === "bigint") {
    if (/alpharao$/i.test(name)) return `${formatUnits9(value)} alpha`;
    if (/rao$/i.test(name)) return `${formatUnits9(value)} TAO`;
    return value.toString();
  }
  if (typeof value === "string" && /^0x[0-9a-f]{64}$/i.test(value)) return `${value.slice(0, 10)}…`;
  return String(value);
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
  SubtokenDisabled: "Staking on this subnet opens with its owner's start call",
  EnforcedPause: "Staking is paused",
  ZeroAmount: "Enter an amount above zero",
  AlreadyClaimed: "This credit was already claimed",
  InvalidProof: "The proof does not match the epoch's results",
  ClaimAboveReport: "The claim is above what the epoch left to claim",
  NotSubmitted: "The epoch is not finalised",
  WrongSubnet: "The subnet was registered again since that epoch",
  SharesBelowMinimum: "Fewer shares than your slippage setting allows",
  TaoBelowMinimum: "Less TAO than your slippage setting allows",
  AlphaBelowMinimum: "Less alpha than your slippage setting allows",
  AmountBelowMinimum: "A leg is under the vaults' minimum deposit",
  DepositsPaused: "Deposits into this vault are paused",
  SubnetDissolved: "The subnet was dissolved",
  TooManyLegs: "Too many subnets in one allocation",
  RemainderWouldBeSwept: "What would stay in the vault is under the chain's minimum: redeem more, or all",
  StakeMissing: "The vault's stake is gone (a hotkey swap): exits wait for governance",
  RaiseNotOpen: "The raise is not open",
  RaiseStillOpen: "The raise is still open",
  WrongPhase: "Not possible in the raise's current phase",
  NotAllowlisted: "Your address is not on the fund's allowlist",
  ContributionBelowMinimum: "Below the minimum contribution",
  ContributionAboveMaximum: "Above the maximum contribution",
  HardCapExceeded: "More than what is left under the hard cap",
  NothingToRefund: "Nothing to refund",
  NothingToClaim: "Nothing to claim",
  RedemptionTooSmall: "Below the fund's smallest redemption",
  NotRequestOwner: "That request is not yours",
  NothingToCancel: "Nothing left to cancel",
  IsShutDown: "The fund is shut down",
  RebalanceTooSoon: "Too soon since the last rebalance",
  NotWholeRao: "Not a whole number of rao",
  PriceBelowFloor: "The price is below the fund's floor",
  PriceAboveLimit: "The price is above the fund's limit",
};

/**
 * One line for any error of a read, a simulation or a transaction: the decoded custom error with its values, a
 * rejected signature, or viem's short message. Never a stack trace.
 */
export function describeError(error: unknown): string {
  if (isRejection(error) || (error instanceof BaseError && error.walk((e) => e instanceof UserRejectedRequestError))) {
    return "You rejected the request in your wallet.";
  }
  const decoded = decodeError(error, ERRORS);
  if (decoded.name !== undefined) {
    const item = ERRORS.find((e) => e.name === decoded.name);
    const args = decoded.args.map((value, i) => {
      const name = item?.inputs[i]?.name || `arg${i}`;
      return `${name} ${formatErrorArg(name, value)}`;
    });
    const detail = `${decoded.name}${args.length ? `(${args.join(", ")})` : ""}`;
    const words = ERROR_WORDS[decoded.name];
    return words ? `${words}: ${detail}` : `Reverted: ${detail}`;
  }
  if (decoded.data !== undefined) return `Reverted: ${decoded.line}`;
  if (error instanceof BaseError) {
    if (/insufficient funds/i.test(error.message)) return "Insufficient TAO balance for the amount and the fee.";
    return firstLine(error.shortMessage || error.message);
  }
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
