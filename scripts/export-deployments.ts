/**
 * Exports an Ignition deployment of the subnet economy to `deployments/<chainId>.json`, the one file the keeper and
 * the dApp read: flat, stable keys with each contract's address and the block it was deployed in (where log scans
 * start), plus the chain id and the deployment parameters that matter to readers.
 *
 *   npm run export-deployments                      # ignition/deployments/chain-31337
 *   npm run export-deployments -- --chain-id 945    # ignition/deployments/chain-945
 *   npm run export-deployments -- --deployment-id my-deployment
 *
 * `scripts/deploy.ts` and `scripts/start.ts` call `exportDeployments` after deploying.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

export const PROJECT_ROOT = path.resolve(import.meta.dirname, "..");
export const DEFAULT_DEPLOYMENTS_DIR = path.join(PROJECT_ROOT, "deployments");
export const IGNITION_DEPLOYMENTS_DIR = path.join(PROJECT_ROOT, "ignition", "deployments");

/** The Ignition module id and the exported contract names, in deployment-file order. */
export const MODULE_ID = "SubnetEconomy";
export const CONTRACT_NAMES = ["AlphaPools", "SubnetRegistry", "Metagraph", "MarketsLens"] as const;
export type ContractName = (typeof CONTRACT_NAMES)[number];

export interface DeployedContract {
  address: `0x${string}`;
  /** Block of the deployment transaction's receipt: where a log scan for this contract starts. */
  startBlock: number;
}

export interface DeploymentsFile {
  chainId: number;
  contracts: Record<ContractName, DeployedContract>;
  /** Extra facts for readers, e.g. `network`, `rpcUrl`, `blockIntervalMs`, `parameters` (JSON-safe). */
  [key: string]: unknown;
}

export interface ExportOptions {
  /** Ignition's deployment folder; defaults to ignition/deployments/chain-<chainId>. */
  deploymentDir?: string;
  /** Expected chain id; read from the journal when omitted. */
  chainId?: number;
  /** Where `<chainId>.json` goes; defaults to `deployments/` (env DEPLOYMENTS_DIR overrides). */
  outDir?: string;
  /** Extra top-level keys (network name, RPC URL, block interval, parameters, …). */
  extra?: Record<string, unknown>;
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
): Promise<{ chainId: number; contracts: Record<ContractName, DeployedContract> }> {
  const addressesFile = path.join(deploymentDir, "deployed_addresses.json");
  const journalFile = path.join(deploymentDir, "journal.jsonl");
  let addresses: Record<string, string>;
  let journal: string;
  try {
    addresses = JSON.parse(await readFile(addressesFile, "utf8")) as Record<string, string>;
    journal = await readFile(journalFile, "utf8");
  } catch (error) {
    throw new Error(
      `No Ignition deployment in ${path.relative(PROJECT_ROOT, deploymentDir) || deploymentDir} ` +
        `(${(error as Error).message}). Deploy first: npx hardhat run scripts/deploy.ts --network <name>`,
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

  const contracts = {} as Record<ContractName, DeployedContract>;
  for (const name of CONTRACT_NAMES) {
    const futureId = `${MODULE_ID}#${name}`;
    const address = addresses[futureId];
    const startBlock = receiptBlocks.get(futureId);
    if (!address || !/^0x[0-9a-fA-F]{40}$/.test(address)) throw new Error(`${addressesFile} lacks ${futureId}`);
    if (startBlock === undefined) throw new Error(`${journalFile} has no deployment receipt for ${futureId}`);
    contracts[name] = { address: address as `0x${string}`, startBlock };
  }
  return { chainId, contracts };
}

/** Writes `<outDir>/<chainId>.json` from Ignition's deployment folder; returns the path and the content. */
export async function exportDeployments(options: ExportOptions = {}): Promise<{ file: string; data: DeploymentsFile }> {
  const deploymentDir =
    options.deploymentDir ??
    (options.chainId !== undefined ? ignitionDeploymentDir(options.chainId) : ignitionDeploymentDir(31337));
  const { chainId, contracts } = await readIgnitionDeployment(deploymentDir);
  if (options.chainId !== undefined && options.chainId !== chainId) {
    throw new Error(`${deploymentDir} is a deployment on chain ${chainId}, not ${options.chainId}`);
  }
  const data: DeploymentsFile = {
    chainId,
    contracts,
    ...(toJsonSafe(options.extra ?? {}) as Record<string, unknown>),
  };
  const dir = deploymentsDir(options.outDir);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${chainId}.json`);
  // Write then rename, so a reader (the dApp, the keeper) never sees a half-written file.
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(data, null, 2)}\n`);
  await rename(tmp, file);
  return { file, data };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "chain-id": { type: "string" },
      "deployment-id": { type: "string" },
      out: { type: "string" },
    },
  });
  const chainId = values["chain-id"] !== undefined ? Number(values["chain-id"]) : undefined;
  if (chainId !== undefined && !Number.isSafeInteger(chainId)) throw new Error(`bad --chain-id ${values["chain-id"]}`);
  const deploymentDir = values["deployment-id"] ? ignitionDeploymentDir(values["deployment-id"]) : undefined;
  const { file, data } = await exportDeployments({ chainId, deploymentDir, outDir: values.out });
  console.log(`Wrote ${path.relative(process.cwd(), file)} (chain ${data.chainId})`);
  for (const name of CONTRACT_NAMES) {
    const c = data.contracts[name];
    console.log(`  ${name.padEnd(15)} ${c.address}  from block ${c.startBlock}`);
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
