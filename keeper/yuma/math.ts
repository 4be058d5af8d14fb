/**
 * Fast exact fixed-point primitives on JavaScript numbers.
 *
 * Raw I32F32 values are held as integer-valued doubles. A double holds every integer below
 * 2^53 exactly, IEEE division and multiplication are correctly rounded, scaling by a power of
 * two is exact, and `Math.floor` of an exact value is exact. Each function states the bounds
 * that keep all of its intermediates below 2^53; callers only pass values that satisfy them
 * (the epoch's proportions are non-negative and ≤ 1.0, i.e. raw ≤ 2^32). Where a bound cannot be
 * guaranteed, the function falls back to BigInt. Every primitive is tested against the BigInt
 * definitions in fixed.ts on random and edge inputs.
 */

export const TWO16 = 65536;
export const TWO32 = 4294967296;
export const TWO52 = 4503599627370496;
export const TWO53 = 9007199254740992;
/** I32F32 raw of 1.0. */
export const ONE = TWO32;

/**
 * floor(a · b / 2^32) for integers 0 ≤ a, b ≤ 2^34 (I32F32 `saturating_mul`, which cannot
 * saturate in this range: the result is ≤ 2^36).
 *
 * If the double product is < 2^53 it is exact. Otherwise split b = bh·2^16 + bl:
 * a·bl < 2^34·2^16 = 2^50 and a·bh ≤ 2^34·2^18 = 2^52, so
 * floor(a·b/2^32) = floor((a·bh + floor(a·bl/2^16)) / 2^16) with every term exact
 * (the identity floor((X·2^16 + Y)/2^32) = floor((X + floor(Y/2^16))/2^16) holds for integers).
 */
export function mulFloor(a: number, b: number): number {
  const p = a * b;
  if (p < TWO53) return Math.floor(p / TWO32);
  const bh = Math.floor(b / TWO16);
  const bl = b - bh * TWO16;
  return Math.floor((a * bh + Math.floor((a * bl) / TWO16)) / TWO16);
}

/**
 * floor(a · b / 2^32) for integers 0 ≤ a ≤ 2^34 and 0 ≤ b ≤ 2^34 given already split as
 * b = bh·2^16 + bl (0 ≤ bl < 2^16, bh = floor(b / 2^16) ≤ 2^18): `mulFloor` for a factor that is
 * reused (split once, e.g. α of an EMA, a row's stake, a column's incentive).
 *
 * a·bh ≤ 2^34·2^18 = 2^52 and a·bl < 2^34·2^16 = 2^50, so both products are exact, and so is
 * their sum a·bh + floor(a·bl/2^16) < 2^52 + 2^34 < 2^53. With the identity
 * floor((X·2^16 + Y)/2^32) = floor((X + floor(Y/2^16))/2^16) for integers X, Y ≥ 0, the result
 * is floor((a·bh·2^16 + a·bl)/2^32) = floor(a·b/2^32). No branch, no rounding.
 */
export function mulFloorSplit(a: number, bh: number, bl: number): number {
  return Math.floor((a * bh + Math.floor((a * bl) / TWO16)) / TWO16);
}

/** High half floor(b / 2^16) of a factor for `mulFloorSplit` (b a non-negative safe integer). */
export function splitHi(b: number): number {
  return Math.floor(b / TWO16);
}

/**
 * floor(a · b / 2^32) for integers 0 ≤ a, b ≤ 2^34: `mulFloor` decided from one double product
 * when that is safe (a factor that changes per entry, e.g. liquid alpha, so splitting does not
 * pay off).
 *
 * Error bound: p = fl(a·b) = a·b·(1 + ε) with |ε| ≤ 2^-53, and q = p / 2^32 is exact (power of
 * two). The true t = a·b/2^32 ≤ 2^36, so |q − t| ≤ 2^36 · 2^-53 = 2^-17. If the fractional part
 * of q is in (2^-16, 1 − 2^-16), q and t lie strictly inside the same unit interval and
 * floor(q) = floor(t). Otherwise (including every integral q, e.g. a zero factor) the exact
 * `mulFloor` decides.
 */
export function mulFloorEst(a: number, b: number): number {
  const q = (a * b) / TWO32;
  const f = Math.floor(q);
  const frac = q - f;
  if (frac > EST_MARGIN && frac < 1 - EST_MARGIN) return f;
  return mulFloor(a, b);
}

const EST_MARGIN = 2 ** -16;

