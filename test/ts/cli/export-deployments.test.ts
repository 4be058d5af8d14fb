import { expect } from "chai";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { parseDeployment } from "../../../client/index.ts";
import { exportDeployments, MODULE_CONTRACTS } from "../../../scripts/export-deployments.ts";

const SOURCES: Record<string, string> = {
  AlphaPools: "contracts/model/AlphaPools.sol",
  AlphaPoolsExtension: "contracts/model/AlphaPoolsExtension.sol",
  SubnetRegistry: "contracts/model/SubnetRegistry.sol",
  Metagraph: "contracts/model/Metagraph.sol",
  RootDividends: "contracts/model/RootDividends.sol",
  MarketsLens: "contracts/lens/MarketsLens.sol",
  EpochSettlement: "contracts/model/EpochSettlement.sol",
  LiquidVaultFactory: "contracts/staking/LiquidVaultFactory.sol",
  AllocationRouter: "contracts/staking/AllocationRouter.sol",
  LiquidVaultCode: "contracts/staking/LiquidVaultCode.sol",
};

/**
 * An Ignition deployment folder as Ignition writes it (only the parts the export reads), holding `modules` (the
 * economy by default); `leave` drops one future, as a deployment interrupted half way would.
 */
function writeIgnitionDeployment(
  dir: string,
  chainId: number,
  firstAddress: number,
  modules: (keyof typeof MODULE_CONTRACTS)[] = ["SubnetEconomy"],
  leave?: string,
): void {
  mkdirSync(path.join(dir, "artifacts"), { recursive: true });
  const addresses: Record<string, string> = {};
  const journal = [JSON.stringify({ type: "DEPLOYMENT_INITIALIZE", chainId })];
  const futures = modules.flatMap((m) => MODULE_CONTRACTS[m].map((name) => ({ name, futureId: `${m}#${name}` })));
  futures.forEach(({ name, futureId }, i) => {
    if (futureId === leave) return;
    const address = `0x${(firstAddress + i).toString(16).padStart(40, "0")}`;
    addresses[futureId] = address;
    journal.push(JSON.stringify({ futureId, receipt: { blockNumber: 10 + i, contractAddress: address } }));
    writeFileSync(
      path.join(dir, "artifacts", `${futureId}.json`),
      JSON.stringify({ contractName: name, sourceName: SOURCES[name], abi: [] }),
    );
  });
  writeFileSync(path.join(dir, "deployed_addresses.json"), JSON.stringify(addresses));
  writeFileSync(path.join(dir, "journal.jsonl"), journal.join("\n") + "\n");
}

