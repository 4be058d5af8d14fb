/**
 * Units of Alpha Markets, as bigints, with the rounding in every name.
 *
 *   wei        native TAO on the EVM, 18 decimals (msg.value, balances)
 *   rao        TAO on the chain, 9 decimals: 1 rao = 1e9 wei (every TAO amount the contracts take or return)
 *   alpha-rao  a subnet's alpha, 9 decimals (stake, pool reserves)
 *   wad        a fixed-point number × 1e18 (`getAlphaPrice`, `getMovingAlphaPrice`: TAO per alpha × 1e18)
 *   of 65535   a fraction whose denominator is 65,535 (fee rate, miner burn, weights)
 *   bps        a fraction whose denominator is 10,000 (slippage)
 *
 * Limit prices are rao per alpha (TAO per alpha × 1e9), as in subtensor's staking precompile: a price wad is
 * 1e9 times larger. The conversions here are the only place the factor appears.
 *
 * Pure: no I/O, no `node:*` imports (the dApp imports this module too).
 */

export const WEI_PER_RAO = 1_000_000_000n;
export const RAO_PER_TAO = 1_000_000_000n;
export const ALPHA_RAO_PER_ALPHA = 1_000_000_000n;
export const WEI_PER_TAO = WEI_PER_RAO * RAO_PER_TAO;
export const WAD = 1_000_000_000_000_000_000n;
/** A price wad per rao-per-alpha: TAO/alpha × 1e18 = (rao per alpha) × 1e9. */
export const PRICE_WAD_PER_RAO_PER_ALPHA = WAD / RAO_PER_TAO;
export const DENOMINATOR_65535 = 65_535n;
export const BPS_DENOMINATOR = 10_000n;

/** Decimals of each unit's human form. */
export const TAO_DECIMALS = 9;
export const ALPHA_DECIMALS = 9;

/** Bad input to a unit function: the message names the value and what is allowed. */
export class UnitError extends Error {
  override name = "UnitError";
}

function requireNonNegative(what: string, value: bigint): void {
  if (value < 0n) throw new UnitError(`${what} must not be negative, got ${value}`);
}

function divUp(a: bigint, b: bigint): bigint {
  return a === 0n ? 0n : (a - 1n) / b + 1n;
}

/* WEI ↔ RAO */

/** Wei to rao, dropping any sub-rao remainder (what a balance is worth to the contracts). */
export function weiToRaoDown(amountWei: bigint): bigint {
  requireNonNegative("amountWei", amountWei);
  return amountWei / WEI_PER_RAO;
}

/** Wei to rao, rounding a sub-rao remainder up to the next rao. */
export function weiToRaoUp(amountWei: bigint): bigint {
  requireNonNegative("amountWei", amountWei);
  return divUp(amountWei, WEI_PER_RAO);
}

/** Wei to rao when it must be whole (as `msg.value` must be for the contracts); throws on a remainder. */
export function weiToRaoExact(amountWei: bigint): bigint {
  requireNonNegative("amountWei", amountWei);
  const remainder = amountWei % WEI_PER_RAO;
  if (remainder !== 0n) {
    throw new UnitError(
      `${amountWei} wei is not a whole number of rao (remainder ${remainder} wei; 1 rao = 1e9 wei): ` +
        `the contracts reject it with NotWholeRao`,
    );
  }
  return amountWei / WEI_PER_RAO;
}

/** Rao to wei (exact): the `value` to send for an amount of TAO in rao. */
export function raoToWei(amountRao: bigint): bigint {
  requireNonNegative("amountRao", amountRao);
  return amountRao * WEI_PER_RAO;
}

/* PRICES */

/** A price wad (TAO per alpha × 1e18) as rao per alpha, rounded down. */
export function priceWadToRaoPerAlphaDown(priceWad: bigint): bigint {
  requireNonNegative("priceWad", priceWad);
  return priceWad / PRICE_WAD_PER_RAO_PER_ALPHA;
}

/** A price wad (TAO per alpha × 1e18) as rao per alpha, rounded up. */
export function priceWadToRaoPerAlphaUp(priceWad: bigint): bigint {
  requireNonNegative("priceWad", priceWad);
  return divUp(priceWad, PRICE_WAD_PER_RAO_PER_ALPHA);
}