/**
 * floor(a · 2^32 / b) for integers 0 ≤ a ≤ b < 2^53, b > 0, given r = fl(2^32 / b) (one IEEE
 * division, computed once per divisor): `divFloor` for a divisor shared by many entries (a row or
 * column sum).
 *
 * Error bound: 2^32 is exact, so r = (2^32/b)(1 + ε1) and q = fl(a·r) = a·r·(1 + ε2) with
 * |ε1|, |ε2| ≤ 2^-53. The true quotient t = a·2^32/b ≤ 2^32 (a ≤ b), so
 * |q − t| ≤ t·((1 + 2^-53)^2 − 1) < 2^32 · 2^-51.99 < 2^-19.9. Hence if the fractional part of q
 * is in (2^-19, 1 − 2^-19), q and t lie strictly inside the same unit interval and
 * floor(q) = floor(t). Otherwise (including every integral q) the exact `divFloor` decides.
 */
export function divFloorRecip(a: number, b: number, r: number): number {
  const q = a * r;
  const f = Math.floor(q);
  const frac = q - f;
  if (frac > RECIP_MARGIN && frac < 1 - RECIP_MARGIN) return f;
  return divFloor(a, b);
}

const RECIP_MARGIN = 2 ** -19;

/**
 * floor(a · 2^32 / b) for safe integers a ≥ 0, b > 0: I32F32 division of non-negative raw values
 * (truncation toward zero = floor here).
 *
 * a·2^32 is exact (power-of-two scaling) and the IEEE quotient x is the correctly rounded true
 * quotient t, so |x − t| ≤ ulp(x)/2. If x < 2^52 is not an integer it lies strictly between two
 * consecutive integers k < x < k+1, both doubles, at least one ulp(x) away from each; t is
 * within half an ulp of x, so k < t < k+1 and floor(x) = floor(t).
 *
 * If x is an integer (exact divisions, equal operands) the true quotient is x − 1, x or x + 1,
 * decided by the exact remainder r = a·2^32 − x·b. For a < 2^33 it is computed with x split as
 * xh·2^16 + xl: D = a·2^16 − xh·b is a difference of values < 2^50 (xh·b ≤ (a·2^32 + b)/2^16),
 * and r = D·2^16 − xl·b where |D| is small and xl·b < 2^49, so every step is exact. Anything
 * else takes the BigInt path.
 */
export function divFloor(a: number, b: number): number {
  if (a === 0) return 0;
  const x = (a * TWO32) / b;
  const f = Math.floor(x);
  if (x >= TWO52) return Number((BigInt(a) << 32n) / BigInt(b));
  if (f !== x) return f;
  if (a < 8589934592 && b < 8589934592) {
    const xh = Math.floor(x / TWO16);
    const xl = x - xh * TWO16;
    const r = (a * TWO16 - xh * b) * TWO16 - xl * b;
    return r < 0 ? x - 1 : r >= b ? x + 1 : x;
  }
  return Number((BigInt(a) << 32n) / BigInt(b));
}

/**
 * floor(a / b) for safe integers a ≥ 0, b > 0 with a < 2^53 (the same argument as `divFloor`).
 */
export function idivFloor(a: number, b: number): number {
  const x = a / b;
  const f = Math.floor(x);
  if (f !== x) return f;
  // x is an integer: the true quotient is x or just below it. a − x·b is exact when small.
  return a - f * b < 0 ? f - 1 : f;
}

/**
 * floor(a · b / 2^32) for signed integers with |a| < 2^41 and |b| ≤ 2^32 (I32F32 multiply with
 * floor toward −∞; the result is < 2^41 in magnitude, far from saturation).
 *
 * Split a = a1·2^21 + a0 and b = b1·2^16 + b0 with 0 ≤ a0 < 2^21, 0 ≤ b0 < 2^16 (a1, b1 carry
 * the sign, |a1| ≤ 2^20, |b1| ≤ 2^16). Every partial product is < 2^37 in magnitude, and
 * floor(ab/2^32) = a1·b1·2^5 + floor((a1·b0·2^5 + a0·b1 + floor(a0·b0/2^16)) / 2^16).
 */
export function mulFloorSigned(a: number, b: number): number {
  const a1 = Math.floor(a / 2097152);
  const a0 = a - a1 * 2097152;
  const b1 = Math.floor(b / TWO16);
  const b0 = b - b1 * TWO16;
  return a1 * b1 * 32 + Math.floor((a1 * b0 * 32 + a0 * b1 + Math.floor((a0 * b0) / TWO16)) / TWO16);
}

