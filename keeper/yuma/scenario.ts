/**
 * Canonical scenario format: validation (unknown JSON → typed scenario, or an error naming the
 * field and index), the state operations, and a pure runner producing the `expected` array.
 */
import type { EpochInputs, EpochParams, EpochResult, EpochState, SparseRow } from "./types.ts";
import { U16_MAX } from "./types.ts";

export type Step =
  | {
      readonly op: "set_weights";
      readonly uid: number;
      readonly uids: number[];
      readonly values: number[];
      readonly block: number;
    }
  | { readonly op: "set_stake"; readonly uid: number; readonly stake: bigint }
  | { readonly op: "replace_neuron"; readonly uid: number; readonly block: number; readonly stake: bigint }
  | { readonly op: "reset_bonds"; readonly uid: number }
  | { readonly op: "epoch"; readonly block: number; readonly emission: bigint };

export interface Scenario {
  readonly name: string;
  readonly source: string;
  readonly params: EpochParams;
  readonly n: number;
  readonly stake: bigint[];
  readonly registrationBlock: number[];
  readonly lastUpdate: number[];
  readonly validatorPermit: boolean[];
  readonly initialBonds: SparseRow[];
  readonly steps: Step[];
  /** `expected` as found in the file (not validated beyond being an array), if any. */
  readonly expected?: unknown[];
}

/** One element of the `expected` array, in the format's key order. */
export interface ExpectedEpoch {
  block: number;
  active: boolean[];
  validator_permit: boolean[];
  consensus: number[];
  incentive: number[];
  dividends: number[];
  validator_trust: number[];
  bonds: [number, number][][];
  server_emission: string[];
  validator_emission: string[];
}

/** Largest supported n: keeps every weight-row sum (≤ n · 65535) inside I32F32's range. */
export const MAX_N = 32768;

export class ScenarioError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.path = path;
  }
}

export type ValidationResult = { ok: true; scenario: Scenario } | { ok: false; error: ScenarioError };

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function field(o: Obj, key: string, path: string): unknown {
  if (!Object.hasOwn(o, key)) throw new ScenarioError(path ? `${path}.${key}` : key, "missing field");
  return o[key];
}

function describe(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v);
  if (Array.isArray(v)) return "an array";
  if (v === null) return "null";
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  return typeof v;
}

function int(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v))
    throw new ScenarioError(path, `expected an integer, got ${describe(v)}`);
  if (v < min || v > max) throw new ScenarioError(path, `${v} is out of range ${min}…${max}`);
  return v;
}

const u16 = (v: unknown, path: string): number => int(v, path, 0, U16_MAX);
const block = (v: unknown, path: string): number => int(v, path, 0, Number.MAX_SAFE_INTEGER);

const U64_LIMIT = 1n << 64n;

function dec(v: unknown, path: string): bigint {
  if (typeof v !== "string" || !/^(0|[1-9][0-9]*)$/.test(v)) {
    throw new ScenarioError(path, `expected a decimal string without sign or leading zeros, got ${describe(v)}`);
  }
  const x = BigInt(v);
  if (x >= U64_LIMIT) throw new ScenarioError(path, `${v} does not fit in 64 bits`);
  return x;
}

function bool(v: unknown, path: string): boolean {
  if (typeof v !== "boolean") throw new ScenarioError(path, `expected a boolean, got ${describe(v)}`);
  return v;
}

function str(v: unknown, path: string): string {
  if (typeof v !== "string") throw new ScenarioError(path, `expected a string, got ${describe(v)}`);
  return v;
}

function arr(v: unknown, path: string, len?: number): unknown[] {
  if (!Array.isArray(v)) throw new ScenarioError(path, `expected an array, got ${describe(v)}`);
  if (len !== undefined && v.length !== len)
    throw new ScenarioError(path, `expected ${len} entries (n), got ${v.length}`);
  return v;
}

function uid(v: unknown, path: string, n: number): number {
  if (typeof v === "number" && Number.isInteger(v) && v >= n && v <= U16_MAX) {
    throw new ScenarioError(path, `uid ${v} is not below n = ${n}`);
  }
  return int(v, path, 0, n - 1);
}

function sparseRow(v: unknown, path: string, n: number): SparseRow {
  const entries = arr(v, path);
  const cols = new Uint16Array(entries.length);
  const vals = new Uint16Array(entries.length);
  const seen = new Set<number>();
  entries.forEach((e, k) => {
    const p = `${path}[${k}]`;
    const pair = arr(e, p);
    if (pair.length !== 2) throw new ScenarioError(p, `expected a [column, u16] pair, got ${pair.length} elements`);
    const c = uid(pair[0], `${p}[0]`, n);
    if (seen.has(c)) throw new ScenarioError(`${p}[0]`, `duplicate column ${c}`);
    seen.add(c);
    cols[k] = c;
    vals[k] = u16(pair[1], `${p}[1]`);
  });
  return { cols, vals };
}

