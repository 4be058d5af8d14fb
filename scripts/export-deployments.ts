/**
 * Exports an Ignition deployment of the subnet economy to `deployments/<chainId>.json`, the one file the keeper and
 * the dApp read: flat, stable keys with each contract's address, the block it was deployed in (where log scans
 * start) and the Hardhat artifact that holds its ABI, plus the chain id and the deployment parameters that matter
 * to readers. Rewriting the file keeps every field it already had that the new export does not set.
 *
 *   npm run export-deployments                      # ignition/deployments/chain-31337
 *   npm run export-deployments -- --chain-id 945    # ignition/deployments/chain-945
 *   npm run export-deployments -- --deployment-id my-deployment
 *
 * `scripts/deploy.ts` and `scripts/start.ts` call `exportDeployments` after deploying.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

import {
  artifactPathOf,
  CONTRACT_NAMES,
  type ContractName,
  type DeployedContract,
  type DeploymentsFile,
} from "../client/deployment.ts";
import { CommandError, InputError, isMainModule, runCommand, type CommandSpec } from "./lib/cli.ts";

export { CONTRACT_NAMES, type ContractName, type DeployedContract, type DeploymentsFile };

export const PROJECT_ROOT = path.resolve(import.meta.dirname, "..");
export const DEFAULT_DEPLOYMENTS_DIR = path.join(PROJECT_ROOT, "deployments");
export const IGNITION_DEPLOYMENTS_DIR = path.join(PROJECT_ROOT, "ignition", "deployments");

/**
 * The Ignition modules a deployment may hold and their contracts, in deployment-file order: the subnet economy (the
 * client's CONTRACT_NAMES; not on Bittensor, whose runtime is the economy) and liquid staking. A module is in the file
 * whole or not at all.
 */
export const MODULE_CONTRACTS = {
  SubnetEconomy: CONTRACT_NAMES,
  LiquidStaking: ["LiquidVaultFactory", "AllocationRouter", "LiquidVaultCode"],
} as const satisfies Record<string, readonly string[]>;

export interface ExportOptions {
  /** Ignition's deployment folder; defaults to ignition/deployments/chain-<chainId>. */
  deploymentDir?: string;
  /** Expected chain id; read from the journal when omitted. */
  chainId?: number;
  /** Where `<chainId>.json` goes; defaults to `deployments/` (env DEPLOYMENTS_DIR overrides). */
  outDir?: string;
  /** Extra top-level keys (network name, RPC URL, block interval, parameters, …). */
  extra?: Record<string, unknown>;
  /**
   * Fields added to contracts of the deployment, by name: e.g. the precompile addresses a liquid staking contract
   * calls (`liquidDeploymentEntries` in scripts/lib/liquid.ts).
   */
  contractFields?: Record<string, Record<string, unknown>>;
  /**
   * Contracts deployed outside Ignition (the funds: `fundDeploymentEntries` in scripts/lib/funds.ts), added after the
   * modules' contracts; an entry may say which precompile addresses the contract calls (`precompiles`).
   */
  additionalContracts?: Record<string, DeployedContract & Record<string, unknown>>;
}

/** Ignition's deployment folder for a chain, or for an explicit deployment id. */
export function ignitionDeploymentDir(chainIdOrDeploymentId: number | string): string {
  const id = typeof chainIdOrDeploymentId === "number" ? `chain-${chainIdOrDeploymentId}` : chainIdOrDeploymentId;
  return path.join(IGNITION_DEPLOYMENTS_DIR, id);
}

/** The output folder: the option, else env DEPLOYMENTS_DIR, else `deployments/`. */
export function deploymentsDir(outDir?: string): string {
  return path.resolve(outDir ?? process.env.DEPLOYMENTS_DIR ?? DEFAULT_DEPLOYMENTS_DIR);
}

/** Turns bigints (as Ignition parameters hold them) into decimal strings so the result is plain JSON. */
export function toJsonSafe(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(toJsonSafe);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSafe(v)]));
  }
  return value;
}

interface JournalLine {
  type?: string;
  chainId?: number;
  futureId?: string;
  receipt?: { blockNumber?: number; contractAddress?: string };
}