/** u16_out(x) = floor(x · 65535 / 2^32) clamped to 0…65535, for integer x ≤ 2^37 (x·65535 < 2^53). */
export function toU16(x: number): number {
  if (x <= 0) return 0;
  const v = Math.floor((x * 65535) / TWO32);
  return v > 65535 ? 65535 : v;
}

/** floor(u · 2^32 / 65535) for every u16 u: `u16_proportion_to_fixed`. */
export const U16_PROPORTION: Float64Array = (() => {
  const t = new Float64Array(65536);
  for (let u = 0; u < 65536; u++) t[u] = divFloor(u, 65535);
  return t;
})();

// e as substrate-fixed stores it (I9F23, floor(e·2^23)) widened to 32 fractional bits.
const E_RAW = 22802600 * 512;
/** Above this |x| (raw) the Taylor terms could exceed 2^53; such inputs take the BigInt path. */
const EXP_FAST_LIMIT = 12 * TWO32;

// Reciprocals 1/(i · 2^32) of the Taylor loop's divisors, i = 1…31, each correctly rounded.
const TERM_RECIP = Float64Array.from({ length: 32 }, (_, i) => (i === 0 ? 0 : 1 / (i * TWO32)));
const TWO_M50 = 2 ** -50;

/**
 * substrate-fixed `exp` of the I32F32 raw value x, for |x| ≤ 20·2^32 (the `exp_safe` clamp).
 *
 * The library forms term_i = floor(floor(term_{i−1} · |x| / 2^32) / i), which equals
 * floor(term_{i−1} · |x| / (i · 2^32)) (nested floors by positive integers compose). For
 * |x| ≤ 12 the result is ≤ e^12·2^32 < 2^50 and so is every term.
 *
 * Each term is first estimated in double precision as q = fl(t · fl(X · r_i)) with
 * r_i = fl(1/(i·2^32)): four roundings of relative size ≤ 2^-53 each, so for the true quotient
 * y, |q − y| ≤ y·((1 + 2^-53)^4 − 1) < y·2^-50.9 < q·2^-50. If q lies more than q·2^-50 away
 * from both neighbouring integers, floor(q) = floor(y). (X·r_i does not depend on the previous
 * term, so the loop's dependency chain is one multiply and one floor.) Otherwise (about one
 * term in a thousand, and always when q is integral) the exact limb product `mulFloorWide` and
 * `idivFloor` decide. Larger |x| (only reachable with a steep sigmoid) uses the BigInt definition.
 * Once a term is 0 all later ones are 0 too (floor(0·x) = 0), so the loop may stop early.
 */
export function expRaw(x: number, slow: (x: bigint) => bigint): number {
  if (x === 0) return TWO32;
  if (x === TWO32) return E_RAW;
  const op = x < 0 ? -x : x;
  if (op > EXP_FAST_LIMIT) return Number(slow(BigInt(x)));
  let result = op + TWO32;
  let term = op;
  for (let i = 2; i < 32; i++) {
    const q = term * (op * TERM_RECIP[i]!);
    const f = Math.floor(q);
    const eps = q * TWO_M50;
    term = q - f > eps && f + 1 - q > eps ? f : idivFloor(mulFloorWide(term, op), i);
    if (term === 0) break;
    result += term;
  }
  if (x < 0) return divFloor(TWO32, result);
  return result;
}

/**
 * floor(t · x / 2^32) for integers 0 ≤ t < 2^50, 0 ≤ x < 2^36.
 * t = t1·2^26 + t0, x = x1·2^18 + x0 (t1 < 2^24, t0 < 2^26, x1 < 2^18, x0 < 2^18); partial
 * products are < 2^44 and floor(tx/2^32) = t1·x1·2^12 + floor((t1·x0·2^8 + t0·x1 + floor(t0·x0/2^18)) / 2^14),
 * where the numerator is < 2^50 + 2^44 + 2^26.
 */
export function mulFloorWide(t: number, x: number): number {
  const p = t * x;
  if (p < TWO53) return Math.floor(p / TWO32);
  const t1 = Math.floor(t / 67108864);
  const t0 = t - t1 * 67108864;
  const x1 = Math.floor(x / 262144);
  const x0 = x - x1 * 262144;
  return t1 * x1 * 4096 + Math.floor((t1 * x0 * 256 + t0 * x1 + Math.floor((t0 * x0) / 262144)) / 16384);
}

