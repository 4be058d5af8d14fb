/**
 * What the `fund:*` task actions share: failing well (scripts/lib/cli.ts: one line, exit 2 for bad input, 1 for an
 * expected failure, no stack trace), the connection to the network Hardhat was given, the deployments file of that
 * chain, and reading a fund's status.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { NetworkConnection } from "hardhat/types/network";
import { type Address, getAddress, isAddress } from "viem";

import { CommandError, envValue, InputError, reportError } from "../lib/cli.ts";
import type { FundStatus } from "../lib/fund-config.ts";
import { BITTENSOR_PRECOMPILES, type FundKind } from "../lib/funds.ts";
import type { PrecompileName } from "../lib/precompiles.ts";

const PROJECT_ROOT = path.resolve(import.meta.dirname, "../..");

/** Runs a task's body; a failure becomes one line on stderr and the exit code. */
export function fundAction<A>(name: string, body: (args: A, hre: HardhatRuntimeEnvironment) => Promise<void>) {
  return async (args: A, hre: HardhatRuntimeEnvironment): Promise<void> => {
    try {
      await body(args, hre);
    } catch (error) {
      process.exitCode = reportError({ name: `hardhat ${name}`, usage: "" }, error);
    }
  };
}

export interface TaskConnection {
  connection: NetworkConnection;
  chainId: number;
  networkName: string;
}

/** Connects to the network given with --network (the in-process chain without it). */
export async function connect(hre: HardhatRuntimeEnvironment): Promise<TaskConnection> {
  const connection = await hre.network.create();
  const publicClient = await connection.viem.getPublicClient();
  const chainId = await publicClient.getChainId();
  return { connection, chainId, networkName: connection.networkName };
}

/** deployments/<chainId>.json (DEPLOYMENTS_DIR moves the folder, as for `npm start`). */
export function deploymentsFile(chainId: number): string {
  return path.join(envValue("DEPLOYMENTS_DIR") ?? path.join(PROJECT_ROOT, "deployments"), `${chainId}.json`);
}

export interface FundsDeploymentView {
  chainId?: number;
  contracts?: Record<string, { address?: string; startBlock?: number } | undefined>;
  precompiles?: { addresses?: Record<string, string> };
  funds?: Record<string, { address: string; kind: FundKind; startBlock?: number }>;
}

export async function readDeployments(chainId: number): Promise<FundsDeploymentView> {
  try {
    return JSON.parse(await readFile(deploymentsFile(chainId), "utf8")) as FundsDeploymentView;
  } catch {
    return {};
  }
}

/** Merges `update` into deployments/<chainId>.json (creating it), keeping every other field. */
export async function updateDeployments(
  chainId: number,
  update: (current: FundsDeploymentView) => FundsDeploymentView,
): Promise<string> {
  const file = deploymentsFile(chainId);
  const current = await readDeployments(chainId);
  const next = update({ ...current, chainId });
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(next, null, 2)}\n`);
  await rename(tmp, file);
  return file;
}

/** Bittensor's EVM chains: testnet and mainnet. */
const BITTENSOR_CHAIN_IDS = [945, 964];

/**
 * Where the precompiles answer on `chainId`: Bittensor's own addresses on Bittensor, else the addresses listed in
 * deployments/<chainId>.json (the adapters `npm start` installs), or undefined when the file lists none.
 */
export async function precompileAddressesOf(chainId: number): Promise<Record<PrecompileName, Address> | undefined> {
  if (BITTENSOR_CHAIN_IDS.includes(chainId)) return BITTENSOR_PRECOMPILES.addresses;
  return (await readDeployments(chainId)).precompiles?.addresses as Record<PrecompileName, Address> | undefined;
}

/** The fund named by --fund: an address, or a symbol listed under `funds` in the deployments file. */
export async function resolveFund(raw: string, chainId: number): Promise<Address> {
  if (raw === "") throw new InputError("--fund is required: the fund's address, or its symbol in the deployments file");
  if (isAddress(raw, { strict: false })) return getAddress(raw);
  const listed = (await readDeployments(chainId)).funds ?? {};
  const entry = listed[raw];
  if (entry) return getAddress(entry.address);
  const known = Object.keys(listed);
  throw new InputError(
    `--fund must be an address or a fund symbol of ${deploymentsFile(chainId)}` +
      (known.length ? ` (${known.join(", ")})` : " (it lists none)") +
      `, got ${raw}`,
  );
}

/** The fund's kind, from the functions only its strategy has. */
export async function fundKindOf(connection: NetworkConnection, fund: Address): Promise<FundKind> {
  const publicClient = await connection.viem.getPublicClient();
  const code = await publicClient.getCode({ address: fund });
  if (code === undefined || code === "0x") throw new CommandError(`no contract at ${fund} on this chain`);
  const mining = await connection.viem.getContractAt("MiningFund", fund);
  const index = await connection.viem.getContractAt("SubnetIndexFund", fund);
  const allocator = await connection.viem.getContractAt("AllocatorFund", fund);
  const answers = async (read: () => Promise<unknown>) =>
    read().then(
      () => true,
      () => false,
    );
  if (await answers(() => mining.read.phase())) return "mining";
  if (await answers(() => index.read.toleranceBps())) return "index";
  if (await answers(() => allocator.read.queues())) return "allocator";
  throw new CommandError(`${fund} is not a fund (it answers none of the fund strategies' functions)`);
}