/** Reads Ignition's deployment folder and returns the deployments file content (without writing it). */
export async function readIgnitionDeployment(
  deploymentDir: string,
): Promise<{ chainId: number; contracts: Record<string, DeployedContract> }> {
  const addressesFile = path.join(deploymentDir, "deployed_addresses.json");
  const journalFile = path.join(deploymentDir, "journal.jsonl");
  let addresses: Record<string, string>;
  let journal: string;
  try {
    addresses = JSON.parse(await readFile(addressesFile, "utf8")) as Record<string, string>;
    journal = await readFile(journalFile, "utf8");
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    throw new CommandError(
      `no Ignition deployment in ${path.relative(PROJECT_ROOT, deploymentDir) || deploymentDir}` +
        `${missing ? "" : ` (${(error as Error).message})`}: deploy first (npm start, or npm run deploy -- --network <name>)`,
      { cause: error },
    );
  }

  let chainId: number | undefined;
  const receiptBlocks = new Map<string, number>();
  for (const line of journal.split("\n")) {
    if (line.trim() === "") continue;
    const entry = JSON.parse(line) as JournalLine;
    if (entry.type === "DEPLOYMENT_INITIALIZE" && typeof entry.chainId === "number") chainId = entry.chainId;
    // A deployment's receipt carries the contract address; the last one per future wins (retries re-send).
    if (entry.futureId && entry.receipt?.contractAddress && typeof entry.receipt.blockNumber === "number") {
      receiptBlocks.set(entry.futureId, entry.receipt.blockNumber);
    }
  }
  if (chainId === undefined) throw new Error(`${journalFile} has no DEPLOYMENT_INITIALIZE entry`);

  const contracts: Record<string, DeployedContract> = {};
  for (const [moduleId, names] of Object.entries(MODULE_CONTRACTS)) {
    if (!Object.keys(addresses).some((futureId) => futureId.startsWith(`${moduleId}#`))) continue;
    for (const name of names) {
      const futureId = `${moduleId}#${name}`;
      const address = addresses[futureId];
      const startBlock = receiptBlocks.get(futureId);
      if (!address || !/^0x[0-9a-fA-F]{40}$/.test(address)) throw new Error(`${addressesFile} lacks ${futureId}`);
      if (startBlock === undefined) throw new Error(`${journalFile} has no deployment receipt for ${futureId}`);
      contracts[name] = {
        address: address as `0x${string}`,
        startBlock,
        artifact: await artifactOf(deploymentDir, futureId),
      };
    }
  }
  if (Object.keys(contracts).length === 0) {
    throw new CommandError(
      `${path.relative(PROJECT_ROOT, deploymentDir) || deploymentDir} deployed none of our modules`,
    );
  }
  return { chainId, contracts };
}

/** Where the project's artifact (and so the ABI) of a deployed contract lives, from Ignition's copy of it. */
async function artifactOf(deploymentDir: string, futureId: string): Promise<string> {
  const copy = path.join(deploymentDir, "artifacts", `${futureId}.json`);
  const { sourceName, contractName } = JSON.parse(await readFile(copy, "utf8")) as {
    sourceName?: string;
    contractName?: string;
  };
  if (!sourceName || !contractName) throw new Error(`${copy} has no sourceName or contractName`);
  return artifactPathOf(sourceName, contractName);
}

/** The deployments file already at `file` for this chain, or an empty one; its fields survive a new export. */
async function previousExport(file: string, chainId: number): Promise<Record<string, unknown>> {
  let previous: unknown;
  try {
    previous = JSON.parse(await readFile(file, "utf8"));
  } catch {
    return {}; // none yet, or unreadable: nothing to keep
  }
  const isObject = previous !== null && typeof previous === "object" && !Array.isArray(previous);
  return isObject && (previous as { chainId?: unknown }).chainId === chainId
    ? (previous as Record<string, unknown>)
    : {};
}

