/**
 * Funds on a chain: the three strategy implementations (MiningFund, AllocatorFund, SubnetIndexFund) and the
 * FundFactory that clones them, the initializer calls of each kind, and the entries `deployments/<chainId>.json`
 * needs. Used by `npm start`, `npm run bench` and the `fund:*` Hardhat tasks.
 *
 *   const deployed = await deployFundFactory(connection, precompiles);   // precompiles: where they answer
 *   const fund = await createFund(connection, deployed.factory.address, "mining", salt, miningInitData(...));
 */
import type { NetworkConnection } from "hardhat/types/network";
import { type Address, encodeFunctionData, getAddress, type Hex, keccak256, toHex } from "viem";

import { artifactPathOf } from "../../client/deployment.ts";
import { type InstalledPrecompiles, PRECOMPILE_ADDRESSES, stakingClientPrecompiles } from "./precompiles.ts";

export interface DeployedContract {
  address: Address;
  startBlock: number;
}

export interface FundContracts {
  factory: DeployedContract;
  mining: DeployedContract;
  allocator: DeployedContract;
  index: DeployedContract;
  /** The precompile addresses the implementations call (StakingClient's struct) and the neuron precompile. */
  precompiles: ReturnType<typeof stakingClientPrecompiles> & { neuron: Address };
}

/** The factory's `Kind` enum, by name. */
export const FUND_KINDS = { mining: 0, allocator: 1, index: 2 } as const;
export type FundKind = keyof typeof FUND_KINDS;

/** The fund's position: direct stake on (netuid, hotkey), or a liquid vault's shares (`vault` set). */
export interface FundPosition {
  netuid: number;
  hotkey: Hex;
  vault: Address;
}

export interface FundRoles {
  governance: Address;
  guardian: Address;
  manager: Address;
  feeRecipient: Address;
}

/** `IFundEngine.EngineConfig`. */
export interface EngineConfig {
  name: string;
  symbol: string;
  roles: FundRoles;
  managementFeeBps: number;
  performanceFeeBps: number;
  noticePeriodSeconds: number;
  timelockSeconds: number;
  maxSlippageBps: number;
  minRedemptionShares: bigint;
  positions: FundPosition[];
}

/** `MiningFund.RaiseTerms`. */
export interface RaiseTerms {
  softCapRao: bigint;
  hardCapRao: bigint;
  startTime: bigint;
  endTime: bigint;
  minContributionRao: bigint;
  maxContributionRao: bigint;
  allowlistRoot: Hex;
  organization: Address;
  organizationAllocationBps: number;
  vestingCliffSeconds: bigint;
  vestingDurationSeconds: bigint;
}

export interface AllocatorSettings {
  caps: { netuid: number; capRao: bigint }[];
}

export interface IndexSettings {
  /** One per position (0 = uncapped). */
  maxWeightsBps: number[];
  toleranceBps: number;
  minRebalanceIntervalSeconds: number;
}

export const ZERO_ADDRESS: Address = "0x0000000000000000000000000000000000000000";
export const ZERO_ROOT: Hex = `0x${"00".repeat(32)}`;

/** A salt from a label (the same label from the same creator gives the same fund address). */
export function saltOf(label: string): Hex {
  return keccak256(toHex(label));
}

export interface DeployFundsOptions {
  log?: (line: string) => void;
}

/**
 * Deploys the three implementations (calling the precompiles at `precompiles.addresses`: Bittensor's own on its
 * chains, the adapters elsewhere) and the factory over them.
 */
export async function deployFundFactory(
  connection: NetworkConnection,
  precompiles: Pick<InstalledPrecompiles, "addresses">,
  options: DeployFundsOptions = {},
): Promise<FundContracts> {
  const { viem } = connection;
  const publicClient = await viem.getPublicClient();
  const at = async (contract: { address: Address }): Promise<DeployedContract> => ({
    address: getAddress(contract.address),
    startBlock: Number(await publicClient.getBlockNumber()),
  });
  const client = stakingClientPrecompiles(precompiles);
  const neuron = precompiles.addresses.Neuron;
  const mining = await at(await viem.deployContract("MiningFund", [client, neuron]));
  const allocator = await at(await viem.deployContract("AllocatorFund", [client]));
  const index = await at(await viem.deployContract("SubnetIndexFund", [client]));
  const factory = await at(
    await viem.deployContract("FundFactory", [mining.address, allocator.address, index.address]),
  );
  options.log?.(`funds: factory ${factory.address} (mining, allocator and index implementations)`);
  return { factory, mining, allocator, index, precompiles: { ...client, neuron } };
}