function params(v: unknown, n: number): EpochParams {
  if (!isObj(v)) throw new ScenarioError("params", `expected an object, got ${describe(v)}`);
  const P = "params";
  const get = (k: string): unknown => field(v, k, P);
  const alphaLow = u16(get("alpha_low"), `${P}.alpha_low`);
  const alphaHigh = u16(get("alpha_high"), `${P}.alpha_high`);
  if (alphaLow > alphaHigh) throw new ScenarioError(`${P}.alpha_low`, `${alphaLow} exceeds alpha_high ${alphaHigh}`);
  const owner = get("owner_uid");
  return {
    kappa: u16(get("kappa"), `${P}.kappa`),
    bondsMovingAverage: int(get("bonds_moving_average"), `${P}.bonds_moving_average`, 0, 1_000_000),
    bondsPenalty: u16(get("bonds_penalty"), `${P}.bonds_penalty`),
    yuma3: bool(get("yuma3"), `${P}.yuma3`),
    liquidAlpha: bool(get("liquid_alpha"), `${P}.liquid_alpha`),
    alphaLow,
    alphaHigh,
    alphaSigmoidSteepness: int(get("alpha_sigmoid_steepness"), `${P}.alpha_sigmoid_steepness`, -32768, 32767),
    activityCutoff: int(get("activity_cutoff"), `${P}.activity_cutoff`, 1, Number.MAX_SAFE_INTEGER),
    maxAllowedValidators: u16(get("max_allowed_validators"), `${P}.max_allowed_validators`),
    tempo: u16(get("tempo"), `${P}.tempo`),
    stakeThreshold: dec(get("stake_threshold"), `${P}.stake_threshold`),
    ownerUid: owner === null ? null : uid(owner, `${P}.owner_uid`, n),
  };
}

function step(v: unknown, path: string, n: number): Step {
  if (!isObj(v)) throw new ScenarioError(path, `expected an object, got ${describe(v)}`);
  const op = field(v, "op", path);
  const get = (k: string): unknown => field(v, k, path);
  switch (op) {
    case "set_weights": {
      const u = uid(get("uid"), `${path}.uid`, n);
      const uids = arr(get("uids"), `${path}.uids`);
      const values = arr(get("values"), `${path}.values`);
      if (values.length !== uids.length) {
        throw new ScenarioError(
          `${path}.values`,
          `expected ${uids.length} entries (as many as uids), got ${values.length}`,
        );
      }
      const seen = new Set<number>();
      const us = uids.map((x, k) => {
        const j = uid(x, `${path}.uids[${k}]`, n);
        if (seen.has(j)) throw new ScenarioError(`${path}.uids[${k}]`, `duplicate uid ${j}`);
        seen.add(j);
        return j;
      });
      const vs = values.map((x, k) => u16(x, `${path}.values[${k}]`));
      return { op, uid: u, uids: us, values: vs, block: block(get("block"), `${path}.block`) };
    }
    case "set_stake":
      return { op, uid: uid(get("uid"), `${path}.uid`, n), stake: dec(get("stake"), `${path}.stake`) };
    case "replace_neuron":
      return {
        op,
        uid: uid(get("uid"), `${path}.uid`, n),
        block: block(get("block"), `${path}.block`),
        stake: dec(get("stake"), `${path}.stake`),
      };
    case "reset_bonds":
      return { op, uid: uid(get("uid"), `${path}.uid`, n) };
    case "epoch":
      return { op, block: block(get("block"), `${path}.block`), emission: dec(get("emission"), `${path}.emission`) };
    default:
      throw new ScenarioError(`${path}.op`, `unknown operation ${describe(op)}`);
  }
}