/** Writes `<outDir>/<chainId>.json` from Ignition's deployment folder; returns the path and the content. */
export async function exportDeployments(options: ExportOptions = {}): Promise<{ file: string; data: DeploymentsFile }> {
  const deploymentDir =
    options.deploymentDir ??
    (options.chainId !== undefined ? ignitionDeploymentDir(options.chainId) : ignitionDeploymentDir(31337));
  const { chainId, contracts } = await readIgnitionDeployment(deploymentDir);
  if (options.chainId !== undefined && options.chainId !== chainId) {
    throw new CommandError(`${deploymentDir} is a deployment on chain ${chainId}, not ${options.chainId}`);
  }
  const dir = deploymentsDir(options.outDir);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${chainId}.json`);
  // A redeploy keeps every field of the previous file that this export does not set (per contract too).
  const { chainId: _chainId, contracts: previousContracts, ...previousExtra } = await previousExport(file, chainId);
  const mergedContracts: Record<string, unknown> =
    previousContracts !== null && typeof previousContracts === "object" ? { ...previousContracts } : {};
  for (const [name, entry] of Object.entries(contracts)) {
    mergedContracts[name] = { ...(mergedContracts[name] as object | undefined), ...entry };
  }
  for (const [name, entry] of Object.entries(options.additionalContracts ?? {})) {
    mergedContracts[name] = { ...(mergedContracts[name] as object | undefined), ...(toJsonSafe(entry) as object) };
  }
  for (const [name, fields] of Object.entries(options.contractFields ?? {})) {
    if (contracts[name] === undefined) throw new Error(`the deployment in ${deploymentDir} has no ${name}`);
    mergedContracts[name] = { ...(mergedContracts[name] as object), ...(toJsonSafe(fields) as object) };
  }
  const data: DeploymentsFile = {
    chainId,
    contracts: mergedContracts as DeploymentsFile["contracts"],
    ...previousExtra,
    ...(toJsonSafe(options.extra ?? {}) as Record<string, unknown>),
  };
  // Write then rename, so a reader (the dApp, the keeper) never sees a half-written file.
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(data, null, 2)}\n`);
  await rename(tmp, file);
  return { file, data };
}

const EXPORT = {
  name: "npm run export-deployments",
  usage: `Usage: npm run export-deployments -- [--chain-id <id>] [--deployment-id <id>] [--out <dir>]

Writes deployments/<chainId>.json from an Ignition deployment (ignition/deployments/<id>), keeping the fields
the file already has.

Options:
  --chain-id <id>        read ignition/deployments/chain-<id> (default 31337)
  --deployment-id <id>   read ignition/deployments/<id> instead
  --out <dir>            write to <dir>/<chainId>.json (default deployments/, or DEPLOYMENTS_DIR)
  -h, --help             print this help`,
  options: { "chain-id": { type: "string" }, "deployment-id": { type: "string" }, out: { type: "string" } },
} as const satisfies CommandSpec;

if (isMainModule(import.meta.url)) {
  await runCommand(EXPORT, async ({ values }) => {
    const rawChainId = values["chain-id"];
    const chainId = rawChainId === undefined ? undefined : Number(rawChainId);
    if (chainId !== undefined && (!/^\d+$/.test(rawChainId!) || !Number.isSafeInteger(chainId) || chainId <= 0)) {
      throw new InputError(`--chain-id must be a positive integer, got ${rawChainId}`);
    }
    const deploymentId = values["deployment-id"];
    if (deploymentId !== undefined && !/^[a-zA-Z][a-zA-Z0-9_-]*$/.test(deploymentId)) {
      throw new InputError(
        `--deployment-id must start with a letter and hold only letters, digits, _ and -, got ${deploymentId}`,
      );
    }
    const deploymentDir = deploymentId ? ignitionDeploymentDir(deploymentId) : undefined;
    const { file, data } = await exportDeployments({ chainId, deploymentDir, outDir: values.out });
    console.log(`Wrote ${path.relative(process.cwd(), file)} (chain ${data.chainId})`);
    for (const name of CONTRACT_NAMES) {
      const c = data.contracts[name];
      console.log(`  ${name.padEnd(19)} ${c.address}  from block ${c.startBlock}  ABI in ${c.artifact}`);
    }
  });
}