/**
 * floor(share · E / 2^32) for 0 ≤ share ≤ 2^32 and E < 2^64 given as four 16-bit limbs
 * (e0 least significant); the I96F32 product of §7 floored to u64. Writes the result as two
 * 32-bit words (lo, hi) into `out` at `index·2` (little-endian u64 layout).
 *
 * share·e_k < 2^48. floor(Σ share·e_k·2^(16k) / 2^32) = p2 + p3·2^16 + c with
 * c = floor((p1 + floor(p0/2^16)) / 2^16) < 2^33; then p3·2^16 = a·2^32 + b·2^16 with b < 2^16,
 * and z = b·2^16 + p2 + c < 2^50 carries into the high word.
 */
export function mulEmission(share: number, e: Float64Array, out: Uint32Array, index: number): void {
  const p0 = share * e[0]!;
  const p1 = share * e[1]!;
  const p2 = share * e[2]!;
  const p3 = share * e[3]!;
  const c = Math.floor((p1 + Math.floor(p0 / TWO16)) / TWO16);
  const a = Math.floor(p3 / TWO16);
  const b = p3 - a * TWO16;
  const z = b * TWO16 + p2 + c;
  const zh = Math.floor(z / TWO32);
  const hi = a + zh;
  if (hi >= TWO32) {
    out[index * 2] = 0xffffffff; // saturating_to_num::<u64>
    out[index * 2 + 1] = 0xffffffff;
    return;
  }
  out[index * 2] = z - zh * TWO32;
  out[index * 2 + 1] = hi;
}

/** Splits a u64 bigint into four 16-bit limbs, least significant first. */
export function limbs16(v: bigint): Float64Array {
  const out = new Float64Array(4);
  for (let k = 0; k < 4; k++) out[k] = Number((v >> BigInt(16 * k)) & 0xffffn);
  return out;
}

/** True when typed arrays store the low 32-bit word of a u64 first. */
export const LITTLE_ENDIAN: boolean = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Largest |x| (raw) for which `expSeriesBounds` applies: 6.0. */
export const EXP_BOUND_LIMIT = 6 * TWO32;

/**
 * EXP_TAB[k] = fl(e^(k/64)) for k = 0…384, from an exact BigInt evaluation with 100 fractional
 * bits: the series Σ_{i<90} (k/64)^i / i!, each term floored (error < 90·2^-100 in total; the
 * omitted tail is < 6^90/90! < 2^-200), then one correctly rounded conversion. So each entry is
 * within relative 2^-52 of e^(k/64).
 */
const EXP_TAB: Float64Array = (() => {
  const t = new Float64Array(385);
  const F = 100n;
  for (let k = 0; k < 385; k++) {
    let term = 1n << F;
    let sum = term;
    for (let i = 1n; i < 90n; i++) {
      term = (term * BigInt(k)) / (64n * i);
      sum += term;
    }
    // Number() of a BigInt rounds to nearest; scaling by 2^-100 is exact.
    t[k] = Number(sum) * 2 ** -100;
  }
  return t;
})();

/**
 * EXP_DELTA[g] ≥ Δ(g/64), where Δ(y) bounds the total flooring deficit of the library's series
 * (see `expSeriesBounds`): δ_1 = 0, δ_i = min(δ_{i−1}·y/i + 1, 2^32·y^i/i!), Δ = Σ_{i=2}^{31} δ_i.
 * Computed in double (≈ 100 roundings, relative error < 2^-45) and then inflated by 2^-30
 * relative and 1 absolute. Each δ_i is non-decreasing in y, so EXP_DELTA[g] bounds Δ(y) for
 * every y ≤ g/64. (Δ(6) ≈ 86.)
 */
const EXP_DELTA: Float64Array = (() => {
  const t = new Float64Array(386);
  for (let g = 0; g < 386; g++) {
    const y = g / 64;
    let r = TWO32 * y;
    let d = 0;
    let s = 0;
    for (let i = 2; i < 32; i++) {
      r = (r * y) / i;
      d = Math.min((d * y) / i + 1, r);
      s += d;
    }
    t[g] = s * (1 + 2 ** -30) + 1;
  }
  return t;
})();

const C2 = 1 / 2;
const C3 = 1 / 6;
const C4 = 1 / 24;
const C5 = 1 / 120;

