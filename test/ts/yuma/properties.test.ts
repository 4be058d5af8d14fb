import { expect } from "chai";

import {
  compareExpected,
  runEpoch,
  runScenario,
  type ExpectedEpoch,
  type Scenario,
  type Step,
} from "../../../keeper/yuma/index.ts";
import { randomScenario, Rng } from "../../../keeper/yuma/gen.ts";
import { referenceEpoch } from "../../../keeper/yuma/reference.ts";
import { applyStep, initialState, runScenarioWith } from "../../../keeper/yuma/scenario.ts";
import type { SparseRow } from "../../../keeper/yuma/types.ts";

const TWO32 = 1n << 32n;

describe("yuma: differential — fast engine equals the BigInt reference", function () {
  this.timeout(60_000);

  it("on 160 small random scenarios (every operation, both bond modes, edge parameters)", () => {
    for (let seed = 1; seed <= 160; seed++) {
      const s = randomScenario(seed);
      const fast = runScenario(s);
      const ref = runScenarioWith(s, referenceEpoch);
      const m = compareExpected(fast, ref);
      expect(m, `seed ${seed}: ${JSON.stringify(m)}`).to.equal(null);
      expect(fast, `seed ${seed}`).to.deep.equal(ref);
    }
  });

  it("on larger subnets (n = 64…256) with classic, Yuma 3 and liquid alpha", () => {
    const cases: [number, boolean, boolean][] = [
      [64, false, false],
      [64, true, true],
      [128, true, false],
      [256, false, false],
      [256, true, true],
    ];
    cases.forEach(([n, yuma3, liquidAlpha], k) => {
      const s = randomScenario(9000 + k, { n, yuma3, liquidAlpha, epochs: 2 });
      const m = compareExpected(runScenario(s), runScenarioWith(s, referenceEpoch));
      expect(m, `n=${n} yuma3=${yuma3} liquid=${liquidAlpha}: ${JSON.stringify(m)}`).to.equal(null);
    });
  });

  it("reused scratch does not leak between epochs (large, small, large again, interleaved modes)", () => {
    const big = randomScenario(9100, { n: 256, yuma3: false, liquidAlpha: false, epochs: 2 });
    const small = randomScenario(9101, { n: 16, yuma3: true, liquidAlpha: true, epochs: 2 });
    const first = runScenario(big);
    const smallOut = runScenario(small);
    expect(compareExpected(smallOut, runScenarioWith(small, referenceEpoch))).to.equal(null);
    expect(runScenario(big)).to.deep.equal(first);
    expect(compareExpected(first, runScenarioWith(big, referenceEpoch))).to.equal(null);
  });
});