const PHASES = ["raising", "succeeded", "failed"] as const;

/** Everything `fund:status` shows, read from the chain. */
export async function readFundStatus(connection: NetworkConnection, fund: Address): Promise<FundStatus> {
  const kind = await fundKindOf(connection, fund);
  const f = await connection.viem.getContractAt("MiningFund", fund);
  const positions = await f.read.positions();
  const status: FundStatus = {
    address: fund,
    kind,
    name: await f.read.name(),
    symbol: await f.read.symbol(),
    navRao: await f.read.navRao(),
    grossAssetsRao: await f.read.grossAssetsRao(),
    idleRao: await f.read.idleRao(),
    reservedRao: await f.read.reservedRao(),
    totalSupply: await f.read.totalSupply(),
    sharePriceRaoPerShareWad: await f.read.sharePriceRaoPerShareWad(),
    managementFeeBps: await f.read.managementFeeBps(),
    performanceFeeBps: await f.read.performanceFeeBps(),
    maxSlippageBps: await f.read.maxSlippageBps(),
    noticePeriodSeconds: await f.read.noticePeriodSeconds(),
    timelockSeconds: await f.read.timelockSeconds(),
    isShutDown: await f.read.isShutDown(),
    queue: {
      head: await f.read.queueHead(),
      tail: await f.read.queueTail(),
      lockedShares: await f.read.lockedShares(),
    },
    roles: await f.read.roles(),
    positions: await Promise.all(
      positions.map(async (p, i) => {
        const movingPriceRaoPerAlpha = await f.read.movingPriceRaoPerAlpha([p.netuid]);
        return {
          netuid: p.netuid,
          hotkey: p.hotkey,
          vault: getAddress(p.vault),
          alphaRao: await f.read.positionAlphaRao([BigInt(i)]),
          movingPriceRaoPerAlpha,
          valueRao: await f.read.positionValueRao([BigInt(i)]),
        };
      }),
    ),
  };
  if (kind === "mining") {
    const terms = await f.read.terms();
    status.raise = {
      phase: PHASES[await f.read.phase()] ?? "raising",
      totalRaisedRao: await f.read.totalRaisedRao(),
      softCapRao: terms.softCapRao,
      hardCapRao: terms.hardCapRao,
      startTime: terms.startTime,
      endTime: terms.endTime,
    };
  }
  if (kind === "mining") {
    status.budget = {
      recipient: await f.read.budgetRecipient(),
      rateRaoPerSecond: await f.read.budgetRateRaoPerSecond(),
      capRao: await f.read.budgetCapRao(),
      spentRao: await f.read.budgetSpentRao(),
      availableRao: await f.read.budgetAvailableRao(),
    };
  }
  if (kind === "index") {
    const index = await connection.viem.getContractAt("SubnetIndexFund", fund);
    status.targetWeightsBps = [...(await index.read.targetWeightsBps())];
  }
  return status;
}

/** A non-negative integer option. */
export function integerOption(raw: string, option: string, min: number, max: number): number {
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new InputError(`--${option} must be an integer from ${min} to ${max}, got ${raw === "" ? "nothing" : raw}`);
  }
  return value;
}