/** Throwing variant of `validateScenario`. */
export function parseScenario(json: unknown): Scenario {
  if (!isObj(json)) throw new ScenarioError("(root)", `expected an object, got ${describe(json)}`);
  const name = str(field(json, "name", ""), "name");
  const source = str(field(json, "source", ""), "source");
  const n = int(field(json, "n", ""), "n", 1, MAX_N);
  const p = params(field(json, "params", ""), n);
  const stake = arr(field(json, "stake", ""), "stake", n).map((x, i) => dec(x, `stake[${i}]`));
  const registrationBlock = arr(field(json, "registration_block", ""), "registration_block", n).map((x, i) =>
    block(x, `registration_block[${i}]`),
  );
  const lastUpdate = arr(field(json, "last_update", ""), "last_update", n).map((x, i) => block(x, `last_update[${i}]`));
  const validatorPermit = arr(field(json, "validator_permit", ""), "validator_permit", n).map((x, i) =>
    bool(x, `validator_permit[${i}]`),
  );
  const initialBonds = Object.hasOwn(json, "initial_bonds")
    ? arr(json.initial_bonds, "initial_bonds", n).map((r, i) => sparseRow(r, `initial_bonds[${i}]`, n))
    : Array.from({ length: n }, () => emptyRow());
  const steps = arr(field(json, "steps", ""), "steps").map((s, k) => step(s, `steps[${k}]`, n));
  // Blocks must not go backwards from one step to the next (the engine compares blocks of
  // different steps, e.g. last_update against the epoch block, and assumes time moves forward).
  let prev = -1;
  let prevK = -1;
  steps.forEach((s, k) => {
    if (!("block" in s)) return;
    if (s.block < prev) {
      throw new ScenarioError(
        `steps[${k}].block`,
        `${s.block} is before the block ${prev} of steps[${prevK}] (blocks must be non-decreasing)`,
      );
    }
    prev = s.block;
    prevK = k;
  });
  let expected: unknown[] | undefined;
  if (Object.hasOwn(json, "expected")) expected = arr(json.expected, "expected");
  return {
    name,
    source,
    params: p,
    n,
    stake,
    registrationBlock,
    lastUpdate,
    validatorPermit,
    initialBonds,
    steps,
    ...(expected ? { expected } : {}),
  };
}