describe("export-deployments: deployments/<chainId>.json", () => {
  let tmp = "";
  beforeEach(() => {
    tmp = mkdtempSync(path.join(tmpdir(), "export-"));
  });
  afterEach(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  it("says where each contract's ABI lives (its Hardhat artifact)", async () => {
    writeIgnitionDeployment(path.join(tmp, "ignition"), 31337, 0x100);
    const { data } = await exportDeployments({ deploymentDir: path.join(tmp, "ignition"), outDir: tmp });
    expect(data.contracts.AlphaPools).to.deep.equal({
      address: "0x0000000000000000000000000000000000000100",
      startBlock: 10,
      artifact: "artifacts/contracts/model/AlphaPools.sol/AlphaPools.json",
    });
    expect(data.contracts.MarketsLens.artifact).to.equal("artifacts/contracts/lens/MarketsLens.sol/MarketsLens.json");
    parseDeployment(JSON.parse(readFileSync(path.join(tmp, "31337.json"), "utf8")));
  });

  it("a redeploy keeps every field of the file it replaces, and updates the contracts", async () => {
    const ignition = path.join(tmp, "ignition");
    writeIgnitionDeployment(ignition, 31337, 0x100);
    await exportDeployments({
      deploymentDir: ignition,
      outDir: tmp,
      extra: { network: "localhost", rpcUrl: "http://127.0.0.1:8545", blockIntervalMs: 2000, parameters: { a: 1n } },
    });
    // Fields written by someone else: at the top and inside a contract entry.
    const file = path.join(tmp, "31337.json");
    const edited = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown> & {
      contracts: Record<string, Record<string, unknown>>;
    };
    edited.keeper = { lastSettledBlock: 99 };
    edited.contracts.Metagraph!.note = "verified";
    edited.contracts.ExtraVault = { address: "0x0000000000000000000000000000000000000999", startBlock: 50 };
    writeFileSync(file, JSON.stringify(edited));

    rmSync(ignition, { recursive: true });
    writeIgnitionDeployment(ignition, 31337, 0x200);
    const { data } = await exportDeployments({ deploymentDir: ignition, outDir: tmp, extra: { network: "localhost" } });
    const written = JSON.parse(readFileSync(file, "utf8")) as typeof edited;
    expect(written).to.deep.equal(JSON.parse(JSON.stringify(data)));
    expect(written.rpcUrl).to.equal("http://127.0.0.1:8545");
    expect(written.blockIntervalMs).to.equal(2000);
    expect(written.parameters).to.deep.equal({ a: "1" });
    expect(written.keeper).to.deep.equal({ lastSettledBlock: 99 });
    expect(written.contracts.Metagraph).to.deep.equal({
      address: "0x0000000000000000000000000000000000000203",
      startBlock: 13,
      artifact: "artifacts/contracts/model/Metagraph.sol/Metagraph.json",
      note: "verified",
    });
    expect(written.contracts.ExtraVault).to.deep.equal({
      address: "0x0000000000000000000000000000000000000999",
      startBlock: 50,
    });
  });

  it("starts afresh over an unreadable file or one of another chain", async () => {
    const ignition = path.join(tmp, "ignition");
    writeIgnitionDeployment(ignition, 31337, 0x100);
    writeFileSync(path.join(tmp, "31337.json"), "{ truncated");
    const first = await exportDeployments({ deploymentDir: ignition, outDir: tmp });
    expect(Object.keys(first.data)).to.deep.equal(["chainId", "contracts"]);
    writeFileSync(path.join(tmp, "31337.json"), JSON.stringify({ chainId: 1, stale: true, contracts: {} }));
    const second = await exportDeployments({ deploymentDir: ignition, outDir: tmp });
    expect(second.data.stale).to.equal(undefined);
  });

  it("adds liquid staking's contracts from the journal, each with the precompile addresses it calls", async () => {
    const ignition = path.join(tmp, "ignition");
    writeIgnitionDeployment(ignition, 31337, 0x100, ["SubnetEconomy", "LiquidStaking"]);
    const precompiles = {
      staking: "0x0000000000000000000000000000000000000805",
      alpha: "0x0000000000000000000000000000000000000808",
      subnet: "0x0000000000000000000000000000000000000803",
      addressMapping: "0x000000000000000000000000000000000000080C",
    };
    const { data } = await exportDeployments({
      deploymentDir: ignition,
      outDir: tmp,
      contractFields: { LiquidVaultFactory: { precompiles } },
      extra: { precompiles: { atRealAddresses: true } },
    });
    expect(data.contracts.AlphaPools.address).to.equal("0x0000000000000000000000000000000000000100");
    const written = JSON.parse(readFileSync(path.join(tmp, "31337.json"), "utf8")) as {
      contracts: Record<string, { precompiles?: unknown; startBlock?: number; artifact?: string }>;
      precompiles: unknown;
    };
    const factory = written.contracts.LiquidVaultFactory!;
    expect(factory.precompiles).to.deep.equal(precompiles);
    // Its receipt's block: the economy's seven contracts come first in this journal.
    expect(factory.startBlock).to.equal(17);
    expect(factory.artifact).to.equal("artifacts/contracts/staking/LiquidVaultFactory.sol/LiquidVaultFactory.json");
    expect(written.contracts.AllocationRouter!.startBlock).to.equal(18);
    expect(written.precompiles).to.deep.equal({ atRealAddresses: true });
    parseDeployment(written);
  });

  it("adds contracts deployed outside Ignition (the funds), with their own start blocks", async () => {
    const ignition = path.join(tmp, "ignition");
    writeIgnitionDeployment(ignition, 31337, 0x100);
    const { data } = await exportDeployments({
      deploymentDir: ignition,
      outDir: tmp,
      additionalContracts: {
        FundFactory: {
          address: "0x0000000000000000000000000000000000000f01",
          startBlock: 40,
          artifact: "artifacts/contracts/funds/FundFactory.sol/FundFactory.json",
        },
      },
    });
    expect(data.contracts.AlphaPools.address).to.equal("0x0000000000000000000000000000000000000100");
    const written = JSON.parse(readFileSync(path.join(tmp, "31337.json"), "utf8")) as {
      contracts: Record<string, { startBlock: number }>;
    };
    expect(written.contracts.FundFactory!.startBlock).to.equal(40);
  });

  it("exports a deployment of liquid staking alone (Bittensor, whose runtime is the economy)", async () => {
    const ignition = path.join(tmp, "ignition");
    writeIgnitionDeployment(ignition, 945, 0x200, ["LiquidStaking"]);
    const { file, data } = await exportDeployments({ deploymentDir: ignition, outDir: tmp });
    expect(path.basename(file)).to.equal("945.json");
    expect(Object.keys(data.contracts)).to.deep.equal(["LiquidVaultFactory", "AllocationRouter", "LiquidVaultCode"]);
  });

  it("refuses a module deployed in part, naming the missing future", async () => {
    const ignition = path.join(tmp, "ignition");
    writeIgnitionDeployment(
      ignition,
      31337,
      0x100,
      ["SubnetEconomy", "LiquidStaking"],
      "LiquidStaking#AllocationRouter",
    );
    let message = "";
    await exportDeployments({ deploymentDir: ignition, outDir: tmp }).catch((e: Error) => (message = e.message));
    expect(message).to.match(/deployed_addresses\.json lacks LiquidStaking#AllocationRouter$/);
  });

  it("refuses fields for a contract the deployment does not have", async () => {
    const ignition = path.join(tmp, "ignition");
    writeIgnitionDeployment(ignition, 31337, 0x100);
    let message = "";
    await exportDeployments({
      deploymentDir: ignition,
      outDir: tmp,
      contractFields: { LiquidVaultFactory: { precompiles: {} } },
    }).catch((e: Error) => (message = e.message));
    expect(message).to.match(/has no LiquidVaultFactory$/);
  });
});
