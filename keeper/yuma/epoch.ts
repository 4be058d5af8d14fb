/**
 * The epoch (spec §2–§8), computed exactly with integer-valued doubles in typed arrays.
 *
 * Bounds used throughout (raw I32F32 units, 1.0 = 2^32):
 *  - every normalised vector (stake S, active stake A, incentive I, dividends D, consensus C,
 *    row-normalised weights W, clipped weights, bond proportions) is ≥ 0 and its entries and
 *    its sum are ≤ 2^32, because each entry is floor(x_i · 2^32 / Σx) and Σ floor(…) ≤ 2^32;
 *  - sums of n such values stay < 2^53 for any n ≤ 2^20;
 *  - weight and classic-bond rows are read as u16 integers; their row/column sums are
 *    ≤ 65535 · n < 2^31.
 * So products of two proportions go through `mulFloor` (≤ 2^34 operands) and quotients through
 * `divFloor`, both exact. The result equals the BigInt reference (reference.ts) bit for bit;
 * the differential tests check that on random subnets.
 */
import { alphaSigmoid } from "./reference.ts";
import * as fx from "./fixed.ts";
import {
  divFloor,
  divFloorRecip,
  EXP_BOUND_LIMIT,
  expRaw,
  expSeriesBounds,
  expSeriesEst,
  expSeriesSlack,
  idivFloor,
  limbs16,
  LITTLE_ENDIAN,
  mulEmission,
  mulFloor,
  mulFloorEst,
  mulFloorSigned,
  mulFloorSplit,
  ONE,
  splitHi,
  toU16,
  TWO16,
  TWO32,
  U16_PROPORTION,
} from "./math.ts";
import type { EpochInputs, EpochParams, EpochResult, EpochState, SparseRow } from "./types.ts";

const EMPTY_ROW: SparseRow = { cols: new Uint16Array(0), vals: new Uint16Array(0) };

/** Sparse matrix in compressed-row form; `val` holds raw I32F32 values (or u16 integers). */
interface Csr {
  ptr: Int32Array; // length n + 1
  col: Int32Array;
  val: Float64Array;
}

/** S_i = floor(f_i · 2^32 / Σf) with f the threshold-filtered stake (exact, §2.2). */
function normalisedStake(stake: readonly bigint[], threshold: bigint, owner: number, out: Float64Array): void {
  const n = stake.length;
  const filtered: bigint[] = new Array<bigint>(n);
  let total = 0n;
  for (let i = 0; i < n; i++) {
    const s = stake[i]!;
    const f = i !== owner && s < threshold ? 0n : s;
    filtered[i] = f;
    total += f;
  }
  if (total === 0n) {
    out.fill(0);
    return;
  }
  // Double estimate: Number() of each operand and the division each add a relative error
  // ≤ 2^-53, so for a quotient ≤ 2^32 the estimate is within 2^32 · 3.01 · 2^-53 < 2^-19.4 of
  // the true value. If its fractional part is farther than 2^-18 from an integer, its floor is
  // the true floor; otherwise (or when exactly integral) BigInt decides.
  const T = Number(total);
  const margin = 2 ** -18;
  for (let i = 0; i < n; i++) {
    const f = filtered[i]!;
    if (f === 0n) {
      out[i] = 0;
      continue;
    }
    const x = (Number(f) * TWO32) / T;
    const fl = Math.floor(x);
    const frac = x - fl;
    out[i] = frac > margin && frac < 1 - margin ? fl : Number((f << 32n) / total);
  }
}

/** `inplace_normalize` on non-negative raw values (each ≤ their sum, so results ≤ 2^32). */
function normalizeInPlace(v: Float64Array): void {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  if (s === 0) return;
  const r = TWO32 / s;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (x !== 0) v[i] = divFloorRecip(x, s, r);
  }
}

/**
 * `is_topk_nonzero`: non-zero stakes, minus the n − k smallest of a stable ascending sort. The
 * stable order on (S, uid) is encoded as the key S·2^16 + uid < 2^48 + 2^16 (exact; uids < 2^16).
 */
function topkNonzero(S: Float64Array, k: number): boolean[] {
  const n = S.length;
  const out = new Array<boolean>(n);
  for (let i = 0; i < n; i++) out[i] = S[i] !== 0;
  if (n < k) return out;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = S[i]! * 65536 + i;
  keys.sort();
  for (let t = 0; t < n - k; t++) out[keys[t]! % 65536] = false;
  return out;
}

/**
 * Smallest value v among the pairs lo..hi−1 of `buf` (interleaved [value, stake]) with
 * `below` + Σ{stake : value ≤ v} > target, or the largest value if there is none (the closed
 * form of the chain's quick-select median, see consensus()). Expected linear time: a quick-select
 * with branch-free partitions that reorders the pairs in place.
 */
