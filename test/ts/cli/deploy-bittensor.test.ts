/**
 * `npm run deploy -- --network bittensorTestnet` end to end, against a stand-in for Bittensor's EVM: a `hardhat node`
 * with chain id 945 whose precompile addresses answer through the model's adapters (installPrecompiles), reached
 * through BITTENSOR_TESTNET_RPC_URL. The command deploys liquid staking only (the runtime is the economy there),
 * against the precompiles' real addresses, and a vault the factory then creates takes a deposit through them.
 */
import { expect } from "chai";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { network } from "hardhat";
import { getAddress, parseEther, type Address } from "viem";

import { checkLiquidParameters } from "../../../scripts/deploy.ts";
import { ignitionDeploymentDir } from "../../../scripts/export-deployments.ts";
import { deployEconomy, loadParameters } from "../../../scripts/lib/economy.ts";
import { minDepositRao } from "../../../scripts/lib/liquid.ts";
import { installPrecompiles, PRECOMPILE_ADDRESSES } from "../../../scripts/lib/precompiles.ts";
import { startHardhatNode, type NodeProcess } from "../helpers/node.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
/** Hardhat's fifth default account: funded on the node, and not the account that deploys the stand-in's model. */
const DEPLOYER_KEY = "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba";
const DEPLOYER = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";

