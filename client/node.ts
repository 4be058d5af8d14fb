/**
 * The client library's file readers, for Node only (scripts, the keeper, tests): the deployments file, the ABIs in
 * the Hardhat artifacts, and typed contract handles built from both. The browser imports `index.ts` instead.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

import type { Abi } from "viem";

import {
  CONTRACT_NAMES,
  contractHandles,
  DeploymentError,
  parseDeployment,
  type ContractAbis,
  type ContractClient,
  type ContractHandles,
  type DeploymentsFile,
} from "./deployment.ts";
import { errorAbi, type AbiError } from "./errors.ts";

/** The repository root (this file lives in `<root>/client`). */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, "..");

export interface FileOptions {
  /** The project root (artifacts/ and deployments/ live under it); defaults to this repository. */
  root?: string;
  /** The folder of `<chainId>.json`; defaults to `<root>/deployments`. */
  deploymentsDir?: string;
}

async function readJson(file: string, what: string, hint: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DeploymentError(`${what} ${file} ${code === "ENOENT" ? "does not exist" : "cannot be read"}: ${hint}`, {
      cause: error,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DeploymentError(`${what} ${file} is not valid JSON (${(error as Error).message})`, { cause: error });
  }
}

/** Reads and validates `deployments/<chainId>.json`. */
export async function loadDeployment(chainId: number, options: FileOptions = {}): Promise<DeploymentsFile> {
  const root = options.root ?? PROJECT_ROOT;
  const file = path.join(options.deploymentsDir ?? path.join(root, "deployments"), `${chainId}.json`);
  const json = await readJson(
    file,
    "the deployments file",
    "start a local chain with `npm start`, or deploy with `npm run deploy -- --network <name>`",
  );
  const deployment = parseDeployment(json, path.relative(process.cwd(), file) || file);
  if (deployment.chainId !== chainId) {
    throw new DeploymentError(`${file} is a deployment on chain ${deployment.chainId}, not ${chainId}`);
  }
  return deployment;
}

/** The `abi` of a Hardhat artifact file. */
export async function readArtifactAbi(file: string): Promise<Abi> {
  const json = await readJson(file, "the artifact", "compile the contracts first (`npx hardhat compile`)");
  const abi = (json as { abi?: unknown }).abi;
  if (!Array.isArray(abi)) throw new DeploymentError(`the artifact ${file} has no abi array`);
  return abi as Abi;
}

/** Every artifact under `artifacts/contracts` (the project's contracts; tests and build info live elsewhere). */
export async function listContractArtifacts(options: FileOptions = {}): Promise<string[]> {
  const dir = path.join(options.root ?? PROJECT_ROOT, "artifacts", "contracts");
  let entries: string[];
  try {
    entries = await readdir(dir, { recursive: true });
  } catch (error) {
    throw new DeploymentError(`no artifacts in ${dir}: compile the contracts first (\`npx hardhat compile\`)`, {
      cause: error,
    });
  }
  return entries
    .filter((entry) => entry.endsWith(".json") && !entry.endsWith(".dbg.json"))
    .sort()
    .map((entry) => path.join(dir, entry));
}

/**
 * Each deployed contract's ABI, from the artifact the deployments file names (or, for an older file without
 * artifact paths, the artifact of that contract name under `artifacts/contracts`).
 */
export async function loadContractAbis(deployment: DeploymentsFile, options: FileOptions = {}): Promise<ContractAbis> {
  const root = options.root ?? PROJECT_ROOT;
  let all: string[] | undefined;
  const abis: Record<string, Abi> = {};
  for (const name of CONTRACT_NAMES) {
    let file: string | undefined;
    const recorded = deployment.contracts[name].artifact;
    if (recorded !== undefined) file = path.resolve(root, recorded);
    else {
      all ??= await listContractArtifacts(options);
      file = all.find((f) => path.basename(f) === `${name}.json`);
      if (file === undefined) throw new DeploymentError(`no artifact for ${name} under artifacts/contracts`);
    }
    abis[name] = await readArtifactAbi(file);
  }
  return abis as unknown as ContractAbis;
}

/** The error ABI of every project contract (for `decodeError`). */
export async function loadProjectErrorAbi(options: FileOptions = {}): Promise<AbiError[]> {
  const files = await listContractArtifacts(options);
  return errorAbi(await Promise.all(files.map(readArtifactAbi)));
}

/** The deployment on `chainId`, typed contract handles on `client`, and the project's error ABI. */
export async function connectDeployment<C extends ContractClient>(
  chainId: number,
  client: C,
  options: FileOptions = {},
): Promise<{ deployment: DeploymentsFile; contracts: ContractHandles<C>; errorAbi: AbiError[] }> {
  const deployment = await loadDeployment(chainId, options);
  const [abis, errors] = await Promise.all([loadContractAbis(deployment, options), loadProjectErrorAbi(options)]);
  return { deployment, contracts: contractHandles(deployment, abis, client), errorAbi: errors };
}