function weightedSelect(buf: Float64Array, lo: number, hi: number, target: number, below: number): number {
  let acc = below;
  for (;;) {
    // Median of the first, middle and last values (fewer passes than a single sample).
    const p0 = buf[2 * lo]!;
    const p1 = buf[2 * ((lo + hi) >> 1)]!;
    const p2 = buf[2 * (hi - 1)]!;
    const pivot = p0 < p1 ? (p1 < p2 ? p1 : p0 < p2 ? p2 : p0) : p0 < p2 ? p0 : p1 < p2 ? p2 : p1;
    // Branch-free Lomuto partition of [lo, hi) into < pivot and ≥ pivot: each pair is swapped
    // with the one at `lt` (a self-swap when they coincide), and `lt` advances when the moved
    // pair is below the pivot, so [lo, lt) < pivot ≤ [lt, i) holds after every step and the
    // pairs are only permuted. The stake at or below the pivot and its count are gathered in the
    // same pass (products of an integer stake by 0 or 1 are exact).
    let lt = lo;
    let sumLess = 0;
    let sumLe = 0;
    let countLe = 0;
    for (let i = lo; i < hi; i++) {
      const v = buf[2 * i]!;
      const sv = buf[2 * i + 1]!;
      buf[2 * i] = buf[2 * lt]!;
      buf[2 * i + 1] = buf[2 * lt + 1]!;
      buf[2 * lt] = v;
      buf[2 * lt + 1] = sv;
      const less = Number(v < pivot);
      const le = Number(v <= pivot);
      lt += less;
      countLe += le;
      sumLess += less * sv;
      sumLe += le * sv;
    }
    if (acc + sumLess > target && lt > lo) {
      hi = lt;
    } else if (acc + sumLe > target || lo + countLe === hi) {
      return pivot;
    } else {
      // Continue above the pivot: move the pairs equal to it (all of [lt, hi) is ≥ pivot) to
      // the front of [lt, hi) with the same branch-free pass; at least one (the pivot) exists.
      let gt = lt;
      for (let i = lt; i < hi; i++) {
        const v = buf[2 * i]!;
        const sv = buf[2 * i + 1]!;
        buf[2 * i] = buf[2 * gt]!;
        buf[2 * i + 1] = buf[2 * gt + 1]!;
        buf[2 * gt] = v;
        buf[2 * gt + 1] = sv;
        gt += Number(v <= pivot);
      }
      acc += sumLe;
      lo = gt;
    }
  }
}

/**
 * Per-entry scratch reused across epochs: a typed array per slot, grown on demand (never shrunk),
 * handed out as a view of exactly `len` entries. Its contents are left over from earlier epochs,
 * so a slot is only used for arrays that are written before they are read (each use below says
 * so); nothing in a slot escapes `fastEpoch`, and each slot has a single live use per epoch.
 */
const f64Pool: Float64Array[] = [];
const i32Pool: Int32Array[] = [];

function scratchF64(slot: number, len: number): Float64Array {
  let a = f64Pool[slot];
  if (a === undefined || a.length < len) {
    a = new Float64Array(Math.max(len, 2 * (a?.length ?? 0)));
    f64Pool[slot] = a;
  }
  return a.subarray(0, len);
}

function scratchI32(slot: number, len: number): Int32Array {
  let a = i32Pool[slot];
  if (a === undefined || a.length < len) {
    a = new Int32Array(Math.max(len, 2 * (a?.length ?? 0)));
    i32Pool[slot] = a;
  }
  return a.subarray(0, len);
}

// Slots (each written before read, at positions < the CSR's ptr[n] or the whole view).
const F_W = 0; // W.val: entries < wLen written while building W
const F_BONDS = 1; // loaded bonds: entries < ptr[n] written by loadBonds
const F_BN = 2; // classic column-normalised old bonds (colNormalizeInts writes all < ptr[n])
const F_DELTAN = 3; // classic column-normalised ΔB (colNormalize writes all < ptr[n])
const F_EMA = 4; // EMA values: entries < ptr[n] written by emaSparse / the liquid-alpha loop
const F_NORM = 5; // column-normalised EMA: every entry < ptr[n] written
const I_W = 0;
const I_BONDS = 1;
const I_EMA = 2;

/** Reusable scratch for the column-major score copy (grown on demand, never shrunk). */
let pairScratch = new Float64Array(0);

/**
 * `weighted_median_col_sparse` (§3). Rows with active stake A_i > 0 take part, with stakes
 * re-normalised to s'_i > 0 (A_i ≥ 1 and ΣA ≤ 2^32). For a column, let v_1 < … < v_m be the
 * distinct scores (0 for every participating row without a positive entry) and c_k the stake
 * with score ≤ v_k. The chain's quick-select keeps lo ≤ minority < hi as an invariant, so it
 * returns the v_k with c_{k−1} ≤ minority < c_k, i.e. the smallest v_k with c_k > minority;
 * when minority < 0 that is v_1, and when minority ≥ Σs' no such k exists and it returns v_m.
 * All sums are exact integers, so any summation order gives the chain's values.
 */