/** Rao per alpha as a price wad (TAO per alpha × 1e18), exact. */
export function raoPerAlphaToPriceWad(raoPerAlpha: bigint): bigint {
  requireNonNegative("raoPerAlpha", raoPerAlpha);
  return raoPerAlpha * PRICE_WAD_PER_RAO_PER_ALPHA;
}

/** TAO (rao) paid for an amount of alpha (alpha-rao) at a price in rao per alpha, rounded down. */
export function alphaRaoToRaoDown(amountAlphaRao: bigint, raoPerAlpha: bigint): bigint {
  requireNonNegative("amountAlphaRao", amountAlphaRao);
  requireNonNegative("raoPerAlpha", raoPerAlpha);
  return (amountAlphaRao * raoPerAlpha) / ALPHA_RAO_PER_ALPHA;
}

/** Alpha (alpha-rao) bought by an amount of TAO (rao) at a price in rao per alpha, rounded down. */
export function raoToAlphaRaoDown(amountRao: bigint, raoPerAlpha: bigint): bigint {
  requireNonNegative("amountRao", amountRao);
  if (raoPerAlpha <= 0n) throw new UnitError(`raoPerAlpha must be positive, got ${raoPerAlpha}`);
  return (amountRao * ALPHA_RAO_PER_ALPHA) / raoPerAlpha;
}

/* FRACTIONS */

/** A fraction of 65,535 as a wad (1e18 = the whole), rounded down. */
export function of65535ToWadDown(valueOf65535: bigint | number): bigint {
  const value = BigInt(valueOf65535);
  requireNonNegative("valueOf65535", value);
  return (value * WAD) / DENOMINATOR_65535;
}

/** A fraction of 65,535 in basis points, rounded down. */
export function of65535ToBpsDown(valueOf65535: bigint | number): bigint {
  const value = BigInt(valueOf65535);
  requireNonNegative("valueOf65535", value);
  return (value * BPS_DENOMINATOR) / DENOMINATOR_65535;
}

/** Basis points as a fraction of 65,535, rounded down. */
export function bpsToOf65535Down(valueBps: bigint | number): bigint {
  const value = BigInt(valueBps);
  requireNonNegative("valueBps", value);
  return (value * DENOMINATOR_65535) / BPS_DENOMINATOR;
}

/* PARSING USER TEXT */

const DECIMAL = /^(\d*)(?:\.(\d*))?$/;

/**
 * Parses a non-negative decimal string (`"1"`, `"0.5"`, `"1234.000000001"`) into an integer of `decimals`
 * decimals. Whitespace around it is ignored. Signs, exponents, thousands separators and more decimals than the
 * unit has are errors that name the input: nothing is rounded away silently.
 */
export function parseDecimalUnits(text: string, decimals: number, unit: string): bigint {
  if (!Number.isSafeInteger(decimals) || decimals < 0)
    throw new UnitError(`decimals must be an integer ≥ 0, got ${decimals}`);
  const trimmed = text.trim();
  const match = DECIMAL.exec(trimmed);
  const whole = match?.[1] ?? "";
  const fraction = match?.[2] ?? "";
  if (!match || (whole === "" && fraction === "")) {
    throw new UnitError(`"${text}" is not an amount of ${unit}: write a decimal number such as 1.5`);
  }
  if (fraction.length > decimals) {
    const smallest = decimals === 0 ? "1" : `0.${"0".repeat(decimals - 1)}1`;
    throw new UnitError(
      `"${text}" has ${fraction.length} decimals; ${unit} has at most ${decimals} (the smallest amount is ${smallest})`,
    );
  }
  return BigInt(whole || "0") * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, "0") || "0");
}

/** A TAO amount typed by a person (`"1.5"`) in rao. */
export function parseTaoToRao(text: string): bigint {
  return parseDecimalUnits(text, TAO_DECIMALS, "TAO");
}

/** An alpha amount typed by a person (`"12.25"`) in alpha-rao. */
export function parseAlphaToAlphaRao(text: string): bigint {
  return parseDecimalUnits(text, ALPHA_DECIMALS, "alpha");
}

/** A TAO amount typed by a person, as the wei to send (`value`). */
export function parseTaoToWei(text: string): bigint {
  return raoToWei(parseTaoToRao(text));
}

/** A percentage typed by a person (`"0.5"` = 0.5 %), in basis points; at most two decimals, 0 to 100. */
export function parsePercentToBps(text: string | number): bigint {
  const raw = typeof text === "number" ? String(text) : text;
  let bps: bigint;
  try {
    bps = parseDecimalUnits(raw, 2, "percent");
  } catch (error) {
    throw new UnitError(`"${raw}" is not a percentage with at most two decimals (e.g. 0.5 for 0.5 %)`, {
      cause: error,
    });
  }
  if (bps > 100n * 100n) throw new UnitError(`"${raw}" % is more than 100 %`);
  return bps;
}

