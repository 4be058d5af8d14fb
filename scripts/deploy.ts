/**
 * Deploys the subnet economy model through Ignition and exports `deployments/<chainId>.json`.
 *
 *   npm run deploy -- --network localhost      # a running node (npm start); ignition/parameters/local.json
 *   npm run deploy -- --network evmTestnet     # any EVM chain: EVM_RPC_URL, EVM_PRIVATE_KEY
 *   npm run deploy                             # the in-process chain: a dry run, nothing kept
 *
 * `npm run deploy` is `node scripts/deploy.ts`, so the options are this script's own (USAGE below); it still runs
 * under `npx hardhat run scripts/deploy.ts --network <name>` too, taking Hardhat's --network.
 * Before anything connects it checks the network's name, its keys (environment or keystore) and the parameters
 * file, then that the RPC URL answers with the expected chain id; each mistake is one line (scripts/lib/cli.ts).
 *
 * On Bittensor (bittensorTestnet, bittensorMainnet) the runtime itself provides the pools, stake and emission, so
 * nothing of this project is deployed there (the command checks the key and says so).
 *
 * `deployAndExport` is also what `npm start` (scripts/start.ts) uses against its local node.
 */
import { existsSync, readdirSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";

import hre from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";

import {
  CommandError,
  envValue,
  InputError,
  isMainModule,
  probeRpc,
  reportError,
  runCommand,
  type CommandSpec,
} from "./lib/cli.ts";
import { checkNetworkVariables } from "./lib/config-vars.ts";

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

const PARAMETERS_DIR = path.join(PROJECT_ROOT, "ignition", "parameters");

/** The parameters file (ignition/parameters/<name>.json) used for a network: `chosen` (an option) or the default. */
export function parametersNameFor(networkName: string, chosen = envValue("DEPLOY_PARAMETERS")): string {
  const available = () =>
    readdirSync(PARAMETERS_DIR)
      .filter((f) => f.endsWith(".json"))
      .map((f) => f.slice(0, -5))
      .join(", ");
  if (chosen !== undefined) {
    if (!existsSync(path.join(PARAMETERS_DIR, `${chosen}.json`))) {
      throw new InputError(`no ignition/parameters/${chosen}.json; the parameters files are: ${available()}`);
    }
    return chosen;
  }
  if (networkName === "localhost" || networkName === "default" || networkName === "node") return "local";
  if (existsSync(path.join(PARAMETERS_DIR, `${networkName}.json`))) return networkName;
  throw new InputError(
    `no deployment parameters for the network ${networkName}: add ignition/parameters/${networkName}.json ` +
      `or pick a file with --parameters <name> (${available()})`,
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

const USAGE = `Usage: npm run deploy -- [--network <name>] [--parameters <name>]

Deploys the subnet economy model through Ignition and writes deployments/<chainId>.json.

Options:
  --network <name>     a network of hardhat.config.ts (default: default, the in-process chain: a dry run
                       that keeps nothing). localhost = a running node (npm start); evmTestnet = any EVM
                       chain; bittensorTestnet, bittensorMainnet = nothing is deployed there (see below)
  --parameters <name>  ignition/parameters/<name>.json (default: local for localhost, else the network's
                       name); or DEPLOY_PARAMETERS=<name>
  -h, --help           print this help

Keys and endpoints (the environment, or Hardhat's keystore: npx hardhat keystore set <NAME>):
  EVM_RPC_URL, EVM_PRIVATE_KEY   evmTestnet
  BITTENSOR_PRIVATE_KEY          bittensorTestnet, bittensorMainnet

On Bittensor the runtime itself provides the pools, stake and emission, so the model is not deployed there.
Environment: DEPLOYMENTS_DIR (where <chainId>.json goes), DEBUG=1 (stacks of unexpected errors).`;

const DEPLOY = {
  name: "npm run deploy",
  usage: USAGE,
  options: { network: { type: "string" }, parameters: { type: "string" } },
} as const satisfies CommandSpec;

/** What `npm run deploy` does on a network where nothing of this project is deployed. */
function nativeEconomyMessage(networkName: string, chainId: number | undefined, keys: string[]): string {
  const chain = chainId === undefined ? "" : ` (chain ${chainId})`;
  return (
    `${keys.join(", ")}: set. Nothing is deployed on ${networkName}${chain}: Bittensor's runtime itself provides ` +
    `the subnet pools, stake, emission and Yuma Consensus (its staking and metagraph precompiles), so the economy ` +
    `model (${CONTRACT_NAMES.join(", ")}) is only for the local chain and other EVM chains. Liquid staking ` +
    `(contracts/staking) is written for Bittensor's precompiles, but this command does not deploy it yet. ` +
    `No transaction was sent and no deployments file was written.`
  );
}

/** The deploy command: every check first, then the deployment. */
async function deployCommand(options: { network: string; parameters?: string }): Promise<number> {
  const networkName = options.network;
  const config = hre.config.networks[networkName];
  if (config === undefined) {
    throw new InputError(
      `unknown network ${networkName}; hardhat.config.ts has: ${Object.keys(hre.config.networks).join(", ")}`,
    );
  }
  // The key first: nothing below should run (or ask for the keystore's password) without it.
  const variables = await checkNetworkVariables(networkName, config);
  if (NATIVE_ECONOMY_NETWORKS.has(networkName)) {
    console.log(
      nativeEconomyMessage(
        networkName,
        config.chainId,
        variables.map((v) => v.name),
      ),
    );
    return 0;
  }
  const parametersName = parametersNameFor(networkName, options.parameters ?? envValue("DEPLOY_PARAMETERS"));
  if (config.type === "http") {
    const url = await config.url.getUrl();
    const chainId = await probeRpc(`the network ${networkName}`, url);
    if (config.chainId !== undefined && config.chainId !== chainId) {
      throw new CommandError(
        `${url} is chain ${chainId}, but hardhat.config.ts says ${networkName} is chain ${config.chainId}`,
      );
    }
  }

  // `hardhat run` compiles before running a script; `node scripts/deploy.ts` has to ask.
  await hre.tasks.getTask("build").run({ quiet: true, noTests: true });
  const connection = await hre.network.create(networkName);
  try {
    console.log(`Deploying the subnet economy to ${networkName} with ignition/parameters/${parametersName}.json`);
    const { chainId, file, data, economy } = await deployAndExport(connection, { parametersName, displayUi: true });
    if (file && data) {
      console.log(`\nWrote ${path.relative(process.cwd(), file)} (chain ${chainId})`);
      for (const name of CONTRACT_NAMES) {
        const c = data.contracts[name];
        console.log(`  ${name.padEnd(19)} ${c.address}  from block ${c.startBlock}`);
      }
    } else {
      console.log(`\nDeployed on the in-process chain ${chainId} (gone when this script ends; nothing exported):`);
      const addresses: Record<(typeof CONTRACT_NAMES)[number], string> = {
        AlphaPools: economy.pools.address,
        AlphaPoolsExtension: economy.extension.address,
        SubnetRegistry: economy.registry.address,
        Metagraph: economy.metagraph.address,
        RootDividends: economy.rootDividends.address,
        EpochSettlement: economy.settlement.address,
        MarketsLens: economy.lens.address,
      };
      for (const name of CONTRACT_NAMES) console.log(`  ${name.padEnd(19)} ${addresses[name]}`);
      console.log(`Use --network localhost with a running node (npm start) or --network evmTestnet to keep it.`);
    }
  } finally {
    await connection.close();
  }
  return 0;
}

if (isMainModule(import.meta.url)) {
  // `node scripts/deploy.ts …` (npm run deploy): the options are this script's.
  await runCommand(DEPLOY, ({ values }) =>
    deployCommand({ network: values.network ?? "default", parameters: values.parameters }),
  );
} else if (process.argv.slice(2).some((arg) => path.resolve(arg) === import.meta.filename)) {
  // `npx hardhat run scripts/deploy.ts --network <name>`: Hardhat owns the command line.
  try {
    process.exitCode = await deployCommand({ network: hre.globalOptions.network ?? "default" });
  } catch (error) {
    process.exitCode = reportError({ ...DEPLOY, name: "hardhat run scripts/deploy.ts" }, error);
  }
}