function consensus(A: Float64Array, W: Csr, n: number, kappa: number): Float64Array {
  const C = new Float64Array(n);
  let sumA = 0;
  let rows = 0;
  for (let i = 0; i < n; i++) {
    if (A[i]! > 0) {
      sumA += A[i]!;
      rows++;
    }
  }
  if (rows === 0) return C;
  const sp = new Float64Array(n);
  let stakeSum = 0;
  for (let i = 0; i < n; i++) {
    if (A[i]! > 0) {
      sp[i] = divFloor(A[i]!, sumA);
      stakeSum += sp[i]!;
    }
  }
  const minority = stakeSum - kappa;

  // Column-major copy of the positive scores of participating rows.
  const wp = W.ptr;
  const wc = W.col;
  const wv = W.val;
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    if (sp[i] === 0) continue;
    const e = wp[i + 1]!;
    for (let k = wp[i]!; k < e; k++) {
      if (wv[k]! > 0) {
        const c = wc[k]! + 1;
        start[c] = start[c]! + 1;
      }
    }
  }
  for (let j = 0; j < n; j++) start[j + 1] = start[j + 1]! + start[j]!;
  const total = start[n]!;
  if (pairScratch.length < 2 * total) pairScratch = new Float64Array(2 * total);
  const buf = pairScratch; // fully written below before any read
  const fill = start.slice(0, n);
  for (let i = 0; i < n; i++) {
    const s = sp[i]!;
    if (s === 0) continue;
    const e = wp[i + 1]!;
    for (let k = wp[i]!; k < e; k++) {
      const v = wv[k]!;
      if (v > 0) {
        const c = wc[k]!;
        const at = fill[c]!;
        fill[c] = at + 1;
        buf[2 * at] = v;
        buf[2 * at + 1] = s;
      }
    }
  }
  for (let j = 0; j < n; j++) {
    const lo = start[j]!;
    const hi = start[j + 1]!;
    let pos = 0;
    for (let k = lo; k < hi; k++) pos += buf[2 * k + 1]!;
    const zeroStake = stakeSum - pos; // > 0 exactly when some participating row scores 0 here
    if (hi - lo < rows && minority < zeroStake) {
      C[j] = 0;
    } else if (hi === lo) {
      C[j] = 0; // only zeros, and no value exceeds the minority: the largest value is 0
    } else {
      C[j] = weightedSelect(buf, lo, hi, minority, zeroStake);
    }
  }
  return C;
}

/** Liquid-alpha parameters in raw form. */
interface Liquid {
  low: number;
  high: number;
  /** steepness / −100 in I32F32 (|k| ≤ 32768 ⇒ |kf| < 2^41). */
  kf: number;
  /** kf / 2^32 when that is an integer (steepness a multiple of 100), else 0. */
  kInt: number;
  lowB: bigint;
  highB: bigint;
  steepB: bigint;
  /** Cached alphas for d = 0 and d = 1 (−1 until computed). */
  atZero: number;
  atOne: number;
}

const EXP_CLAMP = 20 * TWO32;
const EXP_FAST = 12 * TWO32;

function makeLiquid(alphaLow: number, alphaHigh: number, steepness: number): Liquid {
  const kf = Number(fx.div(fx.fromInt(steepness), fx.fromInt(-100)));
  return {
    low: U16_PROPORTION[alphaLow]!,
    high: U16_PROPORTION[alphaHigh]!,
    kf,
    kInt: kf % TWO32 === 0 ? kf / TWO32 : 0,
    lowB: BigInt(U16_PROPORTION[alphaLow]!),
    highB: BigInt(U16_PROPORTION[alphaHigh]!),
    steepB: fx.fromInt(steepness),
    atZero: -1,
    atOne: -1,
  };
}

/**
 * The engine's liquid alpha for one entry (raw c, w, b in [0, 2^32]; u16 alpha bounds; the
 * steepness as an integer), for differential tests against reference.ts's `alphaSigmoid`.
 */
export function liquidAlphaOf(
  c: number,
  w: number,
  b: number,
  alphaLow: number,
  alphaHigh: number,
  steepness: number,
): number {
  return liquidAlpha(makeLiquid(alphaLow, alphaHigh, steepness), c, w, b);
}

/**
 * `alpha_sigmoid` (§6.4.1). The result depends on (C, w, b) only through d; d = 0 (every buying
 * entry when β = 1) and d = 1 are cached.
 */
function liquidAlpha(L: Liquid, c: number, w: number, b: number): number {
  // All inputs are in [0, 2^32], so the differences cannot saturate.
  const d = w >= b ? w - c : b - w;
  if (d <= 0) return L.atZero >= 0 ? L.atZero : (L.atZero = sigmoidAlpha(L, 0, c, w, b));
  if (d >= ONE) return L.atOne >= 0 ? L.atOne : (L.atOne = sigmoidAlpha(L, ONE, c, w, b));
  return sigmoidAlpha(L, d, c, w, b);
}

