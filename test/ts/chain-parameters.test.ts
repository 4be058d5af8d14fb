import { readFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import { network } from "hardhat";

import { deployEconomy, loadParameters } from "../../scripts/lib/economy.ts";

/**
 * `ignition/parameters/bittensor-like.json` must hold Bittensor's own values. Each is checked against
 * `test/fixtures/chain-parameters.json` (the chain's values with their sources in subtensor's code), every value of the
 * file must be covered, and a deployment with the file must report the same values, as must the contracts' constants
 * that mirror chain constants.
 */

interface ChainParameter {
  name: string;
  value: string;
  unit: "rao" | "blocks" | "count" | "bool" | "of65535" | "ppm" | "of2^64-1" | "decimal";
  source: string;
  parameter?: string;
  constant?: string;
}

interface Fixture {
  parameters: ChainParameter[];
  unchecked: Record<string, string>;
}

const ROOT = path.resolve(import.meta.dirname, "../..");
const WAD = 10n ** 18n;

/** A decimal string times 1e18, exactly (no float on the way). */
function decimalToWad(text: string): bigint {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (match === null) throw new Error(`not a decimal: ${text}`);
  const fraction = (match[2] ?? "").padEnd(18, "0");
  if (fraction.length > 18) throw new Error(`more than 18 decimals: ${text}`);
  return BigInt(match[1]!) * WAD + BigInt(fraction);
}

/** The chain's value in the model's unit: the same unit, except fractions, which the model keeps × 1e18. */
function toModelUnit(p: ChainParameter): bigint | boolean {
  switch (p.unit) {
    case "bool":
      if (p.value !== "true" && p.value !== "false") throw new Error(`${p.name}: not a bool`);
      return p.value === "true";
    case "of2^64-1":
      return (BigInt(p.value) * WAD) / (2n ** 64n - 1n);
    case "decimal":
      return decimalToWad(p.value);
    default:
      return BigInt(p.value);
  }
}

/** The value at a dotted path of the parameters file, as a bigint or a bool. */
function valueAt(parameters: Record<string, unknown>, dotted: string): bigint | boolean | undefined {
  let node: unknown = parameters;
  for (const key of dotted.split(".")) {
    if (node === null || typeof node !== "object" || !(key in node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  if (typeof node === "boolean" || typeof node === "bigint") return node;
  if (typeof node === "number") return BigInt(node);
  throw new Error(`${dotted}: not a number or a bool`);
}

/** Every leaf path of the parameters file. */
function leafPaths(node: Record<string, unknown>, prefix = ""): string[] {
  return Object.entries(node).flatMap(([key, value]) =>
    value !== null && typeof value === "object" && typeof value !== "bigint"
      ? leafPaths(value as Record<string, unknown>, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

describe("bittensor-like parameters are the chain's", function () {
  this.timeout(120_000);
  let fixture: Fixture;
  let parameters: Record<string, unknown>;

  before(async () => {
    fixture = JSON.parse(await readFile(path.join(ROOT, "test/fixtures/chain-parameters.json"), "utf8")) as Fixture;
    parameters = await loadParameters("bittensor-like");
  });

  it("each value of ignition/parameters/bittensor-like.json equals the chain's", () => {
    const rows = fixture.parameters.filter((p) => p.parameter !== undefined);
    expect(rows.length).to.be.at.least(30);
    for (const row of rows) {
      const actual = valueAt(parameters, row.parameter!);
      expect(actual, `${row.parameter} (${row.name}, ${row.source})`).to.equal(toModelUnit(row));
    }
  });

  it("the file has no value the chain table does not check", () => {
    const checked = new Set(fixture.parameters.flatMap((p) => (p.parameter === undefined ? [] : [p.parameter])));
    const unchecked = new Set(Object.keys(fixture.unchecked));
    for (const leaf of leafPaths(parameters)) {
      expect(checked.has(leaf) || unchecked.has(leaf), `${leaf} is neither checked nor listed as unchecked`).to.equal(
        true,
      );
    }
    for (const key of unchecked) expect(fixture.unchecked[key]!.length, `reason for ${key}`).to.be.greaterThan(20);
  });

  it("the unit conversions are exact", () => {
    // TaoWeight 971_718_665_099_567_868 / (2^64 − 1) = 0.052676974387283289…
    expect(toModelUnit({ name: "", value: "971718665099567868", unit: "of2^64-1", source: "" })).to.equal(
      52_676_974_387_283_289n,
    );
    expect(toModelUnit({ name: "", value: "0.000003", unit: "decimal", source: "" })).to.equal(3_000_000_000_000n);
    expect(toModelUnit({ name: "", value: "1.26", unit: "decimal", source: "" })).to.equal(1_260_000_000_000_000_000n);
  });

  it("a deployment with the file reports them, and the contracts' chain constants agree", async () => {
    const connection = await network.create();
    const e = await deployEconomy(connection, parameters);
    const harness = await connection.viem.deployContract("ModelMathHarness");
    const [deployer] = await connection.viem.getWalletClients();
    const hotkey = await e.pools.read.coldkeyOf([deployer!.account.address]);
    const lock = await e.registry.read.lockCost();
    await e.registry.write.registerNetwork([hotkey, "one", lock], { value: lock * 10n ** 9n });
    const hyperparameters = await e.registry.read.defaultHyperparameters();
    const poolSettings = await e.registry.read.poolSettings([1]);
    const emissionParams = await e.pools.read.coinbaseParams();

    const deployed: Record<string, bigint | boolean> = {
      minLockRao: await e.registry.read.minLockRao(),
      lockReductionInterval: BigInt(await e.registry.read.lockReductionInterval()),
      networkRateLimit: BigInt(await e.registry.read.networkRateLimit()),
      networkImmunityPeriod: BigInt(await e.registry.read.networkImmunityPeriod()),
      subnetLimit: BigInt(await e.registry.read.subnetLimit()),
      minTempo: BigInt(await e.registry.read.MIN_TEMPO()),
      defaultTakeOf65535: BigInt(await e.metagraph.read.DEFAULT_TAKE_OF_65535()),
      maxTakeOf65535: BigInt(await e.metagraph.read.MAX_TAKE_OF_65535()),
      takeRateLimitBlocks: BigInt(await e.metagraph.read.TAKE_RATE_LIMIT_BLOCKS()),
      initialBurnRao: await e.metagraph.read.INITIAL_BURN_RAO(),
      movingAlphaWad: emissionParams[0],
      emaHalvingBlocks: emissionParams[1],
      taoWeightWad: emissionParams[2],
      "poolSettings.feeRateOf65535": BigInt(poolSettings.feeRateOf65535),
      "poolSettings.minStakeRao": poolSettings.minStakeRao,
    };
    for (const [key, value] of Object.entries(hyperparameters)) {
      deployed[`hyperparameters.${key}`] = typeof value === "boolean" ? value : BigInt(value);
    }
    const S = 21_000_000n * 10n ** 9n;
    const constants: Record<string, () => Promise<bigint>> = {
      "SubnetRegistry.MAX_TEMPO": async () => e.registry.read.MAX_TEMPO(),
      "SubnetRegistry.MAX_BURN_HALF_LIFE": async () => e.registry.read.MAX_BURN_HALF_LIFE(),
      "SubnetRegistry.MAX_BURN_INCREASE_MULT_WAD": async () => e.registry.read.MAX_BURN_INCREASE_MULT_WAD(),
      "SubnetRegistry.MAX_BONDS_MOVING_AVERAGE_PPM": async () => e.registry.read.MAX_BONDS_MOVING_AVERAGE_PPM(),
      "AlphaPools.MAX_FEE_RATE_OF_65535": async () => BigInt(await e.pools.read.MAX_FEE_RATE_OF_65535()),
      "AlphaPools.ROOT_MIN_STAKE_RAO": async () => e.pools.read.ROOT_MIN_STAKE_RAO(),
      "RootDividends.ROOT_CLAIM_THRESHOLD_ALPHA_RAO": async () => e.rootDividends.read.ROOT_CLAIM_THRESHOLD_ALPHA_RAO(),
      // the owner cut of 65,535 alpha-rao of pending emission
      "CoinbaseLib.OWNER_CUT_OF_65535": async () =>
        (
          await harness.read.splitPending([
            {
              pendingAlphaOutRao: 65_535n,
              pendingRootAlphaRao: 0n,
              pendingRecycledRootAlphaRao: 0n,
              alphaIssuanceRao: 0n,
            },
          ])
        ).ownerCutAlphaRao,
      "EmissionMath.blockEmission(0)": async () => harness.read.blockEmission([0n]),
      // the first halving comes at half of the total supply
      "EmissionMath.TOTAL_SUPPLY": async () => {
        const before = await harness.read.blockEmission([S / 2n - 1n]);
        const after = await harness.read.blockEmission([S / 2n]);
        return before === 2n * after && (await harness.read.blockEmission([S])) === 0n ? S : 0n;
      },
    };

    for (const row of fixture.parameters) {
      const what = `${row.name} (${row.source})`;
      if (row.parameter !== undefined) {
        expect(row.parameter in deployed, `no deployed value for ${row.parameter}`).to.equal(true);
        expect(deployed[row.parameter], `deployed ${row.parameter}: ${what}`).to.equal(toModelUnit(row));
      } else {
        const read = constants[row.constant ?? ""];
        expect(read, `no reader for ${row.constant}`).to.not.equal(undefined);
        expect(await read!(), `${row.constant}: ${what}`).to.equal(toModelUnit(row));
      }
    }
  });
});