function deployCli(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["scripts/deploy.ts", "--network", "bittensorTestnet"], {
      cwd: ROOT,
      env: { ...process.env, CI: "", DEBUG: "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 240_000);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("deploy --network bittensorTestnet (against a chain-945 node whose precompiles are the adapters)", function () {
  this.timeout(600_000);
  let node: NodeProcess | undefined;
  const tmp = mkdtempSync(path.join(tmpdir(), "deploy-bittensor-"));
  // Ignition keeps a journal per deployment id in ignition/deployments; the test's own ids, removed afterwards (a
  // journal left from an earlier run would point at contracts a fresh node does not have).
  const deploymentId = `test-bittensor-${process.pid}`;
  const standInId = `test-bittensor-model-${process.pid}`;

  after(async () => {
    await node?.stop();
    rmSync(tmp, { recursive: true, force: true });
    rmSync(ignitionDeploymentDir(deploymentId), { recursive: true, force: true });
    rmSync(ignitionDeploymentDir(standInId), { recursive: true, force: true });
  });

  it("deploys liquid staking against the real precompile addresses; a created vault takes a deposit", async () => {
    node = await startHardhatNode({ chainId: 945 });
    const connection = await network.create({ network: "localhost", override: { url: node.url } });
    const { viem } = connection;
    const publicClient = await viem.getPublicClient();
    expect(await publicClient.getChainId()).to.equal(945);

    // The stand-in: the model behind the adapters at Bittensor's addresses, and one started subnet.
    const economy = await deployEconomy(connection, await loadParameters("local"), { deploymentId: standInId });
    const installed = await installPrecompiles(connection, economy);
    expect(installed.atRealAddresses).to.equal(true);
    await economy.pools.write.fundEmissionReserve({ value: parseEther("1000") });
    const [owner, user] = await viem.getWalletClients();
    const hotkey = await economy.pools.read.coldkeyOf([owner!.account.address]);
    const cost = await economy.registry.read.lockCost();
    await economy.registry.write.registerNetwork([hotkey, "bittensor stand-in", cost], { value: cost * 10n ** 9n });
    const netuid = (await economy.registry.read.activeNetuids()).at(-1)!;
    await economy.registry.write.startCall([netuid]);

    const r = await deployCli({
      BITTENSOR_PRIVATE_KEY: DEPLOYER_KEY,
      BITTENSOR_TESTNET_RPC_URL: node.url,
      DEPLOYMENTS_DIR: tmp,
      IGNITION_DEPLOYMENT_ID: deploymentId,
    });
    expect(r.code, `${r.stdout}\n${r.stderr}`).to.equal(0);
    expect(r.stdout).to.include(
      "Deploying liquid staking to bittensorTestnet (chain 945) against Bittensor's precompiles",
    );
    expect(r.stdout).to.include(`Governance ${DEPLOYER} (the deploying account)`);

    const file = path.join(tmp, "945.json");
    expect(existsSync(file)).to.equal(true);
    const written = JSON.parse(readFileSync(file, "utf8")) as {
      chainId: number;
      network: string;
      contracts: Record<string, { address: Address; startBlock: number; artifact: string; precompiles?: unknown }>;
      precompiles: { answeredBy: string; atRealAddresses: boolean; addresses: Record<string, string> };
    };
    expect(written.chainId).to.equal(945);
    expect(written.network).to.equal("bittensorTestnet");
    // The runtime is the economy: none of the model's contracts is in the file.
    expect(Object.keys(written.contracts)).to.deep.equal(["LiquidVaultFactory", "AllocationRouter", "LiquidVaultCode"]);
    const real = {
      staking: PRECOMPILE_ADDRESSES.StakingV2,
      alpha: PRECOMPILE_ADDRESSES.Alpha,
      subnet: PRECOMPILE_ADDRESSES.Subnet,
      addressMapping: PRECOMPILE_ADDRESSES.AddressMapping,
    };
    expect(written.contracts.LiquidVaultFactory!.precompiles).to.deep.equal(real);
    expect(written.contracts.AllocationRouter!.precompiles).to.deep.equal(real);
    expect(written.precompiles.answeredBy).to.equal("runtime");
    expect(written.precompiles.addresses).to.deep.equal(PRECOMPILE_ADDRESSES);
    for (const c of Object.values(written.contracts)) {
      expect(await publicClient.getCode({ address: c.address }), c.artifact).to.not.equal(undefined);
      expect(existsSync(path.join(ROOT, c.artifact)), c.artifact).to.equal(true);
    }

    const factory = await viem.getContractAt("LiquidVaultFactory", written.contracts.LiquidVaultFactory!.address);
    expect(getAddress(await factory.read.owner())).to.equal(DEPLOYER);
    expect(await factory.read.MIN_DEPOSIT_RAO()).to.equal(minDepositRao());
    await publicClient.waitForTransactionReceipt({ hash: await factory.write.createVault([netuid, hotkey]) });
    const vault = await viem.getContractAt("LiquidAlphaVault", await factory.read.vaultFor([netuid, hotkey]));
    expect(getAddress((await vault.read.precompiles()).staking)).to.equal(PRECOMPILE_ADDRESSES.StakingV2);
    const hash = await vault.write.deposit([user!.account.address, 1n, 2n ** 64n - 1n, 2n ** 40n], {
      value: parseEther("2"),
      account: user!.account,
    });
    expect((await publicClient.waitForTransactionReceipt({ hash })).status).to.equal("success");
    expect((await vault.read.balanceOf([user!.account.address])) > 0n).to.equal(true);
    await connection.close();

    // Run again: Ignition resumes the same deployment (nothing new is sent) and the file keeps its addresses.
    const again = await deployCli({
      BITTENSOR_PRIVATE_KEY: DEPLOYER_KEY,
      BITTENSOR_TESTNET_RPC_URL: node.url,
      DEPLOYMENTS_DIR: tmp,
      IGNITION_DEPLOYMENT_ID: deploymentId,
    });
    expect(again.code, `${again.stdout}\n${again.stderr}`).to.equal(0);
    const rewritten = JSON.parse(readFileSync(file, "utf8")) as typeof written;
    expect(rewritten.contracts).to.deep.equal(written.contracts);
  });
});

describe("deploy: the LiquidStaking parameters", () => {
  const file = "ignition/parameters/x.json";
  const fails = (section: unknown, required = false) => {
    try {
      checkLiquidParameters(section, file, required);
    } catch (error) {
      return (error as Error).message;
    }
    return "no error";
  };

  it("defaults: the deploying account governs, the minimum deposit is the chain's minimum stake plus its fee", () => {
    expect(checkLiquidParameters({}, file, false)).to.deep.equal({
      governance: undefined,
      guardian: undefined,
      minDepositRao: minDepositRao(),
    });
  });

  it("names each bad field", () => {
    expect(fails([])).to.equal(`${file}: LiquidStaking must be an object`);
    expect(fails({ owner: "0x1" })).to.equal(
      `${file}: LiquidStaking.owner is not a parameter (governance, guardian, minDepositRao)`,
    );
    expect(fails({ governance: "0x12" })).to.equal(
      `${file}: LiquidStaking.governance must be a non-zero address, got "0x12"`,
    );
    expect(fails({ guardian: `0x${"0".repeat(40)}` })).to.match(/LiquidStaking\.guardian must be a non-zero address/);
    expect(fails({ minDepositRao: 0n })).to.equal(
      `${file}: LiquidStaking.minDepositRao must be a positive whole number of rao written "<digits>n", got "0n"`,
    );
    expect(fails({ minDepositRao: 5 })).to.match(/minDepositRao must be a positive whole number of rao .* got 5$/);
  });

  it("on mainnet, governance and guardian must be chosen", () => {
    expect(fails({}, true)).to.equal(`${file}: LiquidStaking.governance must be set on this network (an address)`);
    expect(fails({ governance: DEPLOYER }, true)).to.equal(
      `${file}: LiquidStaking.guardian must be set on this network (an address)`,
    );
    expect(checkLiquidParameters({ governance: DEPLOYER, guardian: DEPLOYER }, file, true).guardian).to.equal(DEPLOYER);
  });
});