function sigmoidAlpha(L: Liquid, d: number, c: number, w: number, b: number): number {
  // x = kf · (d − 0.5): |kf| < 2^41, |d − 2^31| ≤ 2^31.
  // When kf = kInt · 2^32 the floor is exact without splitting: |kInt| < 2^9, so the product is
  // an integer < 2^40.
  let x = L.kInt !== 0 ? L.kInt * (d - 2147483648) : mulFloorSigned(L.kf, d - 2147483648);
  if (x < -EXP_CLAMP) x = -EXP_CLAMP;
  else if (x > EXP_CLAMP) x = EXP_CLAMP;
  if (x > EXP_FAST || x < -EXP_FAST) {
    // exp(|x|) may exceed 2^53 here: evaluate the whole sigmoid exactly with BigInt.
    return Number(alphaSigmoid(BigInt(c), BigInt(w), BigInt(b), L.lowB, L.highB, L.steepB));
  }
  const op = x < 0 ? -x : x;
  if (op <= EXP_BOUND_LIMIT && x !== 0 && x !== ONE && L.high >= L.low) {
    // exp(x) is P or floor(2^64 / P) for the library's series sum P, and P lies in the real
    // interval (lo, hi) (expSeriesEst/expSeriesSlack) and in the integer one [lo', hi']
    // (expSeriesBounds, computed only when needed below).
    const est = expSeriesEst(op);
    const lo = est - expSeriesSlack(op);
    const hi = est + 1;
    // First σ = floor(2^64/(2^32 + e)) is decided exactly from a float bracket with proven
    // error margin, then α = low + floor(σ·(high − low)/2^32), clamped, follows exactly as in
    // alphaFromExp (mulFloorEst: 0 ≤ σ ≤ 2^32, 0 ≤ high − low ≤ 2^32).
    //  - x > 0: e = P, so σ = floor(t(P)) with t(P) = 2^64/(2^32 + P), decreasing in P:
    //    t(P) ∈ (t(hi), t(lo)). lo > 2^32 − 2^7 (est ≥ 2^32·e^y·(1 − 2^-45), slack < 2^7), so
    //    t < 2^31 at both ends; fl(2^32 + lo) and the division each round by relative ≤ 2^-53,
    //    so fl(t) is within 2^31·2^-51.9 < 2^-20.9 of t, and subtracting or adding the 2^-10
    //    margin rounds by ≤ 2^-22. If f = floor(fl(t(hi)) − 2^-10) = floor(fl(t(lo)) + 2^-10),
    //    then t(hi) > f + 2^-10 − 2^-22 − 2^-20.9 > f and t(lo) < f + 1 − 2^-10 + 2^-22 + 2^-20.9
    //    < f + 1, so every t(P) with P ∈ (lo, hi) has floor f = σ.
    //  - x < 0: e = floor(2^64/P) and 2^64/P ∈ (2^64/hi, 2^64/lo) with lo > 2^32 − 2^7, so
    //    both are < 2^32 + 2^8 and the double quotients (one rounding each) are within 2^-20.9;
    //    the same argument with equal floors decides e exactly, and σ = divFloor(2^32, 2^32 + e).
    // The σ bracket is narrow (width ≈ (hi − lo)·t²/2^64 ≤ (hi − lo)/4), so this decides all but
    // a few entries; the others take the exact end-point check and expRaw below.
    let sigma = -1;
    if (x > 0) {
      const f = Math.floor(FLOAT_TWO64 / (TWO32 + hi) - FLOAT_MARGIN);
      if (f === Math.floor(FLOAT_TWO64 / (TWO32 + lo) + FLOAT_MARGIN)) sigma = f;
    } else {
      const f = Math.floor(FLOAT_TWO64 / hi - FLOAT_MARGIN);
      if (f === Math.floor(FLOAT_TWO64 / lo + FLOAT_MARGIN)) sigma = divFloor(ONE, ONE + f);
    }
    if (sigma >= 0) {
      let alpha = L.low + mulFloorEst(sigma, L.high - L.low);
      if (alpha > L.high) alpha = L.high;
      if (alpha < L.low) alpha = L.low;
      return alpha;
    }
    // alphaFromSum is monotone in P (a composition of exact, monotone floors and clamps;
    // high ≥ low keeps every mulFloor operand non-negative), so if it agrees at both ends of
    // the integer bracket it has that value at the true P. Otherwise compute P exactly.
    expSeriesBounds(op, bounds);
    const a = alphaFromSum(L, bounds[0]!, x < 0);
    if (a === alphaFromSum(L, bounds[1]!, x < 0)) return a;
  }
  return alphaFromExp(L, expRaw(x, fx.expSafe)); // exp ≤ e^12 · 2^32 < 2^50
}

const FLOAT_TWO64 = 18446744073709551616;
const FLOAT_MARGIN = 2 ** -10;

/** Scratch for the series bounds. */
const bounds = new Float64Array(2);

/** The alpha for series sum P (2^32 ≤ P < 2^50): exp = P, or floor(2^64 / P) for x < 0. */
function alphaFromSum(L: Liquid, P: number, negative: boolean): number {
  return alphaFromExp(L, negative ? divFloor(TWO32, P) : P);
}

/** α from e = exp(x) (exact, 0 ≤ e < 2^50): low + σ·(high − low) clamped, σ = 1/(1 + e). */
function alphaFromExp(L: Liquid, e: number): number {
  const sigmoid = divFloor(ONE, ONE + e); // ≤ 2^32
  let alpha = L.low + mulFloor(sigmoid, L.high - L.low);
  if (alpha > L.high) alpha = L.high;
  if (alpha < L.low) alpha = L.low;
  return alpha;
}

/**
 * α = 1 − BondsMovingAverage/10^6 as I32F32 raw: 2^32 − floor(bma · 2^32 / 10^6)
 * (the I64F64 quotient floored to 32 fractional bits). bma ≤ 10^6, so bma·2^32 < 2^52.
 */
function bondsAlpha(bma: number): number {
  return ONE - idivFloor(bma * TWO32, 1e6);
}

/**
 * Sparse row-wise EMA `mat_ema_sparse`: α·new + (1−α)·old over the union, ascending columns.
 * Adds each column's entries to `sums` (zeroed by the caller).
 */