/** Pure validation: unknown JSON → typed scenario, or an error naming the field and index. */
export function validateScenario(json: unknown): ValidationResult {
  try {
    return { ok: true, scenario: parseScenario(json) };
  } catch (e) {
    if (e instanceof ScenarioError) return { ok: false, error: e };
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Operations and runner
// ---------------------------------------------------------------------------------------------

export function emptyRow(): SparseRow {
  return { cols: new Uint16Array(0), vals: new Uint16Array(0) };
}

/**
 * subtensor's `vec_u16_max_upscale_to_u16` (I32F32 arithmetic, `round()` half away from zero),
 * with m = max(values): for m > 32768 each value is multiplied by floor(65535 / m) in I32F32;
 * otherwise it is multiplied by 65535 first and then divided by m. Not on the epoch's hot path,
 * so plain BigInt.
 */
export function maxUpscaleU16(values: readonly number[]): number[] {
  let m = 0;
  for (const v of values) if (v > m) m = v;
  if (m === 0) return values.map(() => 0);
  const M = BigInt(m);
  const HALF = 1n << 31n;
  if (m > 32768) {
    const r = (65535n << 32n) / M;
    return values.map((v) => {
      const up = (BigInt(v) * r + HALF) >> 32n;
      return up > 65535n ? 65535 : Number(up);
    });
  }
  return values.map((v) => Number((((BigInt(v) * 65535n) << 32n) / M + HALF) >> 32n));
}

/** Mutable per-uid state of a scenario. */
export interface SubnetState {
  stake: bigint[];
  registrationBlock: number[];
  lastUpdate: number[];
  validatorPermit: boolean[];
  weights: SparseRow[];
  bonds: SparseRow[];
}

export function initialState(s: Scenario): SubnetState {
  return {
    stake: s.stake.slice(),
    registrationBlock: s.registrationBlock.slice(),
    lastUpdate: s.lastUpdate.slice(),
    validatorPermit: s.validatorPermit.slice(),
    weights: Array.from({ length: s.n }, () => emptyRow()),
    bonds: s.initialBonds.map((r) => ({ cols: r.cols.slice(), vals: r.vals.slice() })),
  };
}

/** Applies a non-epoch operation to the state in place. */
export function applyStep(st: SubnetState, s: Exclude<Step, { op: "epoch" }>): void {
  switch (s.op) {
    case "set_weights":
      st.weights[s.uid] = { cols: Uint16Array.from(s.uids), vals: Uint16Array.from(maxUpscaleU16(s.values)) };
      st.lastUpdate[s.uid] = s.block;
      return;
    case "set_stake":
      st.stake[s.uid] = s.stake;
      return;
    case "replace_neuron": {
      const i = s.uid;
      st.registrationBlock[i] = s.block;
      st.lastUpdate[i] = s.block;
      st.stake[i] = s.stake;
      st.validatorPermit[i] = false;
      st.weights[i] = emptyRow();
      st.bonds[i] = emptyRow();
      // clear_neuron: every other weight entry pointing at i becomes an explicit zero.
      for (const row of st.weights) {
        const k = row.cols.indexOf(i);
        if (k >= 0) row.vals[k] = 0;
      }
      return;
    }
    case "reset_bonds":
      st.bonds = st.bonds.map((row) => {
        if (row.cols.indexOf(s.uid) < 0) return row;
        const keep = Array.from(row.cols.keys()).filter((k) => row.cols[k] !== s.uid);
        return { cols: Uint16Array.from(keep, (k) => row.cols[k]!), vals: Uint16Array.from(keep, (k) => row.vals[k]!) };
      });
      return;
  }
}

export type EpochFn = (state: EpochState, inputs: EpochInputs, params: EpochParams) => EpochResult;

/** Formats one epoch result as an `expected` entry (bond rows ascending, zeros omitted). */
export function toExpected(blockNumber: number, r: EpochResult): ExpectedEpoch {
  const o = r.outputs;
  return {
    block: blockNumber,
    active: o.active.slice(),
    validator_permit: o.validatorPermit.slice(),
    consensus: Array.from(o.consensus),
    incentive: Array.from(o.incentive),
    dividends: Array.from(o.dividends),
    validator_trust: Array.from(o.validatorTrust),
    bonds: o.bonds.map((row) => {
      const out: [number, number][] = [];
      for (let k = 0; k < row.cols.length; k++) if (row.vals[k] !== 0) out.push([row.cols[k]!, row.vals[k]!]);
      return out.sort((a, b) => a[0] - b[0]);
    }),
    server_emission: Array.from(o.serverEmission, (x) => x.toString()),
    validator_emission: Array.from(o.validatorEmission, (x) => x.toString()),
  };
}

/** Runs every step of a scenario with the given epoch function; returns the `expected` array. */
export function runScenarioWith(s: Scenario, epoch: EpochFn): ExpectedEpoch[] {
  const st = initialState(s);
  const out: ExpectedEpoch[] = [];
  for (const step of s.steps) {
    if (step.op !== "epoch") {
      applyStep(st, step);
      continue;
    }
    const r = epoch(
      { validatorPermit: st.validatorPermit, bonds: st.bonds },
      {
        block: step.block,
        emission: step.emission,
        stake: st.stake,
        registrationBlock: st.registrationBlock,
        lastUpdate: st.lastUpdate,
        weights: st.weights,
      },
      s.params,
    );
    st.validatorPermit = r.nextState.validatorPermit.slice();
    st.bonds = r.nextState.bonds.slice();
    out.push(toExpected(step.block, r));
  }
  return out;
}

/** Serialises an expected array: valid JSON, one epoch per line. */
export function formatExpected(epochs: readonly ExpectedEpoch[]): string {
  if (epochs.length === 0) return "[]";
  return "[\n" + epochs.map((e) => JSON.stringify(e)).join(",\n") + "\n]";
}

/** First difference between an actual and an expected array, compared as data. */
export interface Mismatch {
  readonly epoch: number;
  readonly field: string;
  readonly uid?: number;
  readonly actual: unknown;
  readonly expected: unknown;
}

const FIELDS = [
  "block",
  "active",
  "validator_permit",
  "consensus",
  "incentive",
  "dividends",
  "validator_trust",
  "bonds",
  "server_emission",
  "validator_emission",
] as const;

function bondSet(row: unknown): Map<number, number> | null {
  if (!Array.isArray(row)) return null;
  const m = new Map<number, number>();
  for (const e of row) {
    if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== "number" || typeof e[1] !== "number") return null;
    if (m.has(e[0])) return null; // duplicate columns are an error
    if (e[1] !== 0) m.set(e[0], e[1]);
  }
  return m;
}

/** Compares as the format prescribes: exact per field; bonds as sets of non-zero pairs. */
export function compareExpected(actual: readonly ExpectedEpoch[], expected: readonly unknown[]): Mismatch | null {
  if (actual.length !== expected.length) {
    return {
      epoch: Math.min(actual.length, expected.length),
      field: "(number of epochs)",
      actual: actual.length,
      expected: expected.length,
    };
  }
  for (let e = 0; e < actual.length; e++) {
    const a = actual[e]!;
    const x = expected[e];
    if (!isObj(x)) return { epoch: e, field: "(entry)", actual: "object", expected: x };
    for (const f of FIELDS) {
      const av: unknown = a[f];
      const xv = x[f];
      if (f === "block") {
        if (av !== xv) return { epoch: e, field: f, actual: av, expected: xv };
        continue;
      }
      const aa = av as unknown[];
      if (!Array.isArray(xv) || xv.length !== aa.length) {
        return {
          epoch: e,
          field: f,
          actual: `length ${aa.length}`,
          expected: Array.isArray(xv) ? `length ${xv.length}` : xv,
        };
      }
      for (let u = 0; u < aa.length; u++) {
        if (f === "bonds") {
          const am = bondSet(aa[u]);
          const xm = bondSet(xv[u]);
          const same = am !== null && xm !== null && am.size === xm.size && [...am].every(([c, v]) => xm.get(c) === v);
          if (!same) return { epoch: e, field: f, uid: u, actual: aa[u], expected: xv[u] };
        } else if (aa[u] !== xv[u]) {
          return { epoch: e, field: f, uid: u, actual: aa[u], expected: xv[u] };
        }
      }
    }
  }
  return null;
}