describe("yuma: properties on random inputs", function () {
  this.timeout(60_000);

  it("emission is conserved: Σ amounts ≤ E and E − Σ < 2n·(E/2^32 + 1), unless no uid has stake", () => {
    // Shares are floor(x_i·2^32/Σx) (or the normalised stake in the fallback), so the server and
    // validator shares together sum to at most 2^32 and lose < 1 raw unit each (< 2n in all);
    // each amount floor(share·E/2^32) then loses < 1 rao. Hence
    // E − 2n·E/2^32 − 2n < Σ amounts ≤ E. The one exception is the fallback with no
    // threshold-passing stake at all: every share is 0 and nothing is paid (as on chain).
    let maxDeficitPerUid = 0;
    let cases = 0;
    for (let seed = 1000; seed < 1100; seed++) {
      const s = randomScenario(seed);
      const st = initialState(s);
      for (const step of s.steps) {
        if (step.op !== "epoch") {
          applyStep(st, step);
          continue;
        }
        const r = runEpoch(
          { validatorPermit: st.validatorPermit, bonds: st.bonds },
          { ...st, block: step.block, emission: step.emission },
          s.params,
        );
        st.validatorPermit = r.nextState.validatorPermit.slice();
        st.bonds = r.nextState.bonds.slice();
        const E = step.emission;
        const total = [...r.outputs.serverEmission, ...r.outputs.validatorEmission].reduce((a, x) => a + x, 0n);
        const staked = st.stake.some((x, i) => x > 0n && (x >= s.params.stakeThreshold || i === s.params.ownerUid));
        if (!staked) {
          expect(total, `seed ${seed}: nothing staked, nothing paid`).to.equal(0n);
          continue;
        }
        const n = BigInt(s.n);
        expect(total <= E, `seed ${seed}: ${total} > ${E}`).to.equal(true);
        expect((E - total) * TWO32 < 2n * n * (E + TWO32), `seed ${seed}: deficit ${E - total}`).to.equal(true);
        if (E > 0n && E <= TWO32) maxDeficitPerUid = Math.max(maxDeficitPerUid, Number(E - total) / s.n);
        cases++;
      }
    }
    expect(cases).to.be.greaterThan(200);
    expect(maxDeficitPerUid).to.be.lessThan(4);
  });

  it("u16 outputs are in range, incentive and dividends sum to at most 65535, bonds are well formed", () => {
    for (let seed = 2000; seed < 2080; seed++) {
      const s = randomScenario(seed);
      for (const ep of runScenario(s)) {
        for (const f of ["consensus", "incentive", "dividends", "validator_trust"] as const) {
          expect(ep[f]).to.have.length(s.n);
          for (const v of ep[f]) expect(Number.isInteger(v) && v >= 0 && v <= 65535, `${f} ${v}`).to.equal(true);
        }
        // ΣI ≤ 2^32 and Σ⌊I_i·65535/2^32⌋ ≤ ⌊ΣI·65535/2^32⌋ ≤ 65535 (same for dividends).
        expect(ep.incentive.reduce((a, b) => a + b, 0)).to.be.at.most(65535);
        expect(ep.dividends.reduce((a, b) => a + b, 0)).to.be.at.most(65535);
        ep.bonds.forEach((row, i) => {
          if (!ep.validator_permit[i]) expect(row, `uid ${i} has no permit`).to.deep.equal([]);
          const cols = row.map(([c]) => c);
          expect(new Set(cols).size).to.equal(cols.length);
          for (const [c, v] of row) {
            expect(c >= 0 && c < s.n && v >= 1 && v <= 65535, `bond [${c}, ${v}]`).to.equal(true);
          }
        });
      }
    }
  });

  it("permuting uids permutes every output (no ties at the validator cut-off)", () => {
    // Everything in the epoch treats uids symmetrically except the stable top-k sort, where equal
    // stakes straddling the cut-off are broken by uid. Stakes are therefore drawn from a pool of
    // distinct values whose normalised shares differ (gaps ≥ 10^7 on sums < 2^42 ⇒ share gaps
    // ≥ 9765 raw units), or zero (zeros never get a permit, so their ties do not matter).
    for (let seed = 3000; seed < 3060; seed++) {
      const base = randomScenario(seed);
      const r = new Rng(seed);
      let next = 0;
      const pool = r.shuffle(Array.from({ length: 4096 }, (_, k) => 1_000_000_000n + 10_000_000n * BigInt(k)));
      const fresh = (): bigint => (r.chance(1, 5) ? 0n : pool[next++]!);
      const s: Scenario = {
        ...base,
        stake: base.stake.map(fresh),
        steps: base.steps.map((st) => ("stake" in st ? { ...st, stake: fresh() } : st)),
      };
      const n = s.n;
      const perm = r.shuffle(Array.from({ length: n }, (_, i) => i));
      const P = (i: number): number => perm[i]!;
      const permuteVec = <T>(v: readonly T[]): T[] => {
        const out = new Array<T>(n);
        v.forEach((x, i) => (out[P(i)] = x));
        return out;
      };
      const permuteRow = (row: SparseRow): SparseRow => ({
        cols: Uint16Array.from(row.cols, P),
        vals: row.vals.slice(),
      });
      const permuted: Scenario = {
        ...s,
        params: { ...s.params, ownerUid: s.params.ownerUid === null ? null : P(s.params.ownerUid) },
        stake: permuteVec(s.stake),
        registrationBlock: permuteVec(s.registrationBlock),
        lastUpdate: permuteVec(s.lastUpdate),
        validatorPermit: permuteVec(s.validatorPermit),
        initialBonds: permuteVec(s.initialBonds.map(permuteRow)),
        steps: s.steps.map((st): Step => {
          switch (st.op) {
            case "set_weights":
              return { ...st, uid: P(st.uid), uids: st.uids.map(P) };
            case "set_stake":
            case "replace_neuron":
            case "reset_bonds":
              return { ...st, uid: P(st.uid) };
            case "epoch":
              return st;
          }
        }),
      };
      const a = runScenario(s);
      const b = runScenario(permuted);
      const expectedB: ExpectedEpoch[] = a.map((ep) => ({
        block: ep.block,
        active: permuteVec(ep.active),
        validator_permit: permuteVec(ep.validator_permit),
        consensus: permuteVec(ep.consensus),
        incentive: permuteVec(ep.incentive),
        dividends: permuteVec(ep.dividends),
        validator_trust: permuteVec(ep.validator_trust),
        bonds: permuteVec(ep.bonds.map((row) => row.map(([c, v]): [number, number] => [P(c), v]))),
        server_emission: permuteVec(ep.server_emission),
        validator_emission: permuteVec(ep.validator_emission),
      }));
      const m = compareExpected(b, expectedB);
      expect(m, `seed ${seed}: ${JSON.stringify(m)}`).to.equal(null);
    }
  });

  it("consensus and validator trust are non-increasing in kappa", () => {
    // C_j is the smallest score v_k whose cumulative stake c_k (stake with score ≤ v_k) exceeds
    // minority = Σs' − κ, or the largest score if none does. Raising κ lowers minority, which only
    // adds indices to {k : c_k > minority}, so the smallest selected score cannot grow.
    // Validator trust Σ_j min(W_ij, C_j) (an entry clipped to nothing contributes 0 = min(W_ij, 0))
    // is non-decreasing in every C_j, and u16_out is monotone. Neither depends on bonds, and new
    // permits depend on stake only, so this holds at every epoch of a scenario, not just the first.
    const kappas = [0, 1, 16384, 32767, 32768, 49151, 65534, 65535];
    for (let seed = 4000; seed < 4040; seed++) {
      const base = randomScenario(seed);
      const runs = kappas.map((kappa) => runScenario({ ...base, params: { ...base.params, kappa } }));
      for (let k = 1; k < runs.length; k++) {
        runs[k]!.forEach((ep, e) => {
          const prev = runs[k - 1]![e]!;
          for (let j = 0; j < base.n; j++) {
            expect(ep.consensus[j]!, `seed ${seed} κ=${kappas[k]} epoch ${e} uid ${j}`).to.be.at.most(
              prev.consensus[j]!,
            );
            expect(ep.validator_trust[j]!, `seed ${seed} κ=${kappas[k]} epoch ${e} uid ${j}`).to.be.at.most(
              prev.validator_trust[j]!,
            );
          }
        });
      }
    }
  });
});