function emaSparse(
  n: number,
  newM: Csr,
  newPresent: Uint8Array | null,
  old: Csr,
  alpha: number,
  acc: Float64Array,
  touched: Uint8Array,
  sums: Float64Array,
): Csr {
  // Both factors are split once (mulFloorSplit): α, 1 − α ∈ [0, 2^32].
  const aH = splitHi(alpha);
  const aL = alpha - aH * TWO16;
  const oneMinus = ONE - alpha;
  const oH = splitHi(oneMinus);
  const oL = oneMinus - oH * TWO16;
  const ptr = new Int32Array(n + 1);
  const cols = scratchI32(I_EMA, newM.ptr[n]! + old.ptr[n]!);
  const vals = scratchF64(F_EMA, cols.length);
  let k = 0;
  for (let i = 0; i < n; i++) {
    ptr[i] = k;
    const a0 = newM.ptr[i]!;
    const a1 = newM.ptr[i + 1]!;
    const b0 = old.ptr[i]!;
    const b1 = old.ptr[i + 1]!;
    if (a0 === a1 && b0 === b1) continue;
    let any = false;
    for (let t = a0; t < a1; t++) {
      if (newPresent !== null && newPresent[t] === 0) continue;
      const j = newM.col[t]!;
      acc[j]! += mulFloorSplit(newM.val[t]!, aH, aL);
      touched[j] = 1;
      any = true;
    }
    for (let t = b0; t < b1; t++) {
      const j = old.col[t]!;
      acc[j]! += mulFloorSplit(old.val[t]!, oH, oL);
      touched[j] = 1;
      any = true;
    }
    if (!any) continue;
    for (let j = 0; j < n; j++) {
      if (touched[j] === 0) continue;
      const v = acc[j]!;
      if (v > 0) {
        cols[k] = j;
        vals[k] = v;
        sums[j]! += v;
        k++;
      }
      acc[j] = 0;
      touched[j] = 0;
    }
  }
  ptr[n] = k;
  return { ptr, col: cols, val: vals };
}

/** fl(2^32 / s_j) for `divFloorRecip` (0 where s_j = 0; those entries are not divided). */
function reciprocals(s: Float64Array): Float64Array {
  const r = new Float64Array(s.length);
  for (let j = 0; j < s.length; j++) if (s[j] !== 0) r[j] = TWO32 / s[j]!;
  return r;
}

/** The halves (floor(v/2^16), v mod 2^16) of each entry, for `mulFloorSplit`. */
function splitAll(v: Float64Array): { hi: Float64Array; lo: Float64Array } {
  const hi = new Float64Array(v.length);
  const lo = new Float64Array(v.length);
  for (let j = 0; j < v.length; j++) {
    const h = splitHi(v[j]!);
    hi[j] = h;
    lo[j] = v[j]! - h * TWO16;
  }
  return { hi, lo };
}

/** Column sums of a CSR matrix (entries are non-negative and each column sums to < 2^53). */
function colSums(m: Csr, n: number): Float64Array {
  const s = new Float64Array(n);
  const len = m.ptr[n]!;
  for (let k = 0; k < len; k++) s[m.col[k]!]! += m.val[k]!;
  return s;
}

/** `inplace_col_normalize_sparse` into `out` (zero-sum columns are left unchanged); `s`: column sums. */
function colNormalize(m: Csr, n: number, out: Float64Array, s: Float64Array = colSums(m, n)): void {
  const r = reciprocals(s);
  const len = m.ptr[n]!;
  for (let k = 0; k < len; k++) {
    const c = m.col[k]!;
    const d = s[c]!;
    const v = m.val[k]!;
    out[k] = d !== 0 && v !== 0 ? divFloorRecip(v, d, r[c]!) : v;
  }
}

/** Loads stored bond rows (u16) into CSR, dropping the reset columns of §6.2; column sums into `sums`. */
function loadBonds(rows: readonly SparseRow[], n: number, reset: Uint8Array, sums: Float64Array): Csr {
  let nnz = 0;
  for (let i = 0; i < n; i++) nnz += rows[i]?.cols.length ?? 0;
  const ptr = new Int32Array(n + 1);
  const col = scratchI32(I_BONDS, nnz);
  const val = scratchF64(F_BONDS, nnz);
  let k = 0;
  for (let i = 0; i < n; i++) {
    ptr[i] = k;
    const r = rows[i];
    if (r === undefined) continue;
    for (let t = 0; t < r.cols.length; t++) {
      const j = r.cols[t]!;
      if (j >= n || reset[j] === 1) continue;
      const v = r.vals[t]!;
      col[k] = j;
      val[k] = v;
      sums[j]! += v;
      k++;
    }
  }
  ptr[n] = k;
  return { ptr, col, val };
}

