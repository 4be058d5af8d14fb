/**
 * Funds on a chain: the three strategy implementations (MiningFund, AllocatorFund, SubnetIndexFund) and the
 * FundFactory that clones them, the initializer calls of each kind, and the entries `deployments/<chainId>.json`
 * needs. Used by `npm start`, `npm run bench` and the `fund:*` Hardhat tasks.
 *
 *   const deployed = await deployFundFactory(connection, precompiles);   // precompiles: where they answer
 *   const fund = await createFund(connection, deployed.factory.address, "mining", salt, miningInitData(...));
 */
import type { NetworkConnection } from "hardhat/types/network";
import { type Account, type Address, encodeFunctionData, getAddress, type Hex, keccak256, toHex } from "viem";

import { artifactPathOf } from "../../client/deployment.ts";
import { gasWithHeadroom } from "../../client/gas.ts";
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

/* THE DEMO FUNDS OF `npm start` */

/** A place a demo fund may hold: a validator's hotkey on a subnet, and that validator's liquid vault if it has one. */
export interface DemoSubnet {
  netuid: number;
  name: string;
  hotkey: Hex;
  vault?: Address;
}

export interface SeedFundsOptions {
  /** The subnets, deepest pools last (as the seed registers them). */
  subnets: readonly DemoSubnet[];
  /** Accounts holding TAO (at least 6): three mining-fund investors, two allocator depositors, and the sixth and the
   * first deposit into the index. */
  investors: readonly Account[];
  log?: (line: string) => void;
}

export interface DemoFunds {
  mining: CreatedFund;
  allocator: CreatedFund;
  index: CreatedFund;
}

const DAY = 86_400n;
const TAO = 1_000_000_000n;

/**
 * Launches the three demo funds through the factory, from the first wallet (every role): a mining fund whose raise
 * fills its hard cap (so it closes at once, without waiting out its end), its investors' shares claimed and its
 * capital staked on two subnets, directly and through a vault; an allocator with two depositors, its supply queue
 * filled within the caps; the subnet index over every subnet, with two depositors, rebalanced. Stakes keep to 0.5 %
 * of a pool's TAO (the policy refuses prices more than its slippage above the moving price), and a position whose spot
 * price is out of the policy's band is left idle rather than failing the seed.
 */
