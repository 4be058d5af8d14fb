/** Numbers for people: TAO and alpha with sensible decimals, prices, percentages, short addresses. */
import { RAO_PER_TAO } from "./units.ts";

const groupings = new Map<string, Intl.NumberFormat>();
function numberFormat(min: number, max: number, compact = false): Intl.NumberFormat {
  const key = `${min}/${max}/${compact}`;
  let f = groupings.get(key);
  if (!f) {
    f = new Intl.NumberFormat("en-US", {
      minimumFractionDigits: min,
      maximumFractionDigits: max,
      ...(compact ? { notation: "compact" } : {}),
    });
    groupings.set(key, f);
  }
  return f;
}

/** A 9-decimal amount as a float, for display only (never for arithmetic). */
export function toFloat9(value: bigint): number {
  return Number(value / RAO_PER_TAO) + Number(value % RAO_PER_TAO) / 1e9;
}

/** Decimals that keep about four significant digits for small amounts, two for large ones. */
function decimalsFor(abs: number): number {
  if (abs === 0) return 2;
  if (abs >= 1000) return 2;
  if (abs >= 1) return 4;
  return Math.min(9, Math.max(4, 2 - Math.floor(Math.log10(abs)) + 2));
}

/** 1234.5 TAO (in rao) → "1,234.50"; 0.000123 → "0.000123"; huge values in compact form ("1.2M"). */
export function formatAmount9(value: bigint, options: { compact?: boolean } = {}): string {
  const n = toFloat9(value);
  const abs = Math.abs(n);
  if (options.compact && abs >= 1e6) return numberFormat(0, 2, true).format(n);
  const d = decimalsFor(abs);
  return numberFormat(Math.min(2, d), d).format(n);
}

export function formatTao(rao: bigint, options: { compact?: boolean } = {}): string {
  return `${formatAmount9(rao, options)} τ`;
}

export function formatAlpha(alphaRao: bigint, options: { compact?: boolean } = {}): string {
  return `${formatAmount9(alphaRao, options)} α`;
}

/** TAO per alpha × 1e18 → "0.012345 τ/α". */
export function formatPriceWad(priceWad: bigint): string {
  const n = Number(priceWad / 10n ** 9n) / 1e9;
  return `${numberFormat(2, decimalsFor(Math.abs(n))).format(n)} τ/α`;
}

/** Rao per alpha → same display as a Wad price. */
export function formatPriceRao(priceRao: bigint): string {
  return formatPriceWad(priceRao * 10n ** 9n);
}

/** A fraction × 1e18 → "12.34 %" (read to a billionth, so four or more digits still round, not truncate). */
export function formatShareWad(shareWad: bigint, digits = 2): string {
  return `${numberFormat(digits, digits).format((Number(shareWad / 10n ** 9n) / 1e9) * 100)} %`;
}

/** Parts per million → "1.25 %". */
export function formatPpm(ppm: bigint, digits = 2): string {
  return `${numberFormat(digits, digits).format(Number(ppm) / 1e4)} %`;
}

export function shortHex(value: string, head = 6, tail = 4): string {
  return value.length <= head + tail + 1 ? value : `${value.slice(0, head)}…${value.slice(-tail)}`;
}

/** A wait in seconds for people: "≈ 45 s", "≈ 3 min 20 s", "≈ 2 h 5 min". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `≈ ${s} s`;
  if (s < 3600) return `≈ ${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ""}`;
  const minutes = Math.round((s % 3600) / 60);
  return `≈ ${Math.floor(s / 3600)} h${minutes ? ` ${minutes} min` : ""}`;
}

/** A number of blocks ahead, with the time it takes: "in 12 blocks (≈ 24 s)"; "now" when it is not ahead. */
export function formatBlocksAhead(blocks: bigint, blockSeconds: number): string {
  if (blocks <= 0n) return "now";
  return `in ${blocks.toString()} block${blocks === 1n ? "" : "s"} (${formatDuration(Number(blocks) * blockSeconds)})`;
}

/** An 18-decimal amount (vault shares) for people, with the same decimals as a 9-decimal amount of its size. */
export function formatUnits18(value: bigint): string {
  return formatAmount9(value / 10n ** 9n);
}

/** Unix seconds (the chain's clock) → "2025-12-02 14:03 UTC": the same text whatever the reader's time zone. */
export function formatTime(seconds: bigint): string {
  const iso = new Date(Number(seconds) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** Basis points → "2.00 %". */
export function formatBps(bps: number | bigint, digits = 2): string {
  return `${numberFormat(digits, digits).format(Number(bps) / 100)} %`;
}

/** A signed TAO amount (rao), with its sign: "+1.2345 τ", "−0.50 τ", "0.00 τ". */
export function formatTaoSigned(rao: bigint): string {
  if (rao === 0n) return formatTao(0n);
  return `${rao > 0n ? "+" : "−"}${formatTao(rao > 0n ? rao : -rao)}`;
}

/** A period in seconds for people: "1 h", "30 s", "2 days 1 h". */
export function formatSeconds(seconds: number): string {
  if (seconds === 0) return "none";
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  const parts = [
    days ? `${days} day${days === 1 ? "" : "s"}` : "",
    hours ? `${hours} h` : "",
    minutes ? `${minutes} min` : "",
    rest ? `${rest} s` : "",
  ].filter(Boolean);
  return parts.slice(0, 2).join(" ");
}