/** One epoch (spec §2–§8, FORMAT's "Epoch" choices), exact and fast. */
export function fastEpoch(state: EpochState, inputs: EpochInputs, p: EpochParams): EpochResult {
  const n = inputs.stake.length;
  const { lastUpdate: lu, registrationBlock: reg, weights } = inputs;
  const owner = p.ownerUid !== null && p.ownerUid < n ? p.ownerUid : -1;

  // §2.3 activity: LastUpdate + cutoff < block ⇔ LastUpdate < block − cutoff (safe integers).
  const cutoffBlock = inputs.block - p.activityCutoff;
  const active = new Array<boolean>(n);
  for (let i = 0; i < n; i++) active[i] = !(lu[i]! < cutoffBlock);

  // §2.2 stake.
  const S = new Float64Array(n);
  normalisedStake(inputs.stake, p.stakeThreshold, owner, S);

  // §2.4 permits: stored ones (owner forced) are used now; new ones are stored.
  const permit = new Uint8Array(n);
  for (let i = 0; i < n; i++) permit[i] = state.validatorPermit[i] === true ? 1 : 0;
  if (owner >= 0) permit[owner] = 1;
  const newPermits = topkNonzero(S, p.maxAllowedValidators);
  if (owner >= 0) newPermits[owner] = true;

  // §2.5 active stake.
  const A = new Float64Array(n);
  for (let i = 0; i < n; i++) if (active[i] && permit[i] === 1) A[i] = S[i]!;
  normalizeInPlace(A);

  // §2.6 weights: permitted rows, no self-weight (except the owner's), no outdated entries,
  // then row-normalised. The row sum of raw u16·2^32 values is Σw·2^32, so each normalised
  // entry is floor(w · 2^32 / Σw) with Σw ≤ 65535·n.
  let nnz = 0;
  for (let i = 0; i < n; i++) if (permit[i] === 1) nnz += weights[i]?.cols.length ?? 0;
  const W: Csr = { ptr: new Int32Array(n + 1), col: scratchI32(I_W, nnz), val: scratchF64(F_W, nnz) };
  let k = 0;
  for (let i = 0; i < n; i++) {
    W.ptr[i] = k;
    const row = weights[i];
    if (permit[i] === 0 || row === undefined) continue;
    const start = k;
    const luI = lu[i]!;
    let sum = 0;
    for (let t = 0; t < row.cols.length; t++) {
      const j = row.cols[t]!;
      if (j >= n) continue;
      if (j === i && i !== owner) continue;
      if (luI <= reg[j]!) continue;
      const w = row.vals[t]!;
      W.col[k] = j;
      W.val[k] = w;
      sum += w;
      k++;
    }
    if (sum > 0) {
      const r = TWO32 / sum;
      for (let t = start; t < k; t++) W.val[t] = divFloorRecip(W.val[t]!, sum, r);
    }
  }
  W.ptr[n] = k;
  const wLen = k;

  // §3 consensus.
  const kappa = divFloor(p.kappa, 65535);
  const C = consensus(A, W, n, kappa);

  // §4 clipping (an entry above a zero consensus disappears), validator trust; §5 incentive.
  const clipped = new Float64Array(wLen);
  const clipPresent = new Uint8Array(wLen);
  const Tv = new Float64Array(n);
  const I = new Float64Array(n);
  clipRows(W, n, A, C, clipped, clipPresent, Tv, I);
  normalizeInPlace(I);

  // §6.1 weights for bonds W̃ = W + β(W̄ − W), on W's structure (W̄'s columns are a subset).
  const beta = divFloor(p.bondsPenalty, 65535);
  let wfbVal: Float64Array;
  let wfbPresent: Uint8Array | null;
  if (beta === 0) {
    wfbVal = W.val;
    wfbPresent = null;
  } else if (beta === ONE) {
    wfbVal = clipped;
    wfbPresent = clipPresent;
  } else {
    wfbVal = new Float64Array(wLen);
    wfbPresent = new Uint8Array(wLen);
    for (let t = 0; t < wLen; t++) {
      const v1 = W.val[t]!;
      const v2 = clipPresent[t] === 1 ? clipped[t]! : 0;
      const v = v1 + mulFloorSigned(beta, v2 - v1); // |β| ≤ 2^32, |v2 − v1| ≤ 2^32
      if (v > 0) {
        wfbVal[t] = v;
        wfbPresent[t] = 1;
      }
    }
  }
  const WFB: Csr = { ptr: W.ptr, col: W.col, val: wfbVal };

  // §6.2 bond columns of uids registered at or after last_tempo are reset.
  const lastTempo = Math.max(0, inputs.block - p.tempo);
  const reset = new Uint8Array(n);
  for (let j = 0; j < n; j++) if (lastTempo <= reg[j]!) reset[j] = 1;
  const bondSums = new Float64Array(n);
  const bonds = loadBonds(state.bonds, n, reset, bondSums);

  const acc = new Float64Array(n);
  const touched = new Uint8Array(n);
  const D = new Float64Array(n);
  const emaSums = new Float64Array(n); // column sums of the EMA bonds
  let ema: Csr;
  let stored: Float64Array; // the values to store, per ema entry (u16_out applied below)

  if (p.yuma3) {
    // §6.4: absolute bond levels u/65535.
    for (let t = 0; t < bonds.ptr[n]!; t++) bonds.val[t] = U16_PROPORTION[bonds.val[t]!]!;
    let anyC = false;
    for (let j = 0; j < n; j++) if (C[j] !== 0) anyC = true;
    if (p.liquidAlpha && anyC) {
      const L = makeLiquid(p.alphaLow, p.alphaHigh, p.alphaSigmoidSteepness);
      const ptr = new Int32Array(n + 1);
      const cols = scratchI32(I_EMA, wLen);
      const vals = scratchF64(F_EMA, wLen);
      // The old bond of (i, j) is looked up by column (0 if absent), as in reference.ts: rows
      // are maps here, whatever their stored order.
      liquidEma(n, L, C, W, wfbVal, wfbPresent, bonds, acc, ptr, cols, vals, emaSums);
      ema = { ptr, col: cols, val: vals };
    } else {
      ema = emaSparse(n, WFB, wfbPresent, bonds, bondsAlpha(p.bondsMovingAverage), acc, touched, emaSums);
    }
    const norm = scratchF64(F_NORM, ema.ptr[n]!);
    colNormalize(ema, n, norm, emaSums);
    yuma3Dividends(ema, n, norm, I, A, D);
    normalizeInPlace(D);
    stored = ema.val;
  } else {
    // §6.3 classic: column-normalised u16 bonds, column-normalised ΔB = A·W̃, EMA, normalise.
    const bn = scratchF64(F_BN, bonds.ptr[n]!);
    colNormalizeInts(bonds, bondSums, bn);
    const old: Csr = { ptr: bonds.ptr, col: bonds.col, val: bn };
    const delta = new Float64Array(wLen);
    deltaRows(W, n, A, wfbVal, wfbPresent, delta);
    const deltaM: Csr = { ptr: W.ptr, col: W.col, val: delta };
    const deltaN = scratchF64(F_DELTAN, wLen);
    colNormalize(deltaM, n, deltaN);
    ema = emaSparse(
      n,
      { ptr: W.ptr, col: W.col, val: deltaN },
      wfbPresent,
      old,
      bondsAlpha(p.bondsMovingAverage),
      acc,
      touched,
      emaSums,
    );
    // One pass: column-normalise the EMA (the sums came from emaSparse), dividends, column maxima.
    const len = ema.ptr[n]!;
    const en = scratchF64(F_NORM, len);
    const colMax = new Float64Array(n);
    classicDividends(ema, n, emaSums, I, en, colMax, D);
    normalizeInPlace(D);
    // Storage form: each column divided by its maximum (only the rows that are stored, §8).
    divideByColMax(ema, n, en, colMax, newPermits);
    stored = en;
  }

  // §7 emission shares and amounts.
  let emissionSum = 0;
  for (let i = 0; i < n; i++) emissionSum += I[i]! + D[i]!;
  const serverShare = new Float64Array(n);
  let validatorShare = new Float64Array(n);
  if (emissionSum === 0) {
    let sumA = 0;
    for (let i = 0; i < n; i++) sumA += A[i]!;
    validatorShare = sumA === 0 ? S : A;
  } else {
    for (let i = 0; i < n; i++) {
      if (I[i] !== 0) serverShare[i] = divFloor(I[i]!, emissionSum);
      if (D[i] !== 0) validatorShare[i] = divFloor(D[i]!, emissionSum);
    }
  }
  const E = limbs16(inputs.emission);
  const serverEmission = new BigUint64Array(n);
  const validatorEmission = new BigUint64Array(n);
  writeEmission(serverShare, E, serverEmission);
  writeEmission(validatorShare, E, validatorEmission);

  // §8 stored bonds: the EMA row for new permit holders, an empty row for everyone else.
  const bondsOut: SparseRow[] = new Array<SparseRow>(n);
  for (let i = 0; i < n; i++) {
    const a = ema.ptr[i]!;
    const b = ema.ptr[i + 1]!;
    if (!newPermits[i] || a === b) {
      bondsOut[i] = EMPTY_ROW;
      continue;
    }
    const cols = new Uint16Array(b - a);
    const vals = new Uint16Array(b - a);
    for (let t = a; t < b; t++) {
      cols[t - a] = ema.col[t]!;
      vals[t - a] = toU16(stored[t]!);
    }
    bondsOut[i] = { cols, vals };
  }

  const u16s = (v: Float64Array): Uint16Array => {
    const out = new Uint16Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = toU16(v[i]!);
    return out;
  };
  return {
    outputs: {
      active,
      validatorPermit: newPermits,
      consensus: u16s(C),
      incentive: u16s(I),
      dividends: u16s(D),
      validatorTrust: u16s(Tv),
      stakeWeight: u16s(S),
      bonds: bondsOut,
      serverEmission,
      validatorEmission,
    },
    nextState: { validatorPermit: newPermits.slice(), bonds: bondsOut },
  };
}