export async function seedDemoFunds(
  connection: NetworkConnection,
  funds: FundContracts,
  options: SeedFundsOptions,
): Promise<DemoFunds> {
  const { viem } = connection;
  const publicClient = await viem.getPublicClient();
  const [wallet] = await viem.getWalletClients();
  if (!wallet) throw new Error("the network has no accounts to launch the demo funds from");
  if (options.investors.length < 6) throw new Error("the demo funds need 6 investors");
  if (options.subnets.length < 2) throw new Error("the demo funds need 2 subnets");
  const log = options.log ?? (() => undefined);
  const me = wallet.account.address;
  const wait = async (what: string, hash: Hex) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${what} reverted (tx ${hash})`);
  };
  const alpha = await viem.getContractAt("IAlphaPrecompile", funds.precompiles.alpha);
  /**
   * At most 0.5 % of the pool's TAO, so the fund's own trades stay within its slippage (a vault deposit is all or
   * nothing at its limit price, and it may follow a direct stake on the same pool).
   */
  const stakeSize = async (netuid: number, wantedRao: bigint) =>
    [wantedRao, BigInt(await alpha.read.getTaoInPool([netuid])) / 200n].reduce((a, b) => (a < b ? a : b));
  const engine = (name: string, symbol: string, positions: FundPosition[]): EngineConfig => ({
    name,
    symbol,
    roles: { governance: me, guardian: me, manager: me, feeRecipient: me },
    managementFeeBps: 200,
    performanceFeeBps: 1_000,
    noticePeriodSeconds: 3_600,
    timelockSeconds: 3_600 + Number(DAY),
    maxSlippageBps: 500,
    minRedemptionShares: 10n ** 16n,
    positions,
  });
  const direct = (s: DemoSubnet): FundPosition => ({ netuid: s.netuid, hotkey: s.hotkey, vault: ZERO_ADDRESS });
  const deepest = [...options.subnets].reverse();
  const [a, b, c] = [deepest[0]!, deepest[1]!, deepest[2] ?? deepest[0]!];
  const [i1, i2, i3, i4, i5, i6] = options.investors as [Account, Account, Account, Account, Account, Account];

  /* Mining fund */
  const now = (await publicClient.getBlock()).timestamp;
  const miningPositions = [direct(a), ...(a.vault ? [{ ...direct(a), vault: a.vault }] : []), direct(b)];
  const mining = await createFund(
    connection,
    funds.factory.address,
    "mining",
    saltOf("demo mining fund"),
    await miningInitData(connection, engine("Opentensor Miners Fund", "OTMINE", miningPositions), {
      softCapRao: 100n * TAO,
      hardCapRao: 300n * TAO,
      startTime: now,
      endTime: now + 7n * DAY,
      minContributionRao: TAO,
      maxContributionRao: 150n * TAO,
      allowlistRoot: ZERO_ROOT,
      organization: me,
      organizationAllocationBps: 1_000,
      vestingCliffSeconds: 30n * DAY,
      vestingDurationSeconds: 365n * DAY,
    }),
  );
  const miningFund = await viem.getContractAt("MiningFund", mining.address);
  for (const investor of [i1, i2, i3]) {
    await wait(
      "contribute",
      await miningFund.write.contribute([[]], { value: 100n * TAO * 10n ** 9n, account: investor }),
    );
  }
  // The hard cap is reached: it closes now. Finalising reads the NAV through the pools, and the node mines a block a
  // second while keepers send transactions, so the block it runs in may cost more than the estimate's: a margin, as
  // for the fund's other writes.
  const finalizeGas = await miningFund.estimateGas.finalize({ account: me });
  await wait("finalize", await miningFund.write.finalize({ gas: gasWithHeadroom(finalizeGas) }));
  for (const investor of [i1, i2, i3]) {
    await wait("claimShares", await miningFund.write.claimShares({ account: investor }));
  }
  const staked: string[] = [];
  for (const [index, position] of miningPositions.entries()) {
    const amount = await stakeSize(position.netuid, 70n * TAO);
    const args = [BigInt(index), amount, 2n ** 64n - 1n] as const;
    try {
      await miningFund.simulate.stake(args, { account: me });
      const gas = await miningFund.estimateGas.stake(args, { account: me });
      await wait("stake", await miningFund.write.stake(args, { gas: gasWithHeadroom(gas) }));
      staked.push(`#${index} (netuid ${position.netuid})`);
    } catch (error) {
      log(`mining fund: position #${index} (netuid ${position.netuid}) left idle: ${reasonOf(error)}`);
    }
  }
  log(
    `mining fund OTMINE ${mining.address}: raised 300 TAO from 3 investors, staked into positions ` +
      `${staked.join(", ") || "none"} (NAV ${formatTao(await miningFund.read.navRao())} TAO)`,
  );

  /* Allocator fund */
  const allocatorSubnets = [a, b, c].filter((s, k, all) => all.findIndex((t) => t.netuid === s.netuid) === k);
  const allocator = await createFund(
    connection,
    funds.factory.address,
    "allocator",
    saltOf("demo allocator fund"),
    await allocatorInitData(connection, engine("Alpha Allocator", "ALLOC", allocatorSubnets.map(direct)), {
      caps: allocatorSubnets.map((s) => ({ netuid: s.netuid, capRao: 40n * TAO })),
    }),
  );
  const allocatorFund = await viem.getContractAt("AllocatorFund", allocator.address);
  // A deposit values the fund first (NAV through the pools), so it gets the same gas margin as finalize.
  for (const investor of [i4, i5]) {
    const args = [investor.address, 0n] as const;
    const options = { value: 50n * TAO * 10n ** 9n, account: investor };
    const gas = await allocatorFund.estimateGas.deposit(args, options);
    await wait("deposit", await allocatorFund.write.deposit(args, { ...options, gas: gasWithHeadroom(gas) }));
  }
  const supply = await stakeSize(c.netuid, 60n * TAO);
  try {
    await allocatorFund.simulate.deploySupply([supply], { account: me });
    const gas = await allocatorFund.estimateGas.deploySupply([supply], { account: me });
    await wait("deploySupply", await allocatorFund.write.deploySupply([supply], { gas: gasWithHeadroom(gas) }));
  } catch (error) {
    log(`allocator: its deposits stay idle: ${reasonOf(error)}`);
  }
  log(`allocator ALLOC ${allocator.address}: NAV ${formatTao(await allocatorFund.read.navRao())} TAO`);

  /* Subnet index */
  const indexSubnets = options.subnets.slice(-32);
  const index = await createFund(
    connection,
    funds.factory.address,
    "index",
    saltOf("demo subnet index"),
    await indexInitData(connection, engine("Subnet Index", "TAOIDX", indexSubnets.map(direct)), {
      maxWeightsBps: indexSubnets.map(() => 4_000),
      toleranceBps: 200,
      minRebalanceIntervalSeconds: 600,
    }),
  );
  const indexFund = await viem.getContractAt("SubnetIndexFund", index.address);
  for (const investor of [i6, i1]) {
    const args = [investor.address, 0n] as const;
    const options = { value: 20n * TAO * 10n ** 9n, account: investor };
    const gas = await indexFund.estimateGas.deposit(args, options);
    await wait("deposit", await indexFund.write.deposit(args, { ...options, gas: gasWithHeadroom(gas) }));
  }
  try {
    await indexFund.simulate.rebalance({ account: me });
    const gas = await indexFund.estimateGas.rebalance({ account: me });
    await wait("rebalance", await indexFund.write.rebalance({ gas: gasWithHeadroom(gas) }));
  } catch (error) {
    log(`subnet index: its deposits stay idle: ${reasonOf(error)}`);
  }
  log(
    `subnet index TAOIDX ${index.address} over ${indexSubnets.length} subnets: NAV ${formatTao(await indexFund.read.navRao())} TAO`,
  );
  return { mining, allocator, index };
}

/** Why a call was refused, in one line (the node's revert reason when it gave one). */
function reasonOf(error: unknown): string {
  const e = error as { details?: unknown; shortMessage?: unknown; message?: unknown };
  const text = [e.details, e.shortMessage, e.message].find((x): x is string => typeof x === "string" && x !== "");
  return (text ?? String(error)).split("\n")[0]!;
}

function formatTao(rao: bigint): string {
  return `${rao / TAO}.${(rao % TAO).toString().padStart(9, "0").slice(0, 3)}`;
}
