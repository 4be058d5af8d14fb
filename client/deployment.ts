/**
 * `deployments/<chainId>.json` and typed contract handles over it.
 *
 * The deployments file is what `npm start`, `npm run deploy` and `npm run export-deployments` write: the chain id,
 * and per contract its address, the block it was deployed in (where a log scan starts) and the Hardhat artifact
 * that holds its ABI, plus facts such as the network name and the deployment parameters.
 *
 * `parseDeployment` validates the parsed JSON (every problem names its field); `contractHandles` turns it and the
 * ABIs into viem contracts typed from the artifacts. Reading the files is `node.ts`'s job, so the dApp can use this
 * module with ABIs it bundles.
 */
import type { ArtifactMap } from "hardhat/types/artifacts";
import { getContract, type Address, type Client, type GetContractReturnType } from "viem";

/**
 * The contracts of a deployment, in the file's order. The only list of their names.
 *
 * `AlphaPools` carries the whole interface of the pools (its artifact is the ABI users need): the functions that
 * run in `AlphaPoolsExtension` are typed stubs on it that delegatecall the extension, which refuses direct calls.
 * The extension is listed for completeness (its address and start block), not to be called.
 */
export const CONTRACT_NAMES = [
  "AlphaPools",
  "AlphaPoolsExtension",
  "SubnetRegistry",
  "Metagraph",
  "RootDividends",
  "EpochSettlement",
  "MarketsLens",
] as const;
export type ContractName = (typeof CONTRACT_NAMES)[number];

export interface DeployedContract {
  address: Address;
  /** Block of the deployment transaction's receipt: where a log scan for this contract starts. */
  startBlock: number;
  /** The Hardhat artifact with this contract's ABI, relative to the project root (absent in older files). */
  artifact?: string;
}

export interface DeploymentsFile {
  chainId: number;
  contracts: Record<ContractName, DeployedContract>;
  /** Extra facts for readers, e.g. `network`, `rpcUrl`, `blockIntervalMs`, `parameters` (JSON-safe). */
  [key: string]: unknown;
}

/** A deployments file that does not have the expected shape; the message names the field. */
export class DeploymentError extends Error {
  override name = "DeploymentError";
}

/** Where Hardhat writes a contract's artifact, relative to the project root. */
export function artifactPathOf(sourceName: string, contractName: string): string {
  return `artifacts/${sourceName}/${contractName}.json`;
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Validates a parsed deployments file. `source` names it in messages (a path, or "deployments file"). */
export function parseDeployment(json: unknown, source = "deployments file"): DeploymentsFile {
  const fail = (field: string, want: string, got: unknown): never => {
    throw new DeploymentError(`${source}: ${field} must be ${want}, got ${JSON.stringify(got) ?? String(got)}`);
  };
  if (!isRecord(json)) return fail("the file", "a JSON object", json);
  const chainId = json.chainId;
  if (typeof chainId !== "number" || !Number.isSafeInteger(chainId) || chainId <= 0) {
    fail("chainId", "a positive integer", chainId);
  }
  const contracts = json.contracts;
  if (!isRecord(contracts)) return fail("contracts", "an object keyed by contract name", contracts);
  for (const name of CONTRACT_NAMES) {
    const entry = contracts[name];
    if (!isRecord(entry)) fail(`contracts.${name}`, "an object with address and startBlock", entry);
    const c = entry as Record<string, unknown>;
    if (typeof c.address !== "string" || !ADDRESS.test(c.address)) {
      fail(`contracts.${name}.address`, "a 0x-prefixed 20-byte hex address", c.address);
    }
    if (typeof c.startBlock !== "number" || !Number.isSafeInteger(c.startBlock) || c.startBlock < 0) {
      fail(`contracts.${name}.startBlock`, "a block number (an integer ≥ 0)", c.startBlock);
    }
    if (c.artifact !== undefined && (typeof c.artifact !== "string" || c.artifact === "")) {
      fail(`contracts.${name}.artifact`, "a path to a Hardhat artifact", c.artifact);
    }
  }
  return json as DeploymentsFile;
}

/** Each contract's ABI, typed from the Hardhat artifacts (`artifacts/**\/artifacts.d.ts`). */
export type ContractAbi<N extends ContractName> = ArtifactMap[N]["abi"];
export type ContractAbis = { readonly [N in ContractName]: ContractAbi<N> };

/** A viem client, or `{ public, wallet }` for reads and writes (as viem's `getContract` takes). */
export type ContractClient = Client | { public?: Client; wallet: Client } | { public: Client; wallet?: Client };

export type ContractHandles<C extends ContractClient> = {
  readonly [N in ContractName]: GetContractReturnType<ContractAbi<N>, C, Address>;
};

/** Typed viem contracts for every contract of a deployment. */
export function contractHandles<C extends ContractClient>(
  deployment: DeploymentsFile,
  abis: ContractAbis,
  client: C,
): ContractHandles<C> {
  const handles: Record<string, unknown> = {};
  for (const name of CONTRACT_NAMES) {
    handles[name] = getContract({ address: deployment.contracts[name].address, abi: abis[name], client });
  }
  return handles as ContractHandles<C>;
}