// The row loops below are separate functions so that each is optimised (and its small callees
// inlined) on its own rather than as part of one very large function.

/** §4/§5: clipped weights, validator trust and the (unnormalised) incentive Σ_i A_i·clipped. */
function clipRows(
  W: Csr,
  n: number,
  A: Float64Array,
  C: Float64Array,
  clipped: Float64Array,
  clipPresent: Uint8Array,
  Tv: Float64Array,
  I: Float64Array,
): void {
  const wp = W.ptr;
  const wc = W.col;
  const wv = W.val;
  for (let i = 0; i < n; i++) {
    const a = A[i]!;
    const ah = splitHi(a);
    const al = a - ah * TWO16;
    let tv = 0;
    const e = wp[i + 1]!;
    for (let t = wp[i]!; t < e; t++) {
      const v = wv[t]!;
      const j = wc[t]!;
      const th = C[j]!;
      let cv = v;
      if (th < v) {
        if (th <= 0) continue;
        cv = th;
      }
      clipped[t] = cv;
      clipPresent[t] = 1;
      tv += cv;
      if (a !== 0 && cv !== 0) I[j]! += mulFloorSplit(cv, ah, al);
    }
    Tv[i] = tv;
  }
}

/** §6.4 with liquid alpha: per-entry α, EMA of the looked-up old bond; column sums into `sums`. */
function liquidEma(
  n: number,
  L: Liquid,
  C: Float64Array,
  W: Csr,
  wfbVal: Float64Array,
  wfbPresent: Uint8Array | null,
  bonds: Csr,
  acc: Float64Array,
  ptr: Int32Array,
  cols: Int32Array,
  vals: Float64Array,
  sums: Float64Array,
): void {
  // The old bond of (i, j) is looked up by column (0 if absent), as in reference.ts: rows
  // are maps here, whatever their stored order.
  const stamp = new Int32Array(n).fill(-1);
  let e = 0;
  for (let i = 0; i < n; i++) {
    ptr[i] = e;
    for (let t = bonds.ptr[i]!; t < bonds.ptr[i + 1]!; t++) {
      acc[bonds.col[t]!] = bonds.val[t]!;
      stamp[bonds.col[t]!] = i;
    }
    for (let t = W.ptr[i]!; t < W.ptr[i + 1]!; t++) {
      if (wfbPresent !== null && wfbPresent[t] === 0) continue;
      const j = W.col[t]!;
      const w = wfbVal[t]!;
      const b = stamp[j] === i ? acc[j]! : 0;
      const alpha = liquidAlpha(L, C[j]!, w, b);
      let v = mulFloorEst(ONE - alpha, b) + mulFloorEst(alpha, w);
      if (v > ONE) v = ONE;
      if (v > 0) {
        cols[e] = j;
        vals[e] = v;
        sums[j]! += v;
        e++;
      }
    }
  }
  ptr[n] = e;
  acc.fill(0);
}

