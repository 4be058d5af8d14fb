/**
 * Deterministic generators for benchmarks and property tests: a seeded PRNG (integers only)
 * and random subnets / scenarios in the canonical format.
 */
import { maxUpscaleU16, type Scenario, type Step } from "./scenario.ts";
import type { EpochInputs, EpochParams, EpochState, SparseRow } from "./types.ts";

/** xorshift32-based generator with a splitmix-style seed scramble; yields uint32. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    let z = (seed ^ 0x9e3779b9) >>> 0;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    this.s = (z ^ (z >>> 16)) >>> 0 || 1;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  /** Integer in [lo, hi] (inclusive), hi − lo < 2^32. */
  int(lo: number, hi: number): number {
    return lo + (this.next() % (hi - lo + 1));
  }
  /** True with probability num/den. */
  chance(num: number, den: number): boolean {
    return this.next() % den < num;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.next() % xs.length]!;
  }
  u64(): bigint {
    return (BigInt(this.next()) << 32n) | BigInt(this.next());
  }
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.next() % (i + 1);
      const t = xs[i]!;
      xs[i] = xs[j]!;
      xs[j] = t;
    }
    return xs;
  }
}

/** Chain defaults (spec §11) with the given bond mode. */
export function defaultParams(yuma3: boolean, liquidAlpha: boolean): EpochParams {
  return {
    kappa: 32767,
    bondsMovingAverage: 900_000,
    bondsPenalty: 65535,
    yuma3,
    liquidAlpha,
    alphaLow: 45875,
    alphaHigh: 58982,
    alphaSigmoidSteepness: 1000,
    activityCutoff: 5000,
    maxAllowedValidators: 64,
    tempo: 360,
    stakeThreshold: 0n,
    ownerUid: null,
  };
}

function randomStake(r: Rng): bigint {
  switch (r.int(0, 5)) {
    case 0:
      return 0n;
    case 1:
      return BigInt(r.int(0, 1000));
    case 2:
      return r.u64();
    case 3:
      return 1_000_000_000n; // repeated values exercise the stable tie-break
    default:
      return BigInt(r.next()) * BigInt(r.int(1, 100_000));
  }
}

function randomRow(r: Rng, n: number, density: number): SparseRow {
  const cols = r.shuffle(Array.from({ length: n }, (_, j) => j)).slice(0, Math.max(0, Math.min(n, density)));
  return {
    cols: Uint16Array.from(cols),
    vals: Uint16Array.from(cols, () => (r.chance(1, 8) ? 0 : r.chance(1, 4) ? 65535 : r.int(0, 65535))),
  };
}

export interface RandomScenarioOptions {
  n?: number;
  epochs?: number;
  yuma3?: boolean;
  liquidAlpha?: boolean;
}

/** A random scenario in the canonical format (every operation, edge-heavy parameters). */
export function randomScenario(seed: number, opt: RandomScenarioOptions = {}): Scenario {
  const r = new Rng(seed);
  const n = opt.n ?? r.int(1, 24);
  const yuma3 = opt.yuma3 ?? r.chance(1, 2);
  const liquidAlpha = opt.liquidAlpha ?? r.chance(1, 2);
  const alphaA = r.pick([45875, 58982, 6553, 19660, 1638, 0, 65535, r.int(0, 65535)]);
  const alphaB = r.pick([45875, 58982, 6553, 19660, 65535, r.int(0, 65535)]);
  const params: EpochParams = {
    kappa: r.pick([32767, 32767, 0, 65535, 1, r.int(0, 65535)]),
    bondsMovingAverage: r.pick([900_000, 975_000, 0, 1_000_000, r.int(0, 1_000_000)]),
    bondsPenalty: r.pick([65535, 0, r.int(1, 65534)]),
    yuma3,
    liquidAlpha,
    alphaLow: Math.min(alphaA, alphaB),
    alphaHigh: Math.max(alphaA, alphaB),
    alphaSigmoidSteepness: r.pick([1000, 10, 0, -500, 32767, -32768, r.int(-32768, 32767)]),
    activityCutoff: r.int(1, 300),
    maxAllowedValidators: r.pick([64, n, Math.max(0, n - 2), 0, 1, r.int(0, n + 3)]),
    tempo: r.pick([0, 1, 10, 360, r.int(0, 400)]),
    stakeThreshold: r.pick([0n, 0n, BigInt(r.int(0, 2000)), r.u64() >> BigInt(r.int(0, 64))]),
    ownerUid: r.chance(1, 3) ? r.int(0, n - 1) : null,
  };
  const stake = Array.from({ length: n }, () => randomStake(r));
  let blk = r.int(0, 500);
  const registrationBlock = Array.from({ length: n }, () => r.int(0, blk + 50));
  const lastUpdate = Array.from({ length: n }, () => r.int(0, blk + 50));
  const validatorPermit = Array.from({ length: n }, () => r.chance(2, 3));
  const initialBonds = Array.from({ length: n }, () =>
    r.chance(1, 2) ? randomRow(r, n, r.int(0, n)) : randomRow(r, n, 0),
  );
  const steps: Step[] = [];
  const epochs = opt.epochs ?? r.int(1, 6);
  for (let e = 0; e < epochs; e++) {
    const ops = r.int(0, n + 2);
    for (let o = 0; o < ops; o++) {
      const kind = r.int(0, 19);
      const uid = r.int(0, n - 1);
      blk += r.int(0, 3);
      if (kind < 14) {
        const row = randomRow(r, n, r.int(0, n));
        steps.push({ op: "set_weights", uid, uids: Array.from(row.cols), values: Array.from(row.vals), block: blk });
      } else if (kind < 16) {
        steps.push({ op: "set_stake", uid, stake: randomStake(r) });
      } else if (kind < 18) {
        steps.push({ op: "replace_neuron", uid, block: blk, stake: randomStake(r) });
      } else {
        steps.push({ op: "reset_bonds", uid });
      }
    }
    blk += r.int(0, 120);
    steps.push({ op: "epoch", block: blk, emission: r.pick([1_000_000_000n, 0n, r.u64(), BigInt(r.next())]) });
  }
  return {
    name: `random-seed-${seed}`,
    source: `generated, seed ${seed}`,
    params,
    n,
    stake,
    registrationBlock,
    lastUpdate,
    validatorPermit,
    initialBonds,
    steps,
  };
}