/**
 * Bounds on P(op), the integer the library's Taylor loop sums for |x| = op before any inversion
 * (P = 2^32 + op + Σ_{i=2}^{31} t_i with t_1 = op, t_i = floor(t_{i−1}·op / (i·2^32))), for
 * 0 < op ≤ 6·2^32. Writes integers out[0] ≤ P ≤ out[1]. Floating point only narrows the search:
 * callers must treat the bounds as an interval and decide exactly (see epoch.ts).
 *
 * Proof. Let y = op/2^32 and r_i = 2^32·y^i/i! (so r_1 = op = t_1). By induction t_i ≤ r_i
 * (t_i ≤ t_{i−1}·y/i ≤ r_{i−1}·y/i) and r_i − t_i ≤ δ_i: t_i > t_{i−1}·y/i − 1
 * ≥ (r_{i−1} − δ_{i−1})·y/i − 1 = r_i − (δ_{i−1}·y/i + 1), and r_i − t_i ≤ r_i as t_i ≥ 0.
 * With S = Σ_{i=0}^{31} r_i: S − Δ(y) ≤ P ≤ S, and 2^32·e^y − 0.2 < S ≤ 2^32·e^y (the tail
 * Σ_{i≥32} r_i ≤ r_32/(1 − y/33) < 0.2 for y ≤ 6).
 * Estimate: y = k/64 + ρ with k = floor(op/2^26) ≤ 384 and ρ = (op − k·2^26)/2^32 ∈ [0, 2^-6)
 * (both exact). e^ρ ≈ p(ρ) = ((1 + ρ) + ρ²·(C2 + ρ·C3)) + ρ²·ρ²·(C4 + ρ·C5) (Estrin's
 * form: a shorter dependency chain than Horner's): truncation Σ_{i≥6} ρ^i/i! < 2^-36/720·1.01
 * < 2^-45.4 (relative, e^ρ ≥ 1); every operand and partial result is positive, so each part's
 * relative error compounds along its path: at most 9 roundings (ρ²·ρ²: 3; C4 + ρ·C5 with its
 * rounded coefficients: 3; their product: 1; the two outer sums: 2), i.e. relative
 * ≤ (1 + 2^-53)^9 − 1 < 12·2^-53 for the sum.
 * With EXP_TAB's 2^-52 and the final product's 2^-53, est = EXP_TAB[k]·p(ρ)·2^32 is within
 * relative 2^-45 of 2^32·e^y < 2^41, i.e. within 404·2^-13 < 0.05 absolutely. Hence
 * est − 1.3 − Δ < P < est + 0.05. The doubles est + 1 and est − 2 − EXP_DELTA[k + 1] (est < 2^41,
 * so each sum is off by ≤ 2^-11) stay on the safe side of these, and P is an integer, so
 * ceil(est − 2 − D) ≤ P ≤ floor(est + 1).
 */
export function expSeriesBounds(op: number, out: Float64Array): void {
  const k = Math.floor(op / 67108864);
  const est = expSeriesEst(op);
  const lo = Math.ceil(est - 2 - EXP_DELTA[k + 1]!);
  out[0] = lo > TWO32 + op ? lo : TWO32 + op; // also P ≥ 2^32 + op (every t_i ≥ 0)
  out[1] = Math.floor(est + 1);
}

/**
 * The estimate est of `expSeriesBounds` (0 < op ≤ 6·2^32), the same expression. Its proof gives
 * est − 1.3 − Δ < P < est + 0.05 for the series sum P, with Δ ≤ EXP_DELTA[k + 1].
 */
export function expSeriesEst(op: number): number {
  const k = Math.floor(op / 67108864);
  const rho = (op - k * 67108864) / TWO32;
  const r2 = rho * rho;
  const p = 1 + rho + r2 * (C2 + rho * C3) + r2 * r2 * (C4 + rho * C5);
  return EXP_TAB[k]! * p * TWO32;
}

/**
 * s = 2 + EXP_DELTA[k + 1] (k = floor(op/2^26)), so that with est = expSeriesEst(op) the doubles
 * fl(est − s) < P < fl(est + 1) bound the series sum P strictly (real, not integral, bounds).
 * Proof: fl(2 + D) is within 2^-46 of 2 + D (D < 2^7), est < 2^41 so each sum rounds by
 * ≤ 2^-11; fl(est − s) ≤ est − 2 − Δ + 2^-11 + 2^-46 < est − 1.3 − Δ < P and
 * fl(est + 1) ≥ est + 1 − 2^-11 > est + 0.05 > P.
 */
export function expSeriesSlack(op: number): number {
  return 2 + EXP_DELTA[Math.floor(op / 67108864) + 1]!;
}
