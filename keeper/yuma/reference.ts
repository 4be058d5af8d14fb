/**
 * Reference epoch: a direct, step-by-step BigInt transcription of subtensor's sparse
 * `epoch_mechanism` (see the specification, §2–§8). It is slow and deliberately literal:
 * every vector operation keeps the chain's structure (stored row order, explicit zero entries,
 * the quick-select median, saturating operations) so that it can serve as the oracle the fast
 * engine (epoch.ts) is differentially tested against.
 */
import * as fx from "./fixed.ts";
import type { EpochInputs, EpochParams, EpochResult, EpochState, SparseRow } from "./types.ts";

type Entry = [number, bigint];
type Rows = Entry[][];

const ZERO = 0n;
const ONE = fx.ONE32;

function sum(v: readonly bigint[]): bigint {
  let s = 0n;
  for (const x of v) s += x;
  return s;
}

/** `inplace_normalize`: divide by the sum unless it is 0. */
function normalize(v: bigint[]): void {
  const s = sum(v);
  if (s === ZERO) return;
  for (let i = 0; i < v.length; i++) v[i] = fx.safeDiv(v[i]!, s);
}

/** `is_topk_nonzero`: non-zero entries, minus the n−k smallest under a stable ascending sort. */
function isTopkNonzero(v: readonly bigint[], k: number): boolean[] {
  const n = v.length;
  const out = v.map((x) => x !== ZERO);
  if (n < k) return out;
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => (v[a]! < v[b]! ? -1 : v[a]! > v[b]! ? 1 : a - b));
  for (let t = 0; t < n - k; t++) out[idx[t]!] = false;
  return out;
}

/** subtensor's `weighted_median` (deterministic quick-select, middle pivot). */
function weightedMedian(
  stake: readonly bigint[],
  score: readonly bigint[],
  partition: number[],
  minority: bigint,
  lo0: bigint,
  hi0: bigint,
): bigint {
  let cur = partition;
  let lo = lo0;
  let hi = hi0;
  const limit = partition.length;
  let iter = 0;
  for (;;) {
    const n = cur.length;
    if (n === 0) return ZERO;
    if (n === 1) return score[cur[0]!]!;
    const pivot = score[cur[n >> 1]!]!;
    let loStake = ZERO;
    let hiStake = ZERO;
    const lower: number[] = [];
    const upper: number[] = [];
    for (const idx of cur) {
      const s = score[idx]!;
      if (s === pivot) continue;
      if (s < pivot) {
        loStake = fx.add(loStake, stake[idx]!);
        lower.push(idx);
      } else {
        hiStake = fx.add(hiStake, stake[idx]!);
        upper.push(idx);
      }
    }
    if (minority < fx.add(lo, loStake) && lower.length > 0) {
      cur = lower;
      hi = fx.add(lo, loStake);
    } else if (fx.sub(hi, hiStake) <= minority && upper.length > 0) {
      cur = upper;
      lo = fx.sub(hi, hiStake);
    } else {
      return pivot;
    }
    iter++;
    if (iter > limit) return ZERO;
  }
}

/** `weighted_median_col_sparse`. */
function weightedMedianColSparse(stake: readonly bigint[], score: Rows, n: number, majority: bigint): bigint[] {
  const useStake = stake.filter((s) => s > ZERO);
  normalize(useStake);
  const stakeSum = sum(useStake);
  const minority = fx.sub(stakeSum, majority);
  const cols: bigint[][] = Array.from({ length: n }, () => new Array<bigint>(useStake.length).fill(ZERO));
  let k = 0;
  for (let i = 0; i < stake.length; i++) {
    if (stake[i]! > ZERO) {
      for (const [c, v] of score[i]!) cols[c]![k] = v;
      k++;
    }
  }
  const idx = Array.from({ length: useStake.length }, (_, i) => i);
  return cols.map((col) => weightedMedian(useStake, col, idx, minority, ZERO, stakeSum));
}

