import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { keccak256, toHex, type Hex } from "viem";

import {
  applyMetagraphEvents,
  buildReport,
  carryState,
  claimsOf,
  distribute,
  dividendsOf,
  firstEpochState,
  inBatches,
  LEAF_TYPES,
  leafProof,
  leafTuple,
  payoutList,
  permitWords,
  reportDigest,
  resultsTree,
  snapshotWeights,
  stakeWeightDown,
  stateHash,
  weightsCommitment,
  WeightsMismatchError,
  ZERO_HASH,
  type Snapshot,
  type SnapshotNeuron,
  type WeightRows,
} from "../../../keeper/core/index.ts";
import type { EpochOutputs } from "../../../keeper/yuma/index.ts";
import { prng } from "../../../scripts/lib/keeper-world.ts";

const key = (tag: string): Hex => keccak256(toHex(tag));
const OWNER_COLDKEY = key("owner coldkey");

function neuron(
  uid: number,
  tag: string,
  coldkey: Hex,
  alpha: bigint,
  root: bigint,
  extra: Partial<SnapshotNeuron> = {},
) {
  return {
    uid,
    hotkey: key(tag),
    coldkey,
    registeredAt: 1,
    lastUpdate: 1,
    validatorPermit: false,
    alphaStakeRao: alpha,
    rootStakeRao: root,
    ...extra,
  } satisfies SnapshotNeuron;
}

const HP = {
  tempo: 10,
  maxValidators: 64,
  kappaOf65535: 32_767,
  bondsMovingAveragePpm: 900_000,
  bondsPenaltyOf65535: 65_535,
  yuma3: true,
  liquidAlpha: false,
  alphaLowOf65535: 45_875,
  alphaHighOf65535: 58_982,
  alphaSigmoidSteepness: 1_000,
  activityCutoff: 500,
};

function snapshotOf(neurons: SnapshotNeuron[], overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    chainId: 31337n,
    settlement: "0x0000000000000000000000000000000000001234",
    netuid: 1,
    generation: 1,
    epoch: 1,
    snapshotBlock: 100,
    pot: { ownerCutAlphaRao: 400n, serverAlphaRao: 1000n, validatorAlphaRao: 700n, rootAlphaRao: 300n },
    maxValidatorsAtClose: HP.maxValidators,
    hyperparameters: HP,
    ownerHotkey: key("owner hotkey"),
    ownerColdkey: OWNER_COLDKEY,
    taoWeightWad: 5n * 10n ** 17n,
    neurons,
    weights: neurons.map(() => null),
    weightsCommitments: neurons.map(() => ZERO_HASH),
    ...overrides,
  };
}

function outputsOf(server: bigint[], validator: bigint[]): EpochOutputs {
  const n = server.length;
  return {
    active: new Array<boolean>(n).fill(true),
    validatorPermit: new Array<boolean>(n).fill(false),
    consensus: new Uint16Array(n),
    incentive: new Uint16Array(n),
    dividends: new Uint16Array(n),
    validatorTrust: new Uint16Array(n),
    stakeWeight: new Uint16Array(n),
    bonds: [],
    serverEmission: BigUint64Array.from(server),
    validatorEmission: BigUint64Array.from(validator),
  };
}

/** The four-uid example worked out by hand in the test below. */
function handExample(validatorAlpha = 700n) {
  const neurons = [
    neuron(0, "owner hotkey", OWNER_COLDKEY, 0n, 0n),
    neuron(1, "validator", key("validator coldkey"), 300n, 200n), // T = ⌊200 × 0.5⌋ = 100
    neuron(2, "miner", key("miner coldkey"), 0n, 0n),
    neuron(3, "owner's second hotkey", OWNER_COLDKEY, 100n, 0n),
  ];
  const snapshot = snapshotOf(neurons, {
    pot: { ownerCutAlphaRao: 400n, serverAlphaRao: 1000n, validatorAlphaRao: validatorAlpha, rootAlphaRao: 300n },
  });
  return { snapshot, outputs: outputsOf([0n, 0n, 900n, 100n], [0n, 800n, 0n, 200n]) };
}

