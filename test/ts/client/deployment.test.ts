import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import {
  artifactPathOf,
  CONTRACT_NAMES,
  contractHandles,
  DeploymentError,
  parseDeployment,
  type DeploymentsFile,
} from "../../../client/index.ts";
import {
  connectDeployment,
  listContractArtifacts,
  loadContractAbis,
  loadDeployment,
  PROJECT_ROOT,
  readArtifactAbi,
} from "../../../client/node.ts";
import { freshEconomy } from "../helpers/economy.ts";

const address = (n: number) => `0x${n.toString(16).padStart(40, "0")}` as const;

function sampleDeployment(): DeploymentsFile {
  return {
    chainId: 31337,
    contracts: {
      AlphaPools: {
        address: address(1),
        startBlock: 1,
        artifact: "artifacts/contracts/model/AlphaPools.sol/AlphaPools.json",
      },
      AlphaPoolsExtension: { address: address(2), startBlock: 1 },
      SubnetRegistry: { address: address(3), startBlock: 2 },
      Metagraph: { address: address(4), startBlock: 3 },
      RootDividends: { address: address(5), startBlock: 4 },
      EpochSettlement: { address: address(6), startBlock: 5 },
      MarketsLens: { address: address(7), startBlock: 6 },
    },
    network: "localhost",
  };
}