/** `inplace_col_normalize_sparse`. */
function colNormalize(m: Rows, n: number): void {
  const colSum = new Array<bigint>(n).fill(ZERO);
  for (const row of m) for (const [j, v] of row) colSum[j] = fx.add(colSum[j]!, v);
  for (const row of m) {
    for (const e of row) {
      const d = colSum[e[0]]!;
      if (d !== ZERO) e[1] = fx.safeDiv(e[1], d);
    }
  }
}

/** `mat_ema_sparse`: α·new + (1−α)·old over the union, positive results, ascending columns. */
function matEmaSparse(newM: Rows, old: Rows, alpha: bigint, n: number): Rows {
  const oneMinus = fx.sub(ONE, alpha);
  return newM.map((row, i) => {
    const acc = new Array<bigint>(n).fill(ZERO);
    for (const [j, v] of row) acc[j] = fx.add(acc[j]!, fx.mul(alpha, v));
    for (const [j, v] of old[i]!) acc[j] = fx.add(acc[j]!, fx.mul(oneMinus, v));
    const out: Entry[] = [];
    for (let j = 0; j < n; j++) if (acc[j]! > ZERO) out.push([j, acc[j]!]);
    return out;
  });
}

/** subtensor's `alpha_sigmoid` (§6.4.1). */
export function alphaSigmoid(
  consensus: bigint,
  weight: bigint,
  bond: bigint,
  alphaLow: bigint,
  alphaHigh: bigint,
  steepness: bigint,
): bigint {
  // clamp_value: min with the upper bound first, then max with the lower one.
  const clamp = (x: bigint, lo: bigint, hi: bigint): bigint => {
    const m = x > hi ? hi : x;
    return m < lo ? lo : m;
  };
  const diffBuy = clamp(fx.sub(weight, consensus), ZERO, ONE);
  const diffSell = clamp(fx.sub(bond, weight), ZERO, ONE);
  const d = weight >= bond ? diffBuy : diffSell;
  const x = fx.mul(fx.div(steepness, fx.fromInt(-100)), fx.sub(d, ONE >> 1n));
  const sigmoid = fx.div(ONE, fx.add(ONE, fx.expSafe(x)));
  const alpha = fx.add(alphaLow, fx.mul(sigmoid, fx.sub(alphaHigh, alphaLow)));
  return clamp(alpha, alphaLow, alphaHigh);
}

/**
 * `compute_liquid_alpha_values_sparse` + `mat_ema_alpha_sparse`. The alpha of column j is read
 * from the weight and the old bond at column j of the same row (0 where absent). (On chain the
 * lookup is a forward merge-walk that presumes ascending columns; rows are treated here as the
 * maps they are meant to be, which is what the canonical scenarios encode.)
 */
function liquidEma(w: Rows, b: Rows, consensus: readonly bigint[], p: EpochParams): Rows {
  const steep = fx.fromInt(p.alphaSigmoidSteepness);
  const lo = fx.u16Proportion(p.alphaLow);
  const hi = fx.u16Proportion(p.alphaHigh);
  return w.map((wRow, i) => {
    const old = new Map<number, bigint>(b[i]!.map(([j, v]) => [j, v]));
    const out: Entry[] = [];
    for (const [j, v] of wRow) {
      const bond = old.get(j) ?? ZERO;
      const alpha = alphaSigmoid(consensus[j]!, v, bond, lo, hi, steep);
      const decayed = fx.mul(fx.sub(ONE, alpha), bond);
      let inc = fx.mul(alpha, v);
      if (inc < ZERO) inc = ZERO;
      let val = fx.add(decayed, inc);
      if (val > ONE) val = ONE;
      if (val > ZERO) out.push([j, val]);
    }
    return out;
  });
}

/** α = 1 − BondsMovingAverage / 10^6 (I64F64 quotient floored to I32F32). */
function bondsAlpha(bma: number): bigint {
  const ma64 = (BigInt(bma) << 128n) / (1_000_000n << 64n); // I64F64 safe_div, raw 64 frac bits
  return fx.sub(ONE, fx.i64f64ToI32f32(ma64));
}

function toRows(rows: readonly SparseRow[], conv: (v: number) => bigint): Rows {
  return rows.map((r) => Array.from(r.cols, (c, k): Entry => [c, conv(r.vals[k]!)]));
}