/** §6.4 dividends before normalisation: D_i = (Σ_j norm_ij·I_j)·A_i for rows with A_i > 0. */
function yuma3Dividends(
  ema: Csr,
  n: number,
  norm: Float64Array,
  I: Float64Array,
  A: Float64Array,
  D: Float64Array,
): void {
  const { hi: iH, lo: iL } = splitAll(I);
  for (let i = 0; i < n; i++) {
    const a = A[i]!;
    if (a === 0) continue;
    let s = 0;
    for (let t = ema.ptr[i]!; t < ema.ptr[i + 1]!; t++) {
      const c = ema.col[t]!;
      s += mulFloorSplit(norm[t]!, iH[c]!, iL[c]!);
    }
    D[i] = mulFloor(s, a); // s ≤ ΣI ≤ 2^32
  }
}

/** §6.3 ΔB entries A_i·W̃_ij (rows with A_i = 0 and absent W̃ entries stay 0). */
function deltaRows(
  W: Csr,
  n: number,
  A: Float64Array,
  wfbVal: Float64Array,
  wfbPresent: Uint8Array | null,
  delta: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const a = A[i]!;
    if (a === 0) continue;
    const ah = splitHi(a);
    const al = a - ah * TWO16;
    for (let t = W.ptr[i]!; t < W.ptr[i + 1]!; t++) {
      if (wfbPresent !== null && wfbPresent[t] === 0) continue;
      delta[t] = mulFloorSplit(wfbVal[t]!, ah, al);
    }
  }
}

/**
 * §6.3 in one pass over the EMA bonds: column-normalised entries into `en` (`sums` are the EMA's
 * column sums), their column maxima into `colMax`, and the unnormalised dividends
 * D_i = Σ_j I_j·en_ij.
 */
function classicDividends(
  ema: Csr,
  n: number,
  sums: Float64Array,
  I: Float64Array,
  en: Float64Array,
  colMax: Float64Array,
  D: Float64Array,
): void {
  const rSum = reciprocals(sums);
  const { hi: iH, lo: iL } = splitAll(I);
  const ec = ema.col;
  const ev = ema.val;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let t = ema.ptr[i]!; t < ema.ptr[i + 1]!; t++) {
      const c = ec[t]!;
      const v = ev[t]!; // > 0, so the column sum is > 0
      const x = divFloorRecip(v, sums[c]!, rSum[c]!);
      en[t] = x;
      if (colMax[c]! < x) colMax[c] = x;
      s += mulFloorSplit(x, iH[c]!, iL[c]!);
    }
    D[i] = s;
  }
}

/** Classic storage form: en_ij / max_k en_kj for the rows that are stored (new permit holders). */
function divideByColMax(ema: Csr, n: number, en: Float64Array, colMax: Float64Array, keep: readonly boolean[]): void {
  const rMax = reciprocals(colMax);
  const ec = ema.col;
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    for (let t = ema.ptr[i]!; t < ema.ptr[i + 1]!; t++) {
      const c = ec[t]!;
      const m = colMax[c]!;
      if (m !== 0) en[t] = divFloorRecip(en[t]!, m, rMax[c]!); // en ≤ m
    }
  }
}

/** Column normalisation of u16 integer entries: floor(v · 2^32 / s_col), s the column sums (≤ 65535·n). */
function colNormalizeInts(m: Csr, s: Float64Array, out: Float64Array): void {
  const r = reciprocals(s);
  const len = m.ptr[m.ptr.length - 1]!;
  for (let k = 0; k < len; k++) {
    const v = m.val[k]!;
    const c = m.col[k]!;
    out[k] = v === 0 ? 0 : divFloorRecip(v, s[c]!, r[c]!);
  }
}

/** Emission amounts floor(share · E / 2^32) written as u64 words, no BigInt arithmetic. */
function writeEmission(share: Float64Array, E: Float64Array, out: BigUint64Array): void {
  const words = new Uint32Array(out.buffer, out.byteOffset, out.length * 2);
  for (let i = 0; i < share.length; i++) {
    if (share[i] === 0) continue;
    mulEmission(share[i]!, E, words, i);
    if (!LITTLE_ENDIAN) {
      const lo = words[i * 2]!;
      words[i * 2] = words[i * 2 + 1]!;
      words[i * 2 + 1] = lo;
    }
  }
}
