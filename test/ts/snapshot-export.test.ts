/**
 * The snapshot exporter's pure part (scripts/lib/snapshot-export.ts): its ABI is the runtime's, the answers become a
 * valid snapshot in the format's units, the adjustments the format requires are made and noted, and only transient
 * failures are retried.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { type AbiFunction, toFunctionSelector, toFunctionSignature } from "viem";

import {
  backoffMs,
  buildSnapshot,
  EXPORT_ABIS,
  EXPORT_PRECOMPILES,
  exportScaling,
  HYPERPARAMETER_READS,
  hyperparametersFromAnswers,
  isTransientError,
  netuidsFound,
  neuronReads,
  probeReads,
  SUBNET_READ_COUNT,
  subnetAnswers,
  subnetReads,
  type NeuronAnswers,
  type SubnetAnswers,
} from "../../scripts/lib/snapshot-export.ts";

const WAD = 10n ** 18n;
const ID = (byte: string): `0x${string}` => `0x${byte.repeat(32)}`;

interface RustFunction {
  signature: string;
  selector: string;
  stateMutability: string;
  outputs: string[];
}
const RUST = JSON.parse(readFileSync(new URL("../fixtures/precompile-signatures.json", import.meta.url), "utf8")) as {
  precompiles: { name: string; address: string; functions: RustFunction[] }[];
};

const HYPERPARAMETERS: SubnetAnswers["hyperparameters"] = {
  getWeightsVersionKey: 7n,
  getWeightsSetRateLimit: 100n,
  getCommitRevealWeightsEnabled: true,
  getMinBurn: 500_000n,
  getMaxBurn: 100_000_000_000n,
  getImmunityPeriod: 5000,
  getKappa: 32_767,
  getAlphaSigmoidSteepness: 65_036, // the bits of -500
  getActivityCutoff: 5000,
  getBondsMovingAverage: 975_000n,
  getLiquidAlphaEnabled: false,
  getAlphaValues: [45_875, 58_982],
  getYuma3Enabled: true,
};

function subnet(netuid: number, taoRao: bigint, alphaRao: bigint, spotPriceWad: bigint): SubnetAnswers {
  return {
    netuid,
    spotPriceWad,
    movingPriceWad: spotPriceWad / 2n,
    taoInPoolRao: taoRao,
    alphaInPoolAlphaRao: alphaRao,
    hyperparameters: HYPERPARAMETERS,
    uidCount: 2,
  };
}
const neurons = (tag: string): NeuronAnswers[] => [
  { uid: 1, hotkey: ID(`${tag}1`), coldkey: ID(`${tag}2`), validatorPermit: false, stakeAlphaRao: 5n },
  { uid: 0, hotkey: ID(`${tag}3`), coldkey: ID(`${tag}4`), validatorPermit: true, stakeAlphaRao: 1_000_000_000n },
];
const CHAIN = {
  network: "bittensorTestnet",
  endpoint: "https://test.chain.opentensor.ai",
  chainId: 945,
  blockNumber: 123_456n,
  createdAt: new Date("2026-12-01T10:20:30.456Z"),
};

describe("snapshot exporter: the reads and what they become", () => {
  it("reads every function with the runtime's selector, return types and view mutability, at its address", () => {
    for (const [name, abi] of Object.entries(EXPORT_ABIS)) {
      const rust = RUST.precompiles.find((p) => p.name === name)!;
      expect(rust.address.toLowerCase(), name).to.equal(
        EXPORT_PRECOMPILES[name as keyof typeof EXPORT_PRECOMPILES].toLowerCase(),
      );
      for (const f of abi as readonly AbiFunction[]) {
        const signature = toFunctionSignature(f);
        const r = rust.functions.find((x) => x.signature === signature);
        expect(r, `${name}.${signature} is a function of the runtime`).to.not.equal(undefined);
        expect(toFunctionSelector(f)).to.equal(r!.selector);
        expect(r!.stateMutability).to.equal("view");
        expect(f.outputs.map((o) => o.type)).to.deep.equal(r!.outputs);
      }
    }
  });

  it("probes netuids 1…n by spot price and keeps those priced above zero", () => {
    const reads = probeReads(4);
    expect(reads.map((r) => [r.functionName, r.args[0]])).to.deep.equal([
      ["getAlphaPrice", 1],
      ["getAlphaPrice", 2],
      ["getAlphaPrice", 3],
      ["getAlphaPrice", 4],
    ]);
    expect(netuidsFound([0n, 5n * 10n ** 16n, 0n, 1n])).to.deep.equal([2, 4]);
  });

  it("splits the subnets' answers in the order of subnetReads, and refuses a short list", () => {
    const one = (netuid: number) => [
      10n * WAD,
      9n * WAD,
      100n,
      10n,
      ...HYPERPARAMETER_READS.map((f) => HYPERPARAMETERS[f]),
      netuid + 3,
    ];
    expect(subnetReads(5)).to.have.length(SUBNET_READ_COUNT);
    const [a, b] = subnetAnswers([5, 9], [...one(5), ...one(9)]);
    expect(a!.netuid).to.equal(5);
    expect(b!.uidCount).to.equal(12);
    expect(b!.taoInPoolRao).to.equal(100n);
    expect(b!.hyperparameters.getAlphaValues).to.deep.equal([45_875, 58_982]);
    expect(() => subnetAnswers([5, 9], one(5))).to.throw(/expected 36 answers, got 18/);
    expect(neuronReads(5, 3).map((r) => r.functionName)).to.deep.equal([
      "getHotkey",
      "getColdkey",
      "getValidatorStatus",
    ]);
  });

  it("turns the Subnet precompile's answers into the format's hyperparameters, the steepness signed again", () => {
    expect(hyperparametersFromAnswers(HYPERPARAMETERS)).to.deep.equal({
      weightsVersionKey: "7",
      weightsRateLimit: 100,
      commitReveal: true,
      minBurnRao: "500000",
      maxBurnRao: "100000000000",
      immunityPeriod: 5000,
      kappaOf65535: 32_767,
      alphaSigmoidSteepness: -500,
      activityCutoff: 5000,
      bondsMovingAveragePpm: 975_000,
      liquidAlpha: false,
      alphaLowOf65535: 45_875,
      alphaHighOf65535: 58_982,
      yuma3: true,
    });
    const notes: string[] = [];
    const out = hyperparametersFromAnswers(
      {
        ...HYPERPARAMETERS,
        getActivityCutoff: 0,
        getBondsMovingAverage: 2_000_000n,
        getWeightsSetRateLimit: 2n ** 40n,
      },
      (line) => notes.push(line),
    );
    expect(out).to.not.have.any.keys("activityCutoff", "bondsMovingAveragePpm", "weightsRateLimit");
    expect(notes).to.have.length(3);
    expect(notes[0]).to.match(/weightsRateLimit 1099511627776 is outside the format's 0…4294967295: left out/);
  });

  it("builds a valid snapshot: prices as read (wads), owner = uid 0's keys, names SN<netuid>, neurons by uid", () => {
    const price = 2n * 10n ** 16n; // 0.02 TAO per alpha
    const { json, snapshot } = buildSnapshot(CHAIN, [
      { ...subnet(3, 20_000n * 10n ** 9n, 1_000_000n * 10n ** 9n, price), neurons: neurons("a") },
    ]);
    const s = snapshot.subnets[0]!;
    expect(s.netuid).to.equal(3);
    expect(s.name).to.equal("SN3");
    expect(s.owner).to.deep.equal({ coldkey: ID("a4"), hotkey: ID("a3") });
    expect(s.spotPriceWad).to.equal(price);
    expect(s.movingPriceWad).to.equal(price / 2n);
    expect(s.taoReserveRao).to.equal(20_000n * 10n ** 9n);
    expect(s.alphaReserveAlphaRao).to.equal(1_000_000n * 10n ** 9n);
    expect(s.neurons.map((n) => [n.uid, n.validatorPermit, n.stakeAlphaRao])).to.deep.equal([
      [0, true, 1_000_000_000n],
      [1, false, 5n],
    ]);
    expect(s.hyperparameters.alphaSigmoidSteepness).to.equal(-500);
    expect(json.createdAt).to.equal("2026-12-01T10:20:30Z");
    expect(json.chain).to.deep.equal({ blockNumber: "123456", totalIssuanceRao: "0" });
    expect(json.source).to.include({ kind: "exported", network: "bittensorTestnet" });
    // JSON carries decimal strings only: a round trip through text parses to the same snapshot.
    expect(JSON.parse(JSON.stringify(json))).to.deep.equal(json);
  });

  it("records a weighted pool's alpha reserve as its constant-product equivalent, and caps the moving price, with notes", () => {
    const price = 5n * 10n ** 16n; // 0.05, while 100 TAO / 1,000 alpha would be 0.1
    const notes: string[] = [];
    const { snapshot } = buildSnapshot(
      CHAIN,
      [
        {
          ...subnet(4, 100n * 10n ** 9n, 1_000n * 10n ** 9n, price),
          movingPriceWad: 3n * WAD,
          neurons: neurons("b"),
        },
      ],
      (line) => notes.push(line),
    );
    expect(snapshot.subnets[0]!.alphaReserveAlphaRao).to.equal(2_000n * 10n ** 9n); // 100 TAO / 0.05
    expect(snapshot.subnets[0]!.movingPriceWad).to.equal(WAD);
    expect(notes.join("\n")).to.match(/netuid 4: TAO \/ alpha reserve is not the spot price/);
    expect(notes.join("\n")).to.match(/netuid 4: moving price 3000000000000000000 above 1 TAO per alpha/);
  });

  it("refuses a subnet without uid 0 and a chain without subnets", () => {
    const price = 2n * 10n ** 16n;
    expect(() =>
      buildSnapshot(CHAIN, [{ ...subnet(3, 2n * 10n ** 13n, 10n ** 15n, price), neurons: neurons("c").slice(0, 1) }]),
    ).to.throw(/netuid 3 has no uid 0/);
    expect(() => buildSnapshot(CHAIN, [])).to.throw(/no subnets found on bittensorTestnet at block 123456/);
  });

  it("scales to the seed's limits: the 16 deepest pools, their prices lifted to add up to about 1 TAO", () => {
    const subnets = Array.from({ length: 20 }, (_, i) => ({
      taoReserveRao: BigInt(i + 1) * 10n ** 12n,
      spotPriceWad: 10n ** 16n, // 0.01 each: the 16 kept add up to 0.16
    }));
    expect(exportScaling(subnets)).to.deep.equal({
      maxSubnets: 16,
      maxValidatorsPerSubnet: 6,
      maxMinersPerSubnet: 24,
      priceFactor: 6.25,
      // An export seeds exactly: a genesis import of the state it read.
      mode: "exact",
    });
    expect(exportScaling(subnets.slice(0, 2)).maxSubnets).to.equal(2);
    expect(exportScaling([{ taoReserveRao: 1n, spotPriceWad: 10n ** 14n }]).priceFactor).to.equal(100);
  });

  it("retries timeouts, dropped connections, 429 and 5xx answers, never a call the chain refused", () => {
    expect(isTransientError(Object.assign(new Error("x"), { name: "TimeoutError" }))).to.equal(true);
    expect(isTransientError(new Error("fetch failed", { cause: { code: "ECONNRESET" } }))).to.equal(true);
    expect(isTransientError(Object.assign(new Error("HTTP 429"), { name: "HttpRequestError", status: 429 }))).to.equal(
      true,
    );
    expect(isTransientError(Object.assign(new Error("HTTP 503"), { status: 503 }))).to.equal(true);
    expect(isTransientError(Object.assign(new Error("HTTP 404"), { name: "HttpRequestError", status: 404 }))).to.equal(
      false,
    );
    expect(isTransientError(Object.assign(new Error("execution reverted"), { code: 3 }))).to.equal(false);
    expect([1, 2, 3, 4, 10].map((k) => backoffMs(k, 500))).to.deep.equal([500, 1000, 2000, 4000, 8000]);
  });
});
