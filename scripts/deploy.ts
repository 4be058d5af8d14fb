/**
 * Deploys the subnet economy model through Ignition and exports `deployments/<chainId>.json`.
 *
 *   npx hardhat run scripts/deploy.ts --network localhost     # ignition/parameters/local.json
 *   npx hardhat run scripts/deploy.ts --network evmTestnet    # ignition/parameters/evmTestnet.json
 *   npx hardhat run scripts/deploy.ts                         # in-process chain, local.json, nothing exported
 *
 * On Bittensor (bittensorTestnet, bittensorMainnet) the runtime itself provides the pools, stake and emission, so
 * the model is not deployed there. Env DEPLOY_PARAMETERS=<name> picks another parameters file.
 *
 * `deployAndExport` is also what `npm start` (scripts/start.ts) uses against its local node.
 */
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";

import hre from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";

import {
  CONTRACT_NAMES,
  exportDeployments,
  ignitionDeploymentDir,
  PROJECT_ROOT,
  type DeploymentsFile,
} from "./export-deployments.ts";
import { deployEconomy, loadParameters, type Economy } from "./lib/economy.ts";

/** Networks where Bittensor's runtime provides the economy natively: nothing of the model is deployed. */
export const NATIVE_ECONOMY_NETWORKS = new Set(["bittensorTestnet", "bittensorMainnet"]);

/** The parameters file (ignition/parameters/<name>.json) used for a network. */
export function parametersNameFor(networkName: string): string {
  if (process.env.DEPLOY_PARAMETERS) return process.env.DEPLOY_PARAMETERS;
  if (networkName === "localhost" || networkName === "default" || networkName === "node") return "local";
  if (existsSync(path.join(PROJECT_ROOT, "ignition", "parameters", `${networkName}.json`))) return networkName;
  throw new Error(
    `No deployment parameters for network "${networkName}": add ignition/parameters/${networkName}.json ` +
      `or set DEPLOY_PARAMETERS=<name of a file in ignition/parameters>`,
  );
}

export interface DeployOptions {
  /** ignition/parameters/<name>.json */
  parametersName: string;
  /** Ignition's deployment id (folder under ignition/deployments); defaults to chain-<chainId>. */
  deploymentId?: string;
  /** Discard any previous Ignition state for this deployment id first (a fresh chain). */
  fresh?: boolean;
  /** Show Ignition's progress UI. */
  displayUi?: boolean;
  /** Where the deployments file goes (defaults to deployments/, env DEPLOYMENTS_DIR). */
  outDir?: string;
  /** Extra keys for the deployments file. */
  extra?: Record<string, unknown>;
}

export interface DeployResult {
  economy: Economy;
  chainId: number;
  /** The exported file, or undefined on an in-process chain (nothing outlives the script there). */
  file?: string;
  data?: DeploymentsFile;
}

/**
 * Ignition keeps a journal per chain id. A local node restarts from block 0 with the same chain id, so an old
 * journal points at contracts that no longer exist: when the recorded addresses have no code, drop that state.
 */
async function dropStaleJournal(connection: NetworkConnection, deploymentDir: string): Promise<boolean> {
  const addressesFile = path.join(deploymentDir, "deployed_addresses.json");
  if (!existsSync(deploymentDir)) return false;
  let stale = !existsSync(addressesFile);
  if (!stale) {
    const addresses = Object.values(JSON.parse(await readFile(addressesFile, "utf8")) as Record<string, string>);
    const publicClient = await connection.viem.getPublicClient();
    for (const address of addresses) {
      const code = await publicClient.getCode({ address: address as `0x${string}` });
      if (code === undefined || code === "0x") stale = true;
    }
  }
  if (stale) await rm(deploymentDir, { recursive: true, force: true });
  return stale;
}

/** Deploys (or resumes) the model through Ignition on `connection` and exports the deployments file. */
export async function deployAndExport(connection: NetworkConnection, options: DeployOptions): Promise<DeployResult> {
  const { viem } = connection;
  const publicClient = await viem.getPublicClient();
  const chainId = await publicClient.getChainId();
  const inProcess = connection.networkConfig.type === "edr-simulated";
  const deploymentId = options.deploymentId ?? `chain-${chainId}`;
  const deploymentDir = ignitionDeploymentDir(deploymentId);

  if (!inProcess) {
    if (options.fresh) await rm(deploymentDir, { recursive: true, force: true });
    else if (await dropStaleJournal(connection, deploymentDir)) {
      console.log(`Dropped ${path.relative(PROJECT_ROOT, deploymentDir)}: its contracts are not on this chain`);
    }
  }

  const parameters = await loadParameters(options.parametersName);
  const economy = await deployEconomy(connection, parameters, {
    displayUi: options.displayUi,
    ...(inProcess ? {} : { deploymentId }),
  });
  if (inProcess) return { economy, chainId };

  const { file, data } = await exportDeployments({
    deploymentDir,
    chainId,
    outDir: options.outDir,
    extra: {
      network: connection.networkName,
      deploymentId,
      parametersFile: `ignition/parameters/${options.parametersName}.json`,
      ...options.extra,
      parameters,
    },
  });
  return { economy, chainId, file, data };
}

async function main(): Promise<void> {
  const networkName = hre.globalOptions.network || "default";
  if (NATIVE_ECONOMY_NETWORKS.has(networkName)) {
    console.log(
      `Nothing to deploy on ${networkName}: Bittensor's runtime provides the subnet pools, stake and emission ` +
        `natively (the staking and metagraph precompiles), so the model contracts are only for the local chain ` +
        `and other EVM chains. The wrappers over the precompiles are deployed there instead.`,
    );
    return;
  }
  const parametersName = parametersNameFor(networkName);
  const connection = await hre.network.create();
  try {
    console.log(`Deploying the subnet economy to ${networkName} with ignition/parameters/${parametersName}.json`);
    const { chainId, file, data, economy } = await deployAndExport(connection, { parametersName, displayUi: true });
    if (file && data) {
      console.log(`\nWrote ${path.relative(process.cwd(), file)} (chain ${chainId})`);
      for (const name of CONTRACT_NAMES) {
        const c = data.contracts[name];
        console.log(`  ${name.padEnd(15)} ${c.address}  from block ${c.startBlock}`);
      }
    } else {
      console.log(`\nDeployed on the in-process chain ${chainId} (gone when this script ends; nothing exported):`);
      console.log(`  AlphaPools      ${economy.pools.address}`);
      console.log(`  SubnetRegistry  ${economy.registry.address}`);
      console.log(`  Metagraph       ${economy.metagraph.address}`);
      console.log(`  MarketsLens     ${economy.lens.address}`);
      console.log(`Use --network localhost with a running node (npm start) or --network evmTestnet to keep it.`);
    }
  } finally {
    await connection.close();
  }
}

// Runs as a script (`hardhat run scripts/deploy.ts`), not when start.ts imports `deployAndExport`.
const thisFile = import.meta.filename;
if (process.argv.slice(1).some((arg) => path.resolve(arg) === thisFile)) {
  await main();
}