/** Serialises a scenario back to the canonical JSON shape (without `expected`). */
export function scenarioToJson(s: Scenario): Record<string, unknown> {
  const p = s.params;
  return {
    name: s.name,
    source: s.source,
    params: {
      kappa: p.kappa,
      bonds_moving_average: p.bondsMovingAverage,
      bonds_penalty: p.bondsPenalty,
      yuma3: p.yuma3,
      liquid_alpha: p.liquidAlpha,
      alpha_low: p.alphaLow,
      alpha_high: p.alphaHigh,
      alpha_sigmoid_steepness: p.alphaSigmoidSteepness,
      activity_cutoff: p.activityCutoff,
      max_allowed_validators: p.maxAllowedValidators,
      tempo: p.tempo,
      stake_threshold: p.stakeThreshold.toString(),
      owner_uid: p.ownerUid,
    },
    n: s.n,
    stake: s.stake.map(String),
    registration_block: s.registrationBlock,
    last_update: s.lastUpdate,
    validator_permit: s.validatorPermit,
    initial_bonds: s.initialBonds.map((r) => Array.from(r.cols, (c, k) => [c, r.vals[k]!])),
    steps: s.steps.map((st) =>
      "stake" in st
        ? { ...st, stake: st.stake.toString() }
        : "emission" in st
          ? { ...st, emission: st.emission.toString() }
          : st,
    ),
  };
}

/**
 * A bench subnet: n uids, the first `validators` hold most of the stake and set dense weights
 * on every uid; the rest are miners. State carries dense bonds from a prior epoch.
 */
export function benchSubnet(
  seed: number,
  n: number,
  validators: number,
  params: EpochParams,
): { state: EpochState; inputs: EpochInputs; params: EpochParams } {
  const r = new Rng(seed);
  const block = 100_000;
  const stake = Array.from({ length: n }, (_, i) =>
    i < validators ? BigInt(r.int(1_000, 1_000_000)) * 1_000_000_000n : BigInt(r.int(0, 1_000_000)),
  );
  const registrationBlock = Array.from({ length: n }, () => r.int(0, 50_000));
  const lastUpdate = Array.from({ length: n }, (_, i) =>
    i < validators ? block - r.int(0, 500) : r.int(90_000, block),
  );
  const allCols = Uint16Array.from({ length: n }, (_, j) => j);
  const weights: SparseRow[] = Array.from({ length: n }, (_, i) =>
    i < validators
      ? { cols: allCols, vals: Uint16Array.from(maxUpscaleU16(Array.from({ length: n }, () => r.int(0, 65535)))) }
      : { cols: new Uint16Array(0), vals: new Uint16Array(0) },
  );
  const bonds: SparseRow[] = Array.from({ length: n }, (_, i) =>
    i < validators
      ? { cols: allCols, vals: Uint16Array.from({ length: n }, () => r.int(0, 65535)) }
      : { cols: new Uint16Array(0), vals: new Uint16Array(0) },
  );
  const validatorPermit = Array.from({ length: n }, (_, i) => i < validators);
  return {
    state: { validatorPermit, bonds },
    inputs: { block, emission: 1_000_000_000_000n, stake, registrationBlock, lastUpdate, weights },
    params: { ...params, maxAllowedValidators: validators },
  };
}
