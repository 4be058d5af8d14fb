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
 * On Bittensor (bittensorTestnet, bittensorMainnet) the runtime itself provides the pools, stake, emission and Yuma
 * Consensus, so the model is not deployed there: the command deploys liquid staking (the Ignition module
 * `LiquidStaking`: vault factory and allocation router) against Bittensor's own precompiles.
 *
 * `deployAndExport` is also what `npm start` (scripts/start.ts) uses against its local node.
 */
import { existsSync, readdirSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";

import hre from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";

import { type Address, getAddress, isAddress } from "viem";

import { formatRaoAsTao } from "../client/index.ts";
import {
  checkHttpUrl,
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
  MODULE_CONTRACTS,
  PROJECT_ROOT,
  type DeploymentsFile,
} from "./export-deployments.ts";
import { deployEconomy, loadParameters, type Economy } from "./lib/economy.ts";
import { deployLiquidStaking, liquidDeploymentEntries, minDepositRao } from "./lib/liquid.ts";
import { PRECOMPILE_ADDRESSES } from "./lib/precompiles.ts";

/** Networks where Bittensor's runtime provides the economy natively: only liquid staking is deployed there. */
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

Deploys through Ignition and writes deployments/<chainId>.json: the subnet economy model on the local chain and
other EVM chains; liquid staking (vault factory and allocation router) on Bittensor, against its precompiles.

Options:
  --network <name>     a network of hardhat.config.ts (default: default, the in-process chain: a dry run
                       that keeps nothing). localhost = a running node (npm start); evmTestnet = any EVM
                       chain; bittensorTestnet, bittensorMainnet = Bittensor's EVM (see below)
  --parameters <name>  ignition/parameters/<name>.json (default: local for localhost, else the network's
                       name); or DEPLOY_PARAMETERS=<name>
  -h, --help           print this help

Keys and endpoints (the environment, or Hardhat's keystore: npx hardhat keystore set <NAME>):
  EVM_RPC_URL, EVM_PRIVATE_KEY   evmTestnet
  BITTENSOR_PRIVATE_KEY          bittensorTestnet, bittensorMainnet
  BITTENSOR_TESTNET_RPC_URL, BITTENSOR_MAINNET_RPC_URL   your own endpoint instead of the public one

On Bittensor the runtime itself provides the pools, stake, emission and Yuma Consensus, so the model is not
deployed there: liquid staking is, calling the runtime's precompiles (0x…0805 staking, 0x…0808 alpha, 0x…0803
subnet, 0x…080C address mapping). Its parameters are the LiquidStaking section of the parameters file:
governance and guardian (addresses; the deploying account when absent, except on bittensorMainnet, where both
must be set) and minDepositRao.
Environment: DEPLOYMENTS_DIR (where <chainId>.json goes), IGNITION_DEPLOYMENT_ID (Ignition's deployment folder,
default chain-<chainId>), DEBUG=1 (stacks of unexpected errors).`;

const DEPLOY = {
  name: "npm run deploy",
  usage: USAGE,
  options: { network: { type: "string" }, parameters: { type: "string" } },
} as const satisfies CommandSpec;

export interface LiquidParameters {
  governance?: Address;
  guardian?: Address;
  minDepositRao: bigint;
}

/**
 * The `LiquidStaking` section of a parameters file, checked: addresses where addresses go, a positive whole minimum
 * deposit in rao; governance and guardian required where `required` (mainnet: a deployer key must not hold them).
 */
export function checkLiquidParameters(section: unknown, file: string, required: boolean): LiquidParameters {
  const fields = section === undefined ? {} : section;
  if (fields === null || typeof fields !== "object" || Array.isArray(fields)) {
    throw new InputError(`${file}: LiquidStaking must be an object`);
  }
  const known = new Set(["governance", "guardian", "minDepositRao"]);
  const unknown = Object.keys(fields).find((key) => !known.has(key));
  if (unknown !== undefined) {
    throw new InputError(`${file}: LiquidStaking.${unknown} is not a parameter (governance, guardian, minDepositRao)`);
  }
  const f = fields as Record<string, unknown>;
  const address = (key: "governance" | "guardian"): Address | undefined => {
    const value = f[key];
    if (value === undefined) {
      if (required) throw new InputError(`${file}: LiquidStaking.${key} must be set on this network (an address)`);
      return undefined;
    }
    if (typeof value !== "string" || !isAddress(value, { strict: false }) || BigInt(value) === 0n) {
      throw new InputError(`${file}: LiquidStaking.${key} must be a non-zero address, got ${JSON.stringify(value)}`);
    }
    return getAddress(value);
  };
  const min = f.minDepositRao ?? minDepositRao();
  if (typeof min !== "bigint" || min <= 0n) {
    throw new InputError(
      `${file}: LiquidStaking.minDepositRao must be a positive whole number of rao written "<digits>n", ` +
        `got ${JSON.stringify(typeof min === "bigint" ? `${min}n` : min)}`,
    );
  }
  return { governance: address("governance"), guardian: address("guardian"), minDepositRao: min };
}

/** Deploys liquid staking on Bittensor against its own precompiles and exports the deployments file. */
async function deployOnBittensor(
  connection: NetworkConnection,
  parametersName: string,
  parameters: LiquidParameters,
  deploymentIdOption: string | undefined,
): Promise<void> {
  const publicClient = await connection.viem.getPublicClient();
  const [wallet] = await connection.viem.getWalletClients();
  const chainId = await publicClient.getChainId();
  const deploymentId = deploymentIdOption ?? `chain-${chainId}`;
  const native = { atRealAddresses: true, addresses: { ...PRECOMPILE_ADDRESSES } };
  console.log(
    `Deploying liquid staking to ${connection.networkName} (chain ${chainId}) against Bittensor's precompiles, ` +
      `with ignition/parameters/${parametersName}.json; the model is not deployed (the runtime is the economy)`,
  );
  const liquid = await deployLiquidStaking(connection, native, {
    ...parameters,
    deploymentId,
    displayUi: true,
  });
  const { file, data } = await exportDeployments({
    deploymentDir: ignitionDeploymentDir(deploymentId),
    chainId,
    ...liquidDeploymentEntries(native, liquid),
    extra: {
      network: connection.networkName,
      deploymentId,
      parametersFile: `ignition/parameters/${parametersName}.json`,
      ...liquidDeploymentEntries(native, liquid).extra,
    },
  });
  console.log(`\nWrote ${path.relative(process.cwd(), file)} (chain ${chainId})`);
  for (const name of MODULE_CONTRACTS.LiquidStaking) {
    const c = data.contracts[name as keyof typeof data.contracts];
    console.log(`  ${name.padEnd(19)} ${c.address}  from block ${c.startBlock}`);
  }
  const deployer = wallet === undefined ? "(none)" : getAddress(wallet.account.address);
  console.log(
    `Governance ${parameters.governance ?? `${deployer} (the deploying account)`}, ` +
      `guardian ${parameters.guardian ?? `${deployer} (the deploying account)`}, ` +
      `minimum deposit ${formatRaoAsTao(parameters.minDepositRao)} TAO. Vaults are created on demand: ` +
      `LiquidVaultFactory.createVault(netuid, hotkey).`,
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
  await checkNetworkVariables(networkName, config);
  const deploymentId = envValue("IGNITION_DEPLOYMENT_ID");
  if (deploymentId !== undefined && !/^[a-zA-Z][a-zA-Z0-9_-]*$/.test(deploymentId)) {
    throw new InputError(
      `IGNITION_DEPLOYMENT_ID must start with a letter and hold only letters, digits, _ and -, got ${deploymentId}`,
    );
  }
  const native = NATIVE_ECONOMY_NETWORKS.has(networkName);
  if (native) {
    const name = networkName === "bittensorTestnet" ? "BITTENSOR_TESTNET_RPC_URL" : "BITTENSOR_MAINNET_RPC_URL";
    const url = envValue(name);
    if (url !== undefined) checkHttpUrl(name, url);
  }
  const parametersName = parametersNameFor(networkName, options.parameters ?? envValue("DEPLOY_PARAMETERS"));
  const liquidParameters = native
    ? checkLiquidParameters(
        await loadParameters(parametersName, "LiquidStaking"),
        `ignition/parameters/${parametersName}.json`,
        networkName === "bittensorMainnet",
      )
    : undefined;

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
    if (liquidParameters !== undefined) {
      await deployOnBittensor(connection, parametersName, liquidParameters, deploymentId);
      return 0;
    }
    console.log(`Deploying the subnet economy to ${networkName} with ignition/parameters/${parametersName}.json`);
    const { chainId, file, data, economy } = await deployAndExport(connection, {
      parametersName,
      deploymentId,
      displayUi: true,
    });
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
