/**
 * The snapshot format (scripts/lib/snapshot.ts): the shipped default is valid and says how it was made, every bad
 * field is refused with its path named, `seedPlan` applies the file's scaling limits, and `genesisPlan` takes a file
 * as it is for an exact import, or names the field an exact import cannot take.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  DEFAULT_SNAPSHOT_FILE,
  fieldPath,
  genesisPlan,
  parseSnapshot,
  readSnapshotFile,
  seedPlan,
  SnapshotError,
  snapshotSeed,
} from "../../scripts/lib/snapshot.ts";

const WAD = 10n ** 18n;
const ID = (byte: string) => `0x${byte.repeat(32)}`;

/** A small valid snapshot: two subnets, one with weights. */
function small() {
  return {
    format: "alpha-markets-snapshot",
    version: 1,
    source: { kind: "hand-written", description: "a test fixture" },
    createdAt: "2026-11-30T12:00:00Z",
    chain: { blockNumber: "5000000", totalIssuanceRao: "10000000000000000" },
    scaling: { maxSubnets: 2, maxValidatorsPerSubnet: 2, maxMinersPerSubnet: 3 },
    subnets: [
      {
        netuid: 7,
        name: "Alpha",
        owner: { coldkey: ID("aa"), hotkey: ID("ab") },
        taoReserveRao: "20000000000000", // 20,000 TAO
        alphaReserveAlphaRao: "1000000000000000", // 1,000,000 alpha: 0.02 TAO per alpha
        spotPriceWad: "20000000000000000",
        movingPriceWad: "19000000000000000",
        hyperparameters: { tempo: 360, commitReveal: true, minBurnRao: "500000" },
        neurons: [
          { uid: 0, validatorPermit: true, stakeAlphaRao: "100000000000000", hotkey: ID("01") },
          {
            uid: 1,
            validatorPermit: false,
            stakeAlphaRao: "0",
            weights: [{ uid: 0, valueOf65535: 65535 }],
          },
        ],
      },
      {
        netuid: 9,
        name: "Beta",
        owner: { coldkey: ID("bb") },
        taoReserveRao: "150000000000000", // 150,000 TAO
        alphaReserveAlphaRao: "750000000000000", // 0.2 TAO per alpha
        spotPriceWad: "200000000000000000",
        movingPriceWad: "210000000000000000",
        hyperparameters: {},
        neurons: [],
      },
    ],
  };
}

type Json = ReturnType<typeof small>;

/** The message `parseSnapshot` throws for the snapshot `edit` makes of `small()`. */
function errorOf(edit: (s: Json & Record<string, unknown>) => void): SnapshotError {
  const s = small() as Json & Record<string, unknown>;
  edit(s);
  try {
    parseSnapshot(JSON.parse(JSON.stringify(s)));
  } catch (error) {
    expect(error).to.be.instanceOf(SnapshotError);
    return error as SnapshotError;
  }
  throw new Error("the snapshot was accepted");
}