/** Bittensor's precompile addresses, for a deployment on Bittensor itself. */
export const BITTENSOR_PRECOMPILES: Pick<InstalledPrecompiles, "addresses"> = {
  addresses: { ...PRECOMPILE_ADDRESSES },
};

/** `MiningFund.initialize(engine, terms)` calldata. */
export async function miningInitData(connection: NetworkConnection, engine: EngineConfig, terms: RaiseTerms) {
  const { abi } = await connection.viem.getContractAt("MiningFund", ZERO_ADDRESS);
  return encodeFunctionData({ abi, functionName: "initialize", args: [engine, terms] });
}

/** `AllocatorFund.initialize(engine, netuids, caps)` calldata. */
export async function allocatorInitData(
  connection: NetworkConnection,
  engine: EngineConfig,
  settings: AllocatorSettings,
) {
  const { abi } = await connection.viem.getContractAt("AllocatorFund", ZERO_ADDRESS);
  return encodeFunctionData({
    abi,
    functionName: "initialize",
    args: [engine, settings.caps.map((c) => c.netuid), settings.caps.map((c) => c.capRao)],
  });
}

/** `SubnetIndexFund.initialize(engine, maxWeights, tolerance, interval)` calldata. */
export async function indexInitData(connection: NetworkConnection, engine: EngineConfig, settings: IndexSettings) {
  const { abi } = await connection.viem.getContractAt("SubnetIndexFund", ZERO_ADDRESS);
  return encodeFunctionData({
    abi,
    functionName: "initialize",
    args: [engine, settings.maxWeightsBps, settings.toleranceBps, settings.minRebalanceIntervalSeconds],
  });
}

export interface CreatedFund {
  address: Address;
  kind: FundKind;
  startBlock: number;
  transactionHash: Hex;
}

/**
 * Clones and initialises a fund through the factory, sent by `account` (the first wallet by default). The address
 * is known before the transaction (`predictFund`), so a caller can show it while waiting.
 */
export async function createFund(
  connection: NetworkConnection,
  factoryAddress: Address,
  kind: FundKind,
  salt: Hex,
  initData: Hex,
  account?: Address,
): Promise<CreatedFund> {
  const { viem } = connection;
  const publicClient = await viem.getPublicClient();
  const [wallet] = await viem.getWalletClients();
  const from = account ?? wallet?.account.address;
  if (from === undefined) throw new Error("the network has no account to create the fund from");
  const factory = await viem.getContractAt("FundFactory", factoryAddress);
  const address = await factory.read.predictFund([FUND_KINDS[kind], from, salt]);
  const hash = await factory.write.createFund([FUND_KINDS[kind], salt, initData], { account: from });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`createFund (${kind}) reverted (tx ${hash})`);
  return { address: getAddress(address), kind, startBlock: Number(receipt.blockNumber), transactionHash: hash };
}

/** What `exportDeployments` adds for funds: the factory and the implementations. */
export function fundDeploymentEntries(funds: FundContracts, created: Record<string, CreatedFund> = {}) {
  const entry = (d: DeployedContract, contractName: string) => ({
    address: d.address,
    startBlock: d.startBlock,
    artifact: artifactPathOf(`contracts/funds/${contractName}.sol`, contractName),
  });
  return {
    additionalContracts: {
      FundFactory: { ...entry(funds.factory, "FundFactory"), precompiles: funds.precompiles },
      MiningFundImplementation: entry(funds.mining, "MiningFund"),
      AllocatorFundImplementation: entry(funds.allocator, "AllocatorFund"),
      SubnetIndexFundImplementation: entry(funds.index, "SubnetIndexFund"),
    },
    extra: {
      funds: Object.fromEntries(
        Object.entries(created).map(([label, f]) => [
          label,
          { address: f.address, kind: f.kind, startBlock: f.startBlock },
        ]),
      ),
    },
  };
}