describe("client: deployments and contract handles", function () {
  this.timeout(120_000);

  let tmp = "";
  before(() => {
    tmp = mkdtempSync(path.join(tmpdir(), "client-deployment-"));
  });
  after(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  it("artifactPathOf is where Hardhat writes an artifact", () => {
    expect(artifactPathOf("contracts/model/AlphaPools.sol", "AlphaPools")).to.equal(
      "artifacts/contracts/model/AlphaPools.sol/AlphaPools.json",
    );
  });

  it("parseDeployment accepts a deployments file and keeps its extra fields", () => {
    const parsed = parseDeployment(sampleDeployment());
    expect(parsed.chainId).to.equal(31337);
    expect(parsed.network).to.equal("localhost");
    expect(parsed.contracts.Metagraph.startBlock).to.equal(3);
  });

  const broken: [string, (d: Record<string, unknown>) => unknown, RegExp][] = [
    ["not an object", () => [], /the file must be a JSON object, got \[\]/],
    [
      "a chain id that is not a positive integer",
      (d) => ({ ...d, chainId: "31337" }),
      /chainId must be a positive integer, got "31337"/,
    ],
    ["no contracts", (d) => ({ ...d, contracts: undefined }), /contracts must be an object keyed by contract name/],
    [
      "a missing contract",
      (d) => ({ ...d, contracts: { ...(d.contracts as object), Metagraph: undefined } }),
      /contracts\.Metagraph must be an object with address and startBlock/,
    ],
    [
      "a bad address",
      (d) => ({ ...d, contracts: { ...(d.contracts as object), MarketsLens: { address: "0x12", startBlock: 1 } } }),
      /contracts\.MarketsLens\.address must be a 0x-prefixed 20-byte hex address, got "0x12"/,
    ],
    [
      "a negative start block",
      (d) => ({ ...d, contracts: { ...(d.contracts as object), AlphaPools: { address: address(1), startBlock: -1 } } }),
      /contracts\.AlphaPools\.startBlock must be a block number \(an integer ≥ 0\), got -1/,
    ],
    [
      "an empty artifact path",
      (d) => ({
        ...d,
        contracts: { ...(d.contracts as object), AlphaPools: { address: address(1), startBlock: 1, artifact: "" } },
      }),
      /contracts\.AlphaPools\.artifact must be a path to a Hardhat artifact/,
    ],
  ];
  for (const [what, edit, message] of broken) {
    it(`parseDeployment rejects ${what}, naming the field`, () => {
      const json = edit(sampleDeployment());
      expect(() => parseDeployment(json, "deployments/31337.json")).to.throw(DeploymentError, message);
      expect(() => parseDeployment(json, "deployments/31337.json")).to.throw(/^deployments\/31337\.json: /);
    });
  }

  it("loadDeployment names a missing file, bad JSON and a chain id mismatch", async () => {
    const messageOf = async (chainId: number) => {
      try {
        await loadDeployment(chainId, { deploymentsDir: tmp });
      } catch (error) {
        expect(error).to.be.instanceOf(DeploymentError);
        return (error as Error).message;
      }
      return "no error";
    };
    expect(await messageOf(5)).to.match(
      /the deployments file .*5\.json does not exist: start a local chain with `npm start`/,
    );
    writeFileSync(path.join(tmp, "6.json"), "{ not json");
    expect(await messageOf(6)).to.match(/6\.json is not valid JSON/);
    writeFileSync(path.join(tmp, "7.json"), JSON.stringify(sampleDeployment()));
    expect(await messageOf(7)).to.match(/is a deployment on chain 31337, not 7/);
  });

  it("reads every contract's ABI from the artifact the file names, or finds it by name", async () => {
    const abis = await loadContractAbis(sampleDeployment());
    for (const name of CONTRACT_NAMES) expect(abis[name].length, name).to.be.greaterThan(0);
    expect(abis.AlphaPools.some((item) => item.type === "function" && item.name === "addStake")).to.equal(true);
    expect(abis.MarketsLens.some((item) => item.type === "function" && item.name === "markets")).to.equal(true);
    const artifacts = await listContractArtifacts();
    expect(artifacts.every((f) => f.startsWith(path.join(PROJECT_ROOT, "artifacts", "contracts")))).to.equal(true);
    expect(artifacts.some((f) => f.endsWith(".dbg.json"))).to.equal(false);
  });

  it("reports a missing artifact and an artifact without an ABI", async () => {
    const missing = sampleDeployment();
    missing.contracts.Metagraph.artifact = "artifacts/contracts/Nope.sol/Nope.json";
    let message = "";
    await loadContractAbis(missing).catch((error: Error) => (message = error.message));
    expect(message).to.match(/the artifact .*Nope\.json does not exist: compile the contracts first/);
    const noAbi = path.join(tmp, "noabi.json");
    writeFileSync(noAbi, JSON.stringify({ contractName: "X" }));
    await readArtifactAbi(noAbi).catch((error: Error) => (message = error.message));
    expect(message).to.match(/has no abi array/);
    await listContractArtifacts({ root: tmp }).catch((error: Error) => (message = error.message));
    expect(message).to.match(/no artifacts in .*compile the contracts first/);
  });

  it("gives typed handles that read and write the deployed contracts", async () => {
    const e = await freshEconomy();
    try {
      const deployment = sampleDeployment();
      deployment.contracts.AlphaPools.address = e.pools.address;
      deployment.contracts.AlphaPoolsExtension.address = e.extension.address;
      deployment.contracts.SubnetRegistry.address = e.registry.address;
      deployment.contracts.Metagraph.address = e.metagraph.address;
      deployment.contracts.RootDividends.address = e.rootDividends.address;
      deployment.contracts.EpochSettlement.address = e.settlement.address;
      deployment.contracts.MarketsLens.address = e.lens.address;
      writeFileSync(path.join(tmp, "31337.json"), JSON.stringify(deployment));

      const {
        contracts,
        deployment: loaded,
        errorAbi,
      } = await connectDeployment(31337, e.publicClient, {
        deploymentsDir: tmp,
      });
      expect(loaded.network).to.equal("localhost");
      expect(errorAbi.some((item) => item.name === "DeadlineExpired")).to.equal(true);
      expect(await contracts.MarketsLens.read.markets()).to.deep.equal([]);
      expect(await contracts.SubnetRegistry.read.lockCost()).to.equal(await e.registry.read.lockCost());

      // A handle with a wallet writes: register a subnet through it.
      const wallet = e.wallets[0]!;
      const writable = contractHandles(loaded, await loadContractAbis(loaded), { public: e.publicClient, wallet });
      const cost = await writable.SubnetRegistry.read.lockCost();
      // The owner's hotkey is its own account id (a hotkey proves control of itself).
      const hotkey = await writable.AlphaPools.read.coldkeyOf([wallet.account.address]);
      await e.wait(
        await writable.SubnetRegistry.write.registerNetwork([hotkey, "Apex", cost], {
          value: cost * 1_000_000_000n,
        }),
      );
      expect(await writable.SubnetRegistry.read.activeNetuids()).to.deep.equal([1]);
    } finally {
      await e.connection.close();
    }
  });
});