describe("snapshot format", () => {
  it("the shipped default is valid, hand-written and says so, at Bittensor's magnitudes", () => {
    const snapshot = readSnapshotFile(DEFAULT_SNAPSHOT_FILE);
    expect(snapshot.source.kind).to.equal("hand-written");
    expect(snapshot.source.description).to.match(/not exported from a chain/);
    const prices = snapshot.subnets.map((s) => s.spotPriceWad);
    for (const p of prices) expect(p < WAD, "below 1 TAO per alpha").to.equal(true);
    const [low, high] = [prices.reduce((a, b) => (a < b ? a : b)), prices.reduce((a, b) => (a > b ? a : b))];
    expect(high > low * 10n, "more than an order of magnitude apart").to.equal(true);
  });

  it("accepts a valid snapshot and turns amounts into bigints", () => {
    const snapshot = parseSnapshot(small());
    expect(snapshot.subnets[0]!.taoReserveRao).to.equal(20_000_000_000_000n);
    expect(snapshot.subnets[0]!.hyperparameters.minBurnRao).to.equal(500_000n);
    expect(snapshot.chain.blockNumber).to.equal(5_000_000n);
  });

  const bad: [string, (s: Json & Record<string, unknown>) => void, string][] = [
    ["an unknown format", (s) => (s.format = "other"), 'format must be "alpha-markets-snapshot"'],
    ["another version", (s) => (s.version = 2 as 1), "version must be 1"],
    ["a missing source", (s) => delete (s as Partial<Json>).source, "source is missing"],
    ["an unknown source kind", (s) => (s.source.kind = "guessed"), 'source.kind must be "hand-written" or "exported"'],
    ["an empty description", (s) => (s.source.description = ""), "source.description must say how"],
    ["a date without a zone", (s) => (s.createdAt = "2026-11-30 12:00"), "createdAt must be an ISO 8601"],
    [
      "a block number as a JSON number",
      (s) => ((s.chain as Record<string, unknown>).blockNumber = 5),
      "chain.blockNumber must be a block number as a decimal string",
    ],
    [
      "a negative issuance",
      (s) => (s.chain.totalIssuanceRao = "-1"),
      "chain.totalIssuanceRao must be an amount of rao",
    ],
    ["no subnets allowed", (s) => (s.scaling.maxSubnets = 0), "scaling.maxSubnets must be a whole number from 1 to 16"],
    [
      "an unknown seed mode",
      (s) => ((s.scaling as Record<string, unknown>).mode = "fast"),
      'scaling.mode must be "history" or "exact"',
    ],
    [
      "more subnets than the local chain holds",
      (s) => (s.scaling.maxSubnets = 17),
      "scaling.maxSubnets must be a whole number from 1 to 16",
    ],
    [
      "more validators than the seed has",
      (s) => (s.scaling.maxValidatorsPerSubnet = 7),
      "scaling.maxValidatorsPerSubnet must be a whole number from 1 to 6",
    ],
    [
      "a fractional miner limit",
      (s) => (s.scaling.maxMinersPerSubnet = 2.5),
      "scaling.maxMinersPerSubnet must be a whole number",
    ],
    ["no subnets", (s) => (s.subnets = []), "subnets must hold at least one subnet"],
    ["netuid 0 (root)", (s) => (s.subnets[1]!.netuid = 0), "subnets[1].netuid must be a whole number from 1 to 65535"],
    ["a repeated netuid", (s) => (s.subnets[1]!.netuid = 7), "subnets[1].netuid repeats subnets[0].netuid (7)"],
    ["a repeated name", (s) => (s.subnets[1]!.name = "Alpha"), "subnets[1].name repeats subnets[0].name (Alpha)"],
    [
      "a name over 32 bytes",
      (s) => (s.subnets[0]!.name = "x".repeat(33)),
      "subnets[0].name must be a name of 1 to 32 bytes",
    ],
    [
      "a short owner key",
      (s) => (s.subnets[0]!.owner.coldkey = "0x1234"),
      "subnets[0].owner.coldkey must be a 32-byte account id",
    ],
    [
      "a reserve with a decimal point",
      (s) => (s.subnets[1]!.taoReserveRao = "12.5"),
      "subnets[1].taoReserveRao must be an amount of rao as a decimal string",
    ],
    [
      "a reserve in exponent notation",
      (s) => (s.subnets[1]!.taoReserveRao = "1e15"),
      "subnets[1].taoReserveRao must be an amount of rao as a decimal string",
    ],
    [
      "an empty alpha reserve (regression: the price check divided by zero)",
      (s) => (s.subnets[0]!.alphaReserveAlphaRao = "0"),
      "subnets[0].alphaReserveAlphaRao must be an amount of alpha-rao above zero",
    ],
    [
      "a spot price the reserves contradict",
      (s) => (s.subnets[0]!.spotPriceWad = "30000000000000000"),
      "subnets[0].spotPriceWad must match the reserves",
    ],
    [
      "a spot price below one rao per alpha",
      (s) => {
        s.subnets[0]!.taoReserveRao = "1000000";
        s.subnets[0]!.spotPriceWad = "1000000";
      },
      "subnets[0].spotPriceWad must be at least 1000000000",
    ],
    [
      "a moving price above the cap",
      (s) => (s.subnets[0]!.movingPriceWad = "1000000000000000001"),
      "subnets[0].movingPriceWad must be at most 1000000000000000000",
    ],
    [
      "an unknown hyperparameter",
      (s) => ((s.subnets[0]!.hyperparameters as Record<string, unknown>).tempoo = 1),
      "subnets[0].hyperparameters has unknown field tempoo",
    ],
    [
      "a tempo of 0",
      (s) => (s.subnets[0]!.hyperparameters.tempo = 0),
      "subnets[0].hyperparameters.tempo must be a whole number from 1 to 65535",
    ],
    ["a repeated uid", (s) => (s.subnets[0]!.neurons[1]!.uid = 0), "subnets[0].neurons[1].uid repeats uid 0"],
    [
      "a permit that is not a boolean",
      (s) => ((s.subnets[0]!.neurons[0] as Record<string, unknown>).validatorPermit = "yes"),
      "subnets[0].neurons[0].validatorPermit must be true or false",
    ],
    [
      "a stake beyond 64 bits",
      (s) => (s.subnets[0]!.neurons[0]!.stakeAlphaRao = (2n ** 64n).toString()),
      "subnets[0].neurons[0].stakeAlphaRao must be an amount of alpha-rao of at most",
    ],
    [
      "a weight on a uid that is not there",
      (s) => (s.subnets[0]!.neurons[1]!.weights![0]!.uid = 5),
      "subnets[0].neurons[1].weights[0].uid names uid 5, which is not a neuron of this subnet",
    ],
    [
      "a weight above 65535",
      (s) => (s.subnets[0]!.neurons[1]!.weights![0]!.valueOf65535 = 70_000),
      "subnets[0].neurons[1].weights[0].valueOf65535 must be a whole number from 0 to 65535",
    ],
    [
      "a missing neuron list",
      (s) => delete (s.subnets[1] as Partial<Json["subnets"][number]>).neurons,
      "subnets[1].neurons is missing",
    ],
    ["an unknown top-level field", (s) => (s.extra = true), "(the whole file) has unknown field extra"],
  ];
  for (const [title, edit, message] of bad) {
    it(`refuses ${title}, naming the field`, () => {
      const error = errorOf(edit);
      expect(error.message.startsWith(message), error.message).to.equal(true);
    });
  }

  it("writes a field's path as people do", () => {
    expect(fieldPath(["subnets", 2, "neurons", 0, "uid"])).to.equal("subnets[2].neurons[0].uid");
    expect(fieldPath([])).to.equal("(the whole file)");
  });

  it("names the file when it is missing or not JSON", () => {
    const dir = mkdtempSync(join(tmpdir(), "snapshot-"));
    try {
      expect(() => readSnapshotFile(join(dir, "none.json"))).to.throw(
        SnapshotError,
        /none\.json: cannot be read \(no such file\)/,
      );
      writeFileSync(join(dir, "broken.json"), "{");
      expect(() => readSnapshotFile(join(dir, "broken.json"))).to.throw(SnapshotError, /broken\.json: is not JSON/);
      const s = small();
      s.subnets[0]!.movingPriceWad = "2000000000000000000";
      writeFileSync(join(dir, "bad.json"), JSON.stringify(s));
      expect(() => readSnapshotFile(join(dir, "bad.json")))
        .to.throw(SnapshotError, /bad\.json: subnets\[0\]\.movingPriceWad must be at most/)
        .with.property("field", "subnets[0].movingPriceWad");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("seedPlan multiplies every price by the price factor, in whole rao per alpha", () => {
    const s = small();
    (s.scaling as { priceFactor?: number }).priceFactor = 3;
    expect(seedPlan(parseSnapshot(s)).map((p) => p.price)).to.deep.equal([0.06, 0.6]);
  });

  it("seedPlan keeps the deepest pools, clamps the neurons to the scaling limits, cheapest first", () => {
    const s = small();
    s.scaling.maxSubnets = 1;
    // Beta (150,000 TAO) is deeper than Alpha (20,000 TAO).
    expect(seedPlan(parseSnapshot(s)).map((p) => p.name)).to.deep.equal(["Beta"]);

    const t = small();
    (t.subnets[0] as { neurons: unknown[] }).neurons = [
      ...[0, 1, 2].map((uid) => ({ uid, validatorPermit: true, stakeAlphaRao: "1" })),
      ...[3, 4, 5, 6, 7].map((uid) => ({ uid, validatorPermit: false, stakeAlphaRao: "1" })),
    ];
    const plan = seedPlan(parseSnapshot(t));
    expect(plan).to.deep.equal([
      // 3 validators → 2 (maxValidatorsPerSubnet), 5 miners → 3 (maxMinersPerSubnet).
      { snapshotNetuid: 7, name: "Alpha", price: 0.02, validators: 2, miners: 3, snapshotTaoReserve: 20_000 },
      // No neurons known: one validator and one miner, the least a subnet needs for a consensus.
      { snapshotNetuid: 9, name: "Beta", price: 0.2, validators: 1, miners: 1, snapshotTaoReserve: 150_000 },
    ]);
  });

  it("seedPlan counts the owner's own neuron (hotkey = owner.hotkey) as neither validator nor miner", () => {
    // An exported snapshot holds the owner's uid 0 (with a permit); the seed registers the owner's uid besides the
    // validators and miners, so counting it again would add a neuron on every export and seed.
    const t = small();
    (t.subnets[0] as { neurons: unknown[] }).neurons = [
      { uid: 0, hotkey: ID("ab"), validatorPermit: true, stakeAlphaRao: "1" },
      { uid: 1, hotkey: ID("01"), validatorPermit: true, stakeAlphaRao: "1" },
      { uid: 2, hotkey: ID("02"), validatorPermit: false, stakeAlphaRao: "1" },
    ];
    const alpha = seedPlan(parseSnapshot(t)).find((p) => p.name === "Alpha")!;
    expect([alpha.validators, alpha.miners]).to.deep.equal([1, 1]);
  });

  /** `small()` made exact: every neuron's keys, uid 0 the owner's, Beta with its owner's neuron. */
  function exact() {
    const s = small();
    (s.scaling as Record<string, unknown>).mode = "exact";
    (s.subnets[0] as { neurons: unknown[] }).neurons = [
      { uid: 1, hotkey: ID("01"), coldkey: ID("02"), validatorPermit: false, stakeAlphaRao: "7" },
      { uid: 0, hotkey: ID("ab"), coldkey: ID("aa"), validatorPermit: true, stakeAlphaRao: "100000000000000" },
    ];
    (s.subnets[1] as { neurons: unknown[] }).neurons = [
      { uid: 0, hotkey: ID("bc"), coldkey: ID("bb"), validatorPermit: true, stakeAlphaRao: "0" },
    ];
    return s;
  }

  it("genesisPlan takes the deepest subnets as they are, by netuid, each neuron at its uid", () => {
    const plan = genesisPlan(parseSnapshot(exact()));
    expect(plan).to.deep.equal([
      {
        netuid: 7,
        name: "Alpha",
        price: 0.02,
        taoReserveRao: 20_000_000_000_000n,
        alphaReserveAlphaRao: 1_000_000_000_000_000n,
        movingPriceWad: 19_000_000_000_000_000n,
        neurons: [
          { hotkey: ID("ab"), coldkey: ID("aa"), stakeAlphaRao: 100_000_000_000_000n, validatorPermit: true },
          { hotkey: ID("01"), coldkey: ID("02"), stakeAlphaRao: 7n, validatorPermit: false },
        ],
      },
      {
        netuid: 9,
        name: "Beta",
        price: 0.2,
        taoReserveRao: 150_000_000_000_000n,
        alphaReserveAlphaRao: 750_000_000_000_000n,
        movingPriceWad: 210_000_000_000_000_000n,
        neurons: [{ hotkey: ID("bc"), coldkey: ID("bb"), stakeAlphaRao: 0n, validatorPermit: true }],
      },
    ]);
    const one = exact();
    one.scaling.maxSubnets = 1;
    expect(
      genesisPlan(parseSnapshot(one)).map((p) => p.name),
      "the deepest pool",
    ).to.deep.equal(["Beta"]);
    expect(snapshotSeed(parseSnapshot(exact())).mode).to.equal("exact");
    expect(snapshotSeed(parseSnapshot(small()))).to.deep.equal({
      mode: "history",
      subnets: seedPlan(parseSnapshot(small())),
    });
  });

  const notExact: [string, (s: ReturnType<typeof exact>) => void, string][] = [
    [
      "a netuid the model does not have",
      (s) => (s.subnets[1]!.netuid = 256),
      "subnets[1].netuid must be at most 255, the model's last netuid",
    ],
    [
      "a subnet without its owner's neuron",
      (s) => ((s.subnets[1] as { neurons: unknown[] }).neurons = []),
      "subnets[1].neurons must hold at least the owner's neuron (uid 0)",
    ],
    [
      "a gap in the uids",
      (s) => ((s.subnets[0]!.neurons[0] as { uid: number }).uid = 2),
      "subnets[0].neurons must hold uids 0 to 1 (uid 1 is missing)",
    ],
    [
      "a neuron without its hotkey",
      (s) => delete (s.subnets[0]!.neurons[0] as { hotkey?: string }).hotkey,
      "subnets[0].neurons[0].hotkey is missing",
    ],
    [
      "a neuron without its coldkey",
      (s) => delete (s.subnets[0]!.neurons[1] as { coldkey?: string }).coldkey,
      "subnets[0].neurons[1].coldkey is missing",
    ],
    [
      "an owner that is not uid 0's coldkey",
      (s) => (s.subnets[0]!.owner.coldkey = ID("cc")),
      "subnets[0].owner.coldkey must be uid 0's coldkey (subnets[0].neurons[1].coldkey)",
    ],
    [
      "an owner hotkey that is not uid 0's",
      (s) => ((s.subnets[1]!.owner as { hotkey?: string }).hotkey = ID("cd")),
      "subnets[1].owner.hotkey must be uid 0's hotkey (subnets[1].neurons[0].hotkey)",
    ],
  ];
  for (const [what, change, message] of notExact) {
    it(`genesisPlan refuses ${what}, naming the field`, () => {
      const s = exact();
      change(s);
      const field = message.split(" ")[0];
      expect(() => genesisPlan(parseSnapshot(s)))
        .to.throw(SnapshotError, `${message} for an exact import (scaling.mode "exact")`)
        .with.property("field", field);
    });
  }
});