function rowFromEntries(entries: readonly Entry[]): SparseRow {
  return {
    cols: Uint16Array.from(entries, (e) => e[0]),
    vals: Uint16Array.from(entries, (e) => fx.proportionToU16(e[1])),
  };
}

/** One epoch, literally as on chain. */
export function referenceEpoch(state: EpochState, inputs: EpochInputs, p: EpochParams): EpochResult {
  const n = inputs.stake.length;
  const block = BigInt(inputs.block);
  const owner = p.ownerUid !== null && p.ownerUid < n ? p.ownerUid : -1;

  // §2.3 activity
  const active = inputs.lastUpdate.map((lu) => !(BigInt(lu) + BigInt(p.activityCutoff) < block));

  // §2.2 stake threshold and exact normalisation
  const filtered = inputs.stake.map((s, i) => (i !== owner && s < p.stakeThreshold ? 0n : s));
  const total = filtered.reduce((a, b) => a + b, 0n);
  const stake = filtered.map((s) => (total === 0n ? 0n : (s << 32n) / total));

  // §2.4 permits
  const permits = state.validatorPermit.slice(0, n);
  while (permits.length < n) permits.push(false);
  if (owner >= 0) permits[owner] = true;
  const newPermits = isTopkNonzero(stake, p.maxAllowedValidators);
  if (owner >= 0) newPermits[owner] = true;

  // §2.5 active stake
  const activeStake = stake.map((s, i) => (active[i] && permits[i] ? s : ZERO));
  normalize(activeStake);

  // §2.6 weights
  let weights: Rows = toRows(inputs.weights, (v) => fx.fromInt(v)).map((row) => row.filter(([j]) => j < n));
  weights = weights.map((row, i) => (permits[i] ? row : []));
  weights = weights.map((row, i) => row.filter(([j]) => j !== i || (i === owner && j === owner)));
  weights = weights.map((row, i) => row.filter(([j]) => !(inputs.lastUpdate[i]! <= inputs.registrationBlock[j]!)));
  for (const row of weights) {
    let s = ZERO;
    for (const e of row) s += e[1];
    if (s > ZERO) for (const e of row) e[1] = fx.safeDiv(e[1], s);
  }

  // §3 consensus
  const kappa = fx.safeDiv(fx.fromInt(p.kappa), fx.fromInt(65535));
  const consensus = weightedMedianColSparse(activeStake, weights, n, kappa);

  // §4 clipping, validator trust
  const clipped: Rows = weights.map((row) => {
    const out: Entry[] = [];
    for (const [j, v] of row) {
      const th = consensus[j]!;
      if (th < v) {
        if (th > ZERO) out.push([j, th]);
      } else out.push([j, v]);
    }
    return out;
  });
  const validatorTrust = clipped.map((row) => row.reduce((a, [, v]) => a + v, 0n));

  // §5 ranks → incentive
  const ranks = new Array<bigint>(n).fill(ZERO);
  clipped.forEach((row, i) => {
    for (const [j, v] of row) ranks[j] = fx.add(ranks[j]!, fx.mul(activeStake[i]!, v));
  });
  normalize(ranks);
  const incentive = ranks;

  // §6.1 weights for bonds
  const beta = fx.safeDiv(fx.fromInt(p.bondsPenalty), fx.fromInt(65535));
  let wfb: Rows;
  if (beta === ZERO) wfb = weights.map((r) => r.map((e): Entry => [e[0], e[1]]));
  else if (beta === ONE) wfb = clipped.map((r) => r.map((e): Entry => [e[0], e[1]]));
  else {
    wfb = weights.map((row, i) => {
      const r1 = new Array<bigint>(n).fill(ZERO);
      const r2 = new Array<bigint>(n).fill(ZERO);
      for (const [j, v] of row) r1[j] = v;
      for (const [j, v] of clipped[i]!) r2[j] = v;
      const out: Entry[] = [];
      for (let j = 0; j < n; j++) {
        const v = fx.add(r1[j]!, fx.mul(beta, fx.sub(r2[j]!, r1[j]!)));
        if (v > ZERO) out.push([j, v]);
      }
      return out;
    });
  }

  // §6.2 reset of bonds to recently registered uids
  const lastTempo = block > BigInt(p.tempo) ? block - BigInt(p.tempo) : 0n;
  const maskBonds = (rows: Rows): Rows =>
    rows.map((row) => row.filter(([j]) => !(lastTempo <= BigInt(inputs.registrationBlock[j] ?? 0))));

  let dividends: bigint[];
  let emaBonds: Rows;
  if (p.yuma3) {
    const bonds = maskBonds(toRows(state.bonds, (v) => fx.u16Proportion(v)));
    if (p.liquidAlpha && consensus.some((c) => c !== ZERO)) {
      emaBonds = liquidEma(wfb, bonds, consensus, p);
    } else {
      emaBonds = matEmaSparse(wfb, bonds, bondsAlpha(p.bondsMovingAverage), n);
    }
    const norm = emaBonds.map((r) => r.map((e): Entry => [e[0], e[1]]));
    colNormalize(norm, n);
    const tbpv = norm.map((row) => row.reduce((a, [j, v]) => a + fx.mul(v, incentive[j]!), 0n));
    dividends = tbpv.map((t, i) => {
      const m = fx.checkedMul(t, activeStake[i]!);
      return m === null ? ZERO : m;
    });
    normalize(dividends);
  } else {
    const bonds = maskBonds(toRows(state.bonds, (v) => fx.fromInt(v)));
    colNormalize(bonds, n);
    const delta: Rows = wfb.map((row, i) => row.map(([j, v]): Entry => [j, fx.mul(v, activeStake[i]!)]));
    colNormalize(delta, n);
    emaBonds = matEmaSparse(delta, bonds, bondsAlpha(p.bondsMovingAverage), n);
    colNormalize(emaBonds, n);
    dividends = emaBonds.map((row) => row.reduce((a, [j, v]) => fx.add(a, fx.mul(incentive[j]!, v)), 0n));
    normalize(dividends);
    const colMax = new Array<bigint>(n).fill(ZERO);
    for (const row of emaBonds) for (const [j, v] of row) if (colMax[j]! < v) colMax[j] = v;
    for (const row of emaBonds) {
      for (const e of row) {
        const m = colMax[e[0]]!;
        if (m !== ZERO) e[1] = fx.safeDiv(e[1], m);
      }
    }
  }

  // §7 emission
  const combined = incentive.map((x, i) => fx.add(x, dividends[i]!));
  const emissionSum = sum(combined);
  let serverShare = incentive.map((x) => fx.safeDiv(x, emissionSum));
  let validatorShare = dividends.map((x) => fx.safeDiv(x, emissionSum));
  if (emissionSum === ZERO) {
    serverShare = incentive.slice();
    validatorShare = sum(activeStake) === ZERO ? stake.slice() : activeStake.slice();
  }
  const E = BigInt(inputs.emission);
  // I96F32 product share · E (raw share·E), then `saturating_to_num::<u64>` (floor, clamp).
  const toRao = (share: bigint): bigint => fx.toUint(fx.sat128((share * (E << 32n)) >> 32n), 32n, fx.U64_MAX);

  const bondsOut: SparseRow[] = emaBonds.map((row, i) =>
    newPermits[i] ? rowFromEntries(row) : { cols: new Uint16Array(0), vals: new Uint16Array(0) },
  );
  const u16s = (v: readonly bigint[]): Uint16Array => Uint16Array.from(v, (x) => fx.proportionToU16(x));

  return {
    outputs: {
      active,
      validatorPermit: newPermits,
      consensus: u16s(consensus),
      incentive: u16s(incentive),
      dividends: u16s(dividends),
      validatorTrust: u16s(validatorTrust),
      stakeWeight: u16s(stake),
      bonds: bondsOut,
      serverEmission: BigUint64Array.from(serverShare, toRao),
      validatorEmission: BigUint64Array.from(validatorShare, toRao),
    },
    nextState: { validatorPermit: newPermits.slice(), bonds: bondsOut },
  };
}