describe("keeper core", () => {
  describe("payout (hand-checked)", () => {
    it("burns the owner's hotkeys' incentive and splits dividends by each validator's stake mix", () => {
      const { snapshot, outputs } = handExample();
      const p = distribute(snapshot, outputs);
      // Σ incentive = 1000, of which uid 3 (owned by the owner's coldkey) is burned: ⌊100 × 65535 / 1000⌋.
      expect(p.burnedIncentiveAlphaRao).to.equal(100n);
      expect(p.incentiveAlphaRao).to.equal(900n);
      expect(p.minerBurnOf65535).to.equal(6553);
      // uid 1: d = 800, T = 100, rootdiv = ⌊800 × 100 / 400⌋ = 200, alphadiv = 600; uid 3: d = 200, all alpha.
      // root: ⌊300 × 200 / 200⌋ = 300; alpha: ⌊700 × 600 / 800⌋ = 525 and ⌊700 × 200 / 800⌋ = 175.
      expect(p.leaves.map(leafTuple)).to.deep.equal([
        [0, key("owner hotkey"), 0n, 0n, 0n],
        [1, key("validator"), 0n, 525n, 300n],
        [2, key("miner"), 900n, 0n, 0n],
        [3, key("owner's second hotkey"), 0n, 175n, 0n],
      ]);
      expect(p.validators).to.deep.equal([
        { hotkey: key("validator"), uid: 1, alphaDividendAlphaRao: 525n, rootDividendAlphaRao: 300n },
        { hotkey: key("owner's second hotkey"), uid: 3, alphaDividendAlphaRao: 175n, rootDividendAlphaRao: 0n },
      ]);
      expect(p.alphaDividendsAlphaRao).to.equal(700n);
      expect(p.rootDividendsAlphaRao).to.equal(300n);
    });

    it("rounds every share down, leaving dust in the pot", () => {
      const { snapshot, outputs } = handExample(701n);
      const p = distribute(snapshot, outputs);
      // ⌊701 × 600 / 800⌋ = 525 (525.75) and ⌊701 × 200 / 800⌋ = 175 (175.25): 1 alpha-rao stays.
      expect(p.leaves[1]!.alphaDividendAlphaRao).to.equal(525n);
      expect(p.leaves[3]!.alphaDividendAlphaRao).to.equal(175n);
      expect(p.alphaDividendsAlphaRao).to.equal(700n);
    });

    it("gives validators the miners' bucket too when no incentive is paid", () => {
      const { snapshot } = handExample();
      const p = distribute(snapshot, outputsOf([0n, 0n, 0n, 0n], [0n, 800n, 0n, 200n]));
      expect(p.minerBurnOf65535).to.equal(0);
      // validatorAlpha = 700 + 1000: ⌊1700 × 600 / 800⌋ = 1275, ⌊1700 × 200 / 800⌋ = 425.
      expect(p.leaves[1]!.alphaDividendAlphaRao).to.equal(1275n);
      expect(p.leaves[3]!.alphaDividendAlphaRao).to.equal(425n);
    });

    it("pays nothing from a bucket whose shares sum to zero", () => {
      const { snapshot } = handExample();
      // Only uid 3 (no root stake) has dividends: the root bucket is not distributed.
      const p = distribute(snapshot, outputsOf([0n, 0n, 900n, 0n], [0n, 0n, 0n, 200n]));
      expect(p.rootDividendsAlphaRao).to.equal(0n);
      expect(p.alphaDividendsAlphaRao).to.equal(700n);
    });

    it("regression: takes a rounding excess of incentive over the miners' bucket from the dividends", () => {
      // 2 of 1500 random subnets gave Σ incentive = pot.server + 143 (and + 15): the report was above the pot and
      // `submitReport` reverted with TotalsAbovePot, so the epoch could never settle.
      const { snapshot } = handExample();
      const p = distribute(snapshot, outputsOf([0n, 0n, 1000n, 7n], [0n, 800n, 0n, 200n]));
      expect(p.incentiveAlphaRao + p.burnedIncentiveAlphaRao).to.equal(1007n);
      // validatorAlpha = 700 − 7 = 693: ⌊693 × 600 / 800⌋ = 519, ⌊693 × 200 / 800⌋ = 173; root unchanged.
      expect(p.alphaDividendsAlphaRao).to.equal(692n);
      expect(p.rootDividendsAlphaRao).to.equal(300n);
      const total = 1007n + p.alphaDividendsAlphaRao + p.rootDividendsAlphaRao;
      expect(total <= 1000n + 700n + 300n).to.equal(true);
      // An excess beyond the validators' bucket comes out of the root bucket.
      const big = distribute(
        snapshotOf(snapshot.neurons.slice(), {
          pot: { ownerCutAlphaRao: 0n, serverAlphaRao: 1000n, validatorAlphaRao: 5n, rootAlphaRao: 300n },
        }),
        outputsOf([0n, 0n, 1000n, 8n], [0n, 800n, 0n, 200n]),
      );
      expect(big.alphaDividendsAlphaRao).to.equal(0n);
      expect(big.rootDividendsAlphaRao).to.equal(297n);
    });

    it("lists the dividends finalisation pays within the bound: the owner's uid, then the largest", () => {
      const leaf = (uid: number, alpha: bigint, root: bigint) => ({
        uid,
        hotkey: key(`h${uid}`),
        incentiveAlphaRao: 0n,
        alphaDividendAlphaRao: alpha,
        rootDividendAlphaRao: root,
      });
      // Six uids with dividends (uid 4 has none); the owner's uid 5 has the smallest.
      const leaves = [leaf(0, 50n, 0n), leaf(1, 30n, 40n), leaf(2, 70n, 0n), leaf(3, 69n, 1n), leaf(4, 0n, 0n)];
      leaves.push(leaf(5, 1n, 0n), leaf(6, 0n, 9n));
      const uids = (maxValidators: number, owner: number | null = 5) =>
        payoutList(leaves, owner, maxValidators).map((v) => v.uid);
      // Within the bound (max validators + 1), every uid with a dividend, in uid order.
      expect(uids(5)).to.deep.equal([0, 1, 2, 3, 5, 6]);
      expect(uids(64)).to.deep.equal([0, 1, 2, 3, 5, 6]);
      // Beyond it: the owner's uid, then 70 (uids 1, 2 and 3 tie: the lower uids first).
      expect(uids(2)).to.deep.equal([1, 2, 5]);
      expect(uids(3)).to.deep.equal([1, 2, 3, 5]);
      expect(uids(0)).to.deep.equal([5]);
      // Without an owner's uid among them, the bound's extra place goes to the next largest.
      expect(uids(2, null)).to.deep.equal([1, 2, 3]);
      expect(uids(2, 4)).to.deep.equal([1, 2, 3]);
      // The amounts are the leaves'.
      expect(payoutList(leaves, 5, 1)).to.deep.equal([
        { hotkey: key("h1"), uid: 1, alphaDividendAlphaRao: 30n, rootDividendAlphaRao: 40n },
        { hotkey: key("h5"), uid: 5, alphaDividendAlphaRao: 1n, rootDividendAlphaRao: 0n },
      ]);
    });

    it("takes the bound from the epoch record, not from the hyperparameters", () => {
      const { snapshot, outputs } = handExample();
      const bounded = { ...snapshot, maxValidatorsAtClose: 0 };
      // Two uids with dividends (1 and 3), a bound of 0 + 1: the larger, uid 1 (the owner's uid 0 has none).
      expect(distribute(bounded, outputs).validators.map((v) => v.uid)).to.deep.equal([1]);
      // The totals still count every uid's dividends: uid 3 claims its own with its leaf.
      expect(distribute(bounded, outputs).alphaDividendsAlphaRao).to.equal(700n);
      expect(distribute({ ...snapshot, maxValidatorsAtClose: 1 }, outputs).validators).to.have.length(2);
    });

    it("weights root stake by TAO weight, rounding down", () => {
      expect(stakeWeightDown(neuron(0, "a", OWNER_COLDKEY, 7n, 3n), 5n * 10n ** 17n)).to.equal(8n);
    });

    it("encodes permits as 256-bit words", () => {
      const permits = new Array<boolean>(300).fill(false);
      permits[0] = permits[255] = permits[256] = permits[299] = true;
      expect(permitWords(permits)).to.deep.equal([1n | (1n << 255n), 1n | (1n << 43n)]);
      expect(permitWords([true])).to.deep.equal([1n]);
    });
  });

  describe("weights from logs", () => {
    const h1 = key("h1");
    const h2 = key("h2");
    const neurons = [neuron(0, "h0", OWNER_COLDKEY, 0n, 0n), { ...neuron(1, "h1", OWNER_COLDKEY, 0n, 0n), hotkey: h1 }];

    it("keeps each uid's latest row and checks it against the commitment", () => {
      const rows: WeightRows = new Map();
      applyMetagraphEvents(rows, [
        { kind: "reset", generation: 1 },
        { kind: "weights", uid: 1, hotkey: h1, uids: [0], values: [5] },
        { kind: "weights", uid: 1, hotkey: h1, uids: [0, 1], values: [7, 9] },
      ]);
      const commitments = [ZERO_HASH, weightsCommitment({ uids: [0, 1], values: [7, 9] })];
      expect(snapshotWeights(rows, neurons, commitments)).to.deep.equal([null, { uids: [0, 1], values: [7, 9] }]);
    });

    it("drops the row of a replaced neuron and of a hotkey that no longer holds the uid", () => {
      const rows: WeightRows = new Map();
      applyMetagraphEvents(rows, [
        { kind: "weights", uid: 1, hotkey: h2, uids: [0], values: [5] },
        { kind: "registered", uid: 1, hotkey: h1 },
      ]);
      expect(snapshotWeights(rows, neurons, [ZERO_HASH, ZERO_HASH])).to.deep.equal([null, null]);
      applyMetagraphEvents(rows, [{ kind: "weights", uid: 1, hotkey: h2, uids: [0], values: [5] }]);
      expect(snapshotWeights(rows, neurons, [ZERO_HASH, ZERO_HASH])).to.deep.equal([null, null]);
    });

    it("refuses rows that do not hash to the commitment", () => {
      const rows: WeightRows = new Map();
      applyMetagraphEvents(rows, [{ kind: "weights", uid: 1, hotkey: h1, uids: [0], values: [5] }]);
      const wrong = [ZERO_HASH, weightsCommitment({ uids: [0], values: [6] })];
      expect(() => snapshotWeights(rows, neurons, wrong)).to.throw(WeightsMismatchError, /uid 1/);
      expect(() => snapshotWeights(new Map(), neurons, wrong)).to.throw(WeightsMismatchError);
    });
  });

  describe("state between epochs", () => {
    it("resets uids registered after the previous snapshot and extends to appended uids", () => {
      const previous = {
        validatorPermit: [true, true, true],
        bonds: [0, 1, 2].map((i) => ({ cols: Uint16Array.of(1, 2), vals: Uint16Array.of(100 + i, 200 + i) })),
      };
      const neurons = [
        neuron(0, "a", OWNER_COLDKEY, 0n, 0n, { registeredAt: 5 }),
        neuron(1, "b", OWNER_COLDKEY, 0n, 0n, { registeredAt: 51 }), // replaced after the snapshot at 50
        neuron(2, "c", OWNER_COLDKEY, 0n, 0n, { registeredAt: 50 }), // registered in the snapshot block: kept
        neuron(3, "d", OWNER_COLDKEY, 0n, 0n, { registeredAt: 60 }), // appended
      ];
      const state = carryState(previous, 50, neurons);
      expect(state.validatorPermit).to.deep.equal([true, false, true, false]);
      expect(state.bonds.map((r) => Array.from(r.vals))).to.deep.equal([[100, 200], [], [102, 202], []]);
      expect(() => carryState(previous, 50, neurons.slice(0, 2))).to.throw(/fewer/);
    });

    it("hashes every bit of the state", () => {
      const a = {
        validatorPermit: [true, false],
        bonds: [
          { cols: Uint16Array.of(1), vals: Uint16Array.of(3) },
          { cols: new Uint16Array(0), vals: new Uint16Array(0) },
        ],
      };
      const b = { ...a, bonds: [{ cols: Uint16Array.of(1), vals: Uint16Array.of(4) }, a.bonds[1]!] };
      const c = { ...a, validatorPermit: [true, true] };
      expect(new Set([stateHash(a), stateHash(b), stateHash(c)]).size).to.equal(3);
      expect(stateHash(firstEpochState([neuron(0, "a", OWNER_COLDKEY, 0n, 0n, { validatorPermit: true })]))).to.equal(
        stateHash({ validatorPermit: [true], bonds: [{ cols: new Uint16Array(0), vals: new Uint16Array(0) }] }),
      );
    });
  });

  describe("reports on random subnets (invariants)", () => {
    function randomSnapshot(seed: number): Snapshot {
      const rand = prng(seed);
      // Some subnets with a bound below their validators (their dividends beyond it are claimed with leaves).
      const maxValidatorsAtClose = rand() < 0.3 ? Math.floor(rand() * 4) : HP.maxValidators;
      const big = (max: number) => BigInt(Math.floor(rand() * max));
      const n = 2 + Math.floor(rand() * 40);
      const neurons: SnapshotNeuron[] = [];
      for (let uid = 0; uid < n; uid++) {
        const owned = uid === 0 || rand() < 0.1;
        neurons.push(
          neuron(
            uid,
            uid === 0 ? "owner hotkey" : `h${seed}/${uid}`,
            owned ? OWNER_COLDKEY : key(`c${seed}/${uid}`),
            rand() < 0.3 ? 0n : big(1e13),
            rand() < 0.5 ? 0n : big(1e13),
            {
              registeredAt: Math.floor(rand() * 90),
              lastUpdate: 90 + Math.floor(rand() * 10),
              validatorPermit: uid === 0 || rand() < 0.5,
            },
          ),
        );
      }
      const weights = neurons.map((nn) => {
        if (!nn.validatorPermit || rand() < 0.2) return null;
        const uids = Array.from({ length: n }, (_, j) => j).filter(() => rand() < 0.7);
        return uids.length === 0 ? null : { uids, values: uids.map(() => Math.floor(rand() * 65_536)) };
      });
      // The pot as `closePending` splits it: server = ⌊rest / 2⌋, validator + root (+ recycled root) = the rest.
      const rest = big(2e12);
      const server = rest / 2n;
      const root = rand() < 0.3 ? 0n : big(Number(rest - server));
      const recycled = root === 0n && rand() < 0.5 ? (rest - server) / 3n : 0n;
      return snapshotOf(neurons, {
        maxValidatorsAtClose,
        hyperparameters: { ...HP, maxValidators: Math.max(1, maxValidatorsAtClose) },
        epoch: 1 + Math.floor(rand() * 5),
        taoWeightWad: big(1e18),
        pot: {
          ownerCutAlphaRao: big(1e11),
          serverAlphaRao: server,
          validatorAlphaRao: rest - server - root - recycled,
          rootAlphaRao: root,
        },
        weights,
        weightsCommitments: weights.map((w) => (w === null ? ZERO_HASH : weightsCommitment(w))),
      });
    }

    // How many random subnets had more dividend uids than their bound (the list then chooses).
    let beyondTheBound = 0;
    const seeds = Number(process.env.KEEPER_CORE_SEEDS ?? 40);
    after(() => {
      if (seeds >= 40) expect(beyondTheBound, "random subnets beyond the validator bound").to.be.greaterThan(3);
    });

    for (let seed = 1; seed <= seeds; seed++) {
      it(`seed ${seed}: totals within the pot, leaves sum to the totals, every leaf provable`, () => {
        const snapshot = randomSnapshot(seed);
        const built = buildReport(snapshot, firstEpochState(snapshot.neurons));
        const { report, leaves, validators } = built;
        const pot = snapshot.pot;
        // The contract's checks (_checkTotals).
        const incentive = report.incentiveAlphaRao + report.burnedIncentiveAlphaRao;
        const total = incentive + report.alphaDividendsAlphaRao + report.rootDividendsAlphaRao;
        const distributable = pot.serverAlphaRao + pot.validatorAlphaRao + pot.rootAlphaRao;
        expect(
          total <= distributable,
          `total ${total} (incentive ${incentive}) > ${distributable} (server ${pot.serverAlphaRao}); permits ${snapshot.neurons.filter((x) => x.validatorPermit).length}`,
        ).to.equal(true);
        expect(report.rootDividendsAlphaRao <= pot.rootAlphaRao).to.equal(true);
        const validatorPot = pot.validatorAlphaRao + (incentive === 0n ? pot.serverAlphaRao : 0n);
        expect(report.alphaDividendsAlphaRao <= validatorPot).to.equal(true);
        // Σ leaves = totals; the engine's incentive is either claimable or burned.
        const sum = (f: (l: (typeof leaves)[number]) => bigint) => leaves.reduce((s, l) => s + f(l), 0n);
        expect(sum((l) => l.incentiveAlphaRao)).to.equal(report.incentiveAlphaRao);
        expect(sum((l) => l.alphaDividendAlphaRao)).to.equal(report.alphaDividendsAlphaRao);
        expect(sum((l) => l.rootDividendAlphaRao)).to.equal(report.rootDividendsAlphaRao);
        expect(incentive).to.equal(built.outputs.serverEmission.reduce((s, x) => s + x, 0n));
        // One leaf per uid; every leaf proves against the root.
        expect(leaves.map((l) => l.uid)).to.deep.equal(snapshot.neurons.map((n) => n.uid));
        const tree = resultsTree(leaves);
        expect(tree.root).to.equal(report.resultsRoot);
        for (const leaf of leaves) {
          expect(
            StandardMerkleTree.verify(report.resultsRoot, [...LEAF_TYPES], leafTuple(leaf), leafProof(tree, leaf.uid)),
          ).to.equal(true);
        }
        // Validators: the uids with a dividend, ascending, as many as the bound allows (the owner's uid and the
        // largest dividends); each with its leaf's amounts.
        const withDividends = leaves.filter((l) => dividendsOf(l) > 0n);
        const bound = snapshot.maxValidatorsAtClose + 1;
        expect(validators.length).to.equal(Math.min(bound, withDividends.length));
        const uids = validators.map((v) => v.uid);
        expect(uids).to.deep.equal(uids.slice().sort((a, b) => a - b));
        for (const v of validators) {
          const l = leaves[v.uid]!;
          expect([v.hotkey, v.alphaDividendAlphaRao, v.rootDividendAlphaRao]).to.deep.equal([
            l.hotkey,
            l.alphaDividendAlphaRao,
            l.rootDividendAlphaRao,
          ]);
        }
        const left = withDividends.filter((l) => !uids.includes(l.uid));
        if (left.length > 0) {
          beyondTheBound++;
          if (dividendsOf(leaves[0]!) > 0n) expect(uids).to.include(0); // the owner's uid
          const smallestListed = validators
            .filter((v) => v.uid !== 0)
            .reduce(
              (m, v) =>
                v.alphaDividendAlphaRao + v.rootDividendAlphaRao < m
                  ? v.alphaDividendAlphaRao + v.rootDividendAlphaRao
                  : m,
              2n ** 64n,
            );
          for (const l of left) expect(dividendsOf(l) <= smallestListed).to.equal(true);
        }
        // Deterministic, and sensitive to its inputs.
        expect(reportDigest(buildReport(snapshot, firstEpochState(snapshot.neurons)).report)).to.equal(
          reportDigest(report),
        );
        const other = buildReport(
          { ...snapshot, snapshotBlock: snapshot.snapshotBlock + 1 },
          firstEpochState(snapshot.neurons),
        );
        expect(other.report.inputsHash).to.not.equal(report.inputsHash);
      });
    }
  });

  it("claims: every leaf with its own proof, in bounded consecutive batches", () => {
    const leaves = Array.from({ length: 5 }, (_, uid) => ({
      uid,
      hotkey: toHex(uid + 1, { size: 32 }),
      incentiveAlphaRao: BigInt(uid * 1000),
      alphaDividendAlphaRao: BigInt(uid),
      rootDividendAlphaRao: 0n,
    }));
    const tree = resultsTree(leaves);
    const claims = claimsOf(tree, [leaves[3]!, leaves[1]!]);
    expect(claims.map((c) => c.uid)).to.deep.equal([3, 1]);
    for (const c of claims) {
      const { proof, ...leaf } = c;
      expect(StandardMerkleTree.verify(tree.root, [...LEAF_TYPES], leafTuple(leaf), proof)).to.equal(true);
    }
    expect(inBatches([1, 2, 3, 4, 5], 2)).to.deep.equal([[1, 2], [3, 4], [5]]);
    expect(inBatches([], 32)).to.deep.equal([]);
    expect(() => inBatches([1], 0)).to.throw(/a batch size must be a positive integer, got 0/);
  });
});