/* FORMATTING FOR PEOPLE */

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * An integer amount of `decimals` decimals as text for people, truncated toward zero (never shows more than
 * there is). Amounts of 1 or more show up to `maxDecimals` decimals; smaller ones show `significant` significant
 * digits (up to all `decimals`), so 0.000001234 TAO does not read as 0. Trailing zeros are dropped;
 * thousands are separated by commas.
 */
export function formatUnitsDown(
  amount: bigint,
  decimals: number,
  options: { maxDecimals?: number; significant?: number; grouping?: boolean } = {},
): string {
  const { maxDecimals = 4, significant = 4, grouping = true } = options;
  const negative = amount < 0n;
  const abs = negative ? -amount : amount;
  const scale = 10n ** BigInt(decimals);
  const whole = abs / scale;
  const fractionDigits = (abs % scale).toString().padStart(decimals, "0");
  let shown: number;
  if (whole > 0n) shown = Math.min(maxDecimals, decimals);
  else {
    const firstNonZero = fractionDigits.search(/[1-9]/);
    shown = firstNonZero < 0 ? 0 : Math.min(decimals, Math.max(maxDecimals, firstNonZero + significant));
  }
  const fraction = fractionDigits.slice(0, shown).replace(/0+$/, "");
  const wholeText = grouping ? groupThousands(whole.toString()) : whole.toString();
  const text = fraction === "" ? wholeText : `${wholeText}.${fraction}`;
  return negative && text !== "0" ? `-${text}` : text;
}

/** Rao as TAO for people: 1_234_567_800_000n → "1,234.5678" (truncated, see `formatUnitsDown`). */
export function formatRaoAsTao(amountRao: bigint, options?: { maxDecimals?: number; significant?: number }): string {
  return formatUnitsDown(amountRao, TAO_DECIMALS, options);
}

/** Alpha-rao as alpha for people (truncated, see `formatUnitsDown`). */
export function formatAlphaRaoAsAlpha(
  amountAlphaRao: bigint,
  options?: { maxDecimals?: number; significant?: number },
): string {
  return formatUnitsDown(amountAlphaRao, ALPHA_DECIMALS, options);
}

/** Wei as TAO for people (truncated, see `formatUnitsDown`). */
export function formatWeiAsTao(amountWei: bigint, options?: { maxDecimals?: number; significant?: number }): string {
  return formatUnitsDown(amountWei, 18, options);
}

/** A price wad as TAO per alpha for people: 1_500_000_000_000_000_000n → "1.5" (truncated). */
export function formatPriceWadAsTaoPerAlpha(
  priceWad: bigint,
  options?: { maxDecimals?: number; significant?: number },
): string {
  return formatUnitsDown(priceWad, 18, { maxDecimals: 6, ...options });
}

/** A fraction as a percentage with `decimals` decimals, truncated: (1n, 3n) → "33.33 %". */
export function formatFractionAsPercentDown(numerator: bigint, denominator: bigint, decimals = 2): string {
  if (denominator <= 0n) throw new UnitError(`denominator must be positive, got ${denominator}`);
  const scaled = (numerator * 100n * 10n ** BigInt(decimals)) / denominator;
  return `${formatUnitsDown(scaled, decimals, { maxDecimals: decimals, grouping: false })} %`;
}

/** A fraction of 65,535 as a percentage: 33 → "0.05 %" (the default fee), 65535 → "100 %". */
export function formatOf65535AsPercent(valueOf65535: bigint | number, decimals = 2): string {
  return formatFractionAsPercentDown(BigInt(valueOf65535), DENOMINATOR_65535, decimals);
}

/** Basis points as a percentage: 50 → "0.5 %". */
export function formatBpsAsPercent(valueBps: bigint | number, decimals = 2): string {
  return formatFractionAsPercentDown(BigInt(valueBps), BPS_DENOMINATOR, decimals);
}

/** A wad fraction (1e18 = the whole) as a percentage: 5e16 → "5 %". */
export function formatWadAsPercent(valueWad: bigint, decimals = 2): string {
  return formatFractionAsPercentDown(valueWad, WAD, decimals);
}
