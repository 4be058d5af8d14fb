/**
 * Exact BigInt emulation of the substrate-fixed types the epoch uses (v0.6.0 semantics).
 *
 * A value is its raw two's-complement integer: I32F32 raw = value · 2^32 held in an i64,
 * I64F64 raw = value · 2^64 held in an i128, I96F32 raw = value · 2^32 held in an i128.
 *
 * Rounding rules (substrate-fixed): a product is the exact product shifted right, i.e. floored
 * toward −∞; a quotient is `(a << frac) / b` truncated toward zero; every `saturating_*`
 * operation clamps to the type's range; `safe_div` returns 0 for a zero divisor.
 *
 * This module is the readable, obviously-correct layer. The fast engine (math.ts) uses `number`
 * arithmetic instead and is tested against these functions.
 */

export const FRAC32 = 32n;
export const ONE32 = 1n << 32n;
export const I64_MAX = (1n << 63n) - 1n;
export const I64_MIN = -(1n << 63n);
export const I128_MAX = (1n << 127n) - 1n;
export const I128_MIN = -(1n << 127n);
export const U64_MAX = (1n << 64n) - 1n;

/** Clamp to the i64 range (I32F32 saturation). */
export function sat64(x: bigint): bigint {
  return x > I64_MAX ? I64_MAX : x < I64_MIN ? I64_MIN : x;
}

/** Clamp to the i128 range (I64F64 / I96F32 saturation). */
export function sat128(x: bigint): bigint {
  return x > I128_MAX ? I128_MAX : x < I128_MIN ? I128_MIN : x;
}

/** I32F32 from an integer (`saturating_from_num`). */
export function fromInt(i: bigint | number): bigint {
  return sat64(BigInt(i) << FRAC32);
}

/** I32F32 `saturating_add`. */
export function add(a: bigint, b: bigint): bigint {
  return sat64(a + b);
}

/** I32F32 `saturating_sub`. */
export function sub(a: bigint, b: bigint): bigint {
  return sat64(a - b);
}

/** I32F32 `saturating_mul`: floor(a·b / 2^32), clamped. (BigInt `>>` floors toward −∞.) */
export function mul(a: bigint, b: bigint): bigint {
  return sat64((a * b) >> FRAC32);
}

/** I32F32 `checked_mul`: floor(a·b / 2^32), or null if it does not fit. */
export function checkedMul(a: bigint, b: bigint): bigint | null {
  const p = (a * b) >> FRAC32;
  return p > I64_MAX || p < I64_MIN ? null : p;
}

/** Truncating division of raw values: (a·2^32)/b toward zero, or null if out of range or b = 0. */
export function checkedDiv(a: bigint, b: bigint): bigint | null {
  if (b === 0n) return null;
  const q = (a << FRAC32) / b; // BigInt division truncates toward zero
  return q > I64_MAX || q < I64_MIN ? null : q;
}

/** I32F32 `saturating_div` (b ≠ 0): (a·2^32)/b truncated toward zero, clamped. */
export function div(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new RangeError("saturating_div by zero");
  return sat64((a << FRAC32) / b);
}

/** `safe_div`: like `div`, but 0 for a zero divisor. */
export function safeDiv(a: bigint, b: bigint): bigint {
  return b === 0n ? 0n : sat64((a << FRAC32) / b);
}

/** Fixed → integer (`saturating_to_num`): floor, then clamp to [0, max]. */
export function toUint(raw: bigint, frac: bigint, max: bigint): bigint {
  const f = raw >> frac;
  return f < 0n ? 0n : f > max ? max : f;
}

/** `fixed_proportion_to_u16`: floor(x · 65535) as u16 (saturating at both ends). */
export function proportionToU16(x: bigint): number {
  return Number(toUint(mul(x, fromInt(65535)), FRAC32, 65535n));
}

/** `u16_proportion_to_fixed` / `fixed_to_fixed_u16_proportion`: u / 65535 in I32F32. */
export function u16Proportion(u: number): bigint {
  return safeDiv(fromInt(u), fromInt(65535));
}

// substrate-fixed's constant e, stored as I9F23 (floor(e · 2^23)), widened to I32F32.
const E_I32F32 = 22802600n << 9n;

/**
 * substrate-fixed `transcendental::exp` for I32F32 → I32F32: x = 0 ⇒ 1, x = 1 ⇒ e (I9F23
 * precision); otherwise the Taylor series of |x| with 31 terms, each term formed as
 * `term · |x|` then `/ i` (checked ops), inverted (`1 / result`) when x < 0.
 * Returns null where the library returns Err (an overflow).
 */
export function exp(x: bigint): bigint | null {
  if (x === 0n) return ONE32;
  if (x === ONE32) return E_I32F32;
  const neg = x < 0n;
  const op = neg ? -x : x;
  if (op > I64_MAX) return null;
  let result = op + ONE32;
  if (result > I64_MAX) return null;
  let term = op;
  for (let i = 2n; i < 32n; i++) {
    const t = checkedMul(term, op);
    if (t === null) return null;
    const q = checkedDiv(t, fromInt(i));
    if (q === null) return null;
    term = q;
    result += term;
    if (result > I64_MAX || result < I64_MIN) return null;
  }
  if (neg) return checkedDiv(ONE32, result);
  return result;
}

/** subtensor's `exp_safe`: input clamped to [−20, 20]; an Err maps to 0 or I32F32::MAX. */
export function expSafe(input: bigint): bigint {
  const lo = fromInt(-20);
  const hi = fromInt(20);
  const x = input < lo ? lo : input > hi ? hi : input;
  const r = exp(x);
  if (r !== null) return r;
  return x <= 0n ? 0n : I64_MAX;
}

/** I64F64 → I32F32 (`saturating_from_num`): floor to 32 fractional bits, clamp. */
export function i64f64ToI32f32(raw: bigint): bigint {
  return sat64(raw >> 32n);
}
