/**
 * A small living economy on the in-process chain for the keeper's tests: subnets with an owner, validators (their
 * hotkey is their own account id, so they set weights from their account) and miners (hotkeys of separate EVM
 * accounts that approved their operator's coldkey), stake on the subnets and on root, and weights.
 */
import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import {
  createWalletClient,
  custom,
  getContract,
  keccak256,
  parseEther,
  toHex,
  type Account,
  type Chain,
  type Hex,
  type Transport,
} from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";

import { gasWithHeadroom } from "../../client/gas.ts";
import { evmToAccountId } from "../../keeper/chain/accountId.ts";
import type { KeeperAddresses } from "../../keeper/chain/contracts.ts";
import { deployEconomy, loadParameters, type Economy } from "./economy.ts";

export const MNEMONIC = "test test test test test test test test test test test junk";
export const KEEPER_INDEXES = [32, 33, 34] as const;
export const RAO_WEI = 10n ** 9n;

/** The keepers local.json registers (mnemonic indexes 32–34). */
export function keeperKeys(): Hex[] {
  return KEEPER_INDEXES.map((i) => {
    const account = mnemonicToAccount(MNEMONIC, { addressIndex: i });
    return toHex(account.getHdKey().privateKey!);
  });
}

/** A deterministic private key for test actors. */
export const actorKey = (tag: string): Hex => keccak256(toHex(`keeper-test-actor/${tag}`));

export interface Actor {
  account: Account;
  coldkey: Hex;
  pools: ReturnType<typeof contractsFor>["pools"];
  metagraph: ReturnType<typeof contractsFor>["metagraph"];
  registry: ReturnType<typeof contractsFor>["registry"];
}

/**
 * The connection's provider with headroom on every gas estimate (client/gas.ts): on a node that mines between an
 * estimate and its transaction (interval mining, keepers sending), the pools' lazy catch-up can land in the
 * transaction's block and need more than the estimate measured. A revert still fails the estimate.
 */
function withGasHeadroom(connection: NetworkConnection): Transport {
  return custom({
    async request({ method, params }: { method: string; params?: unknown[] }): Promise<unknown> {
      const result: unknown = await connection.provider.request({ method, params });
      return method === "eth_estimateGas" ? toHex(gasWithHeadroom(BigInt(result as Hex))) : result;
    },
  });
}

function contractsFor(connection: NetworkConnection, economy: Economy, account: Account, chain: Chain) {
  const wallet = createWalletClient({ account, chain, transport: withGasHeadroom(connection) });
  const client = { wallet, public: wallet };
  return {
    pools: getContract({ address: economy.pools.address, abi: economy.pools.abi, client }),
    metagraph: getContract({ address: economy.metagraph.address, abi: economy.metagraph.abi, client }),
    registry: getContract({ address: economy.registry.address, abi: economy.registry.abi, client }),
  };
}

export interface SubnetSpec {
  name: string;
  validators: number;
  miners: number;
}

export interface WorldSubnet {
  netuid: number;
  owner: Actor;
  validators: Actor[];
  miners: { hotkey: Hex; actor: Actor; operator: Actor }[];
}

export type World = Awaited<ReturnType<typeof createWorld>>;

export async function createWorld(
  options: {
    overrides?: Record<string, unknown>;
    connection?: NetworkConnection;
    seed?: string;
    /** Ignition's deployment id (a node: keep it out of chain-31337, which `npm start` uses). */
    deploymentId?: string;
  } = {},
) {
  const connection = options.connection ?? (await network.create());
  const parameters = await loadParameters("local");
  const hyperparameters = {
    ...(parameters.hyperparameters as Record<string, unknown>),
    tempo: 10,
    weightsRateLimit: 1,
    immunityPeriod: 5,
  };
  const economy = await deployEconomy(
    connection,
    { ...parameters, hyperparameters, ...(options.overrides ?? {}) },
    options.deploymentId === undefined ? {} : { deploymentId: options.deploymentId },
  );
  const { viem } = connection;
  const publicClient = await viem.getPublicClient();
  const testClient = await viem.getTestClient();
  const chainId = await publicClient.getChainId();
  const seed = options.seed ?? "w";

  const wait = async (hash: Hex) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
    return receipt;
  };
  const actor = async (tag: string, tao = "100000"): Promise<Actor> => {
    const account = privateKeyToAccount(actorKey(`${seed}/${tag}`));
    await testClient.setBalance({ address: account.address, value: parseEther(tao) });
    return {
      account,
      coldkey: evmToAccountId(account.address),
      ...contractsFor(connection, economy, account, publicClient.chain),
    };
  };
  const deadline = async () => (await publicClient.getBlock()).timestamp + 3600n;

  const funder = await actor("funder", "10000000");
  await wait(await funder.pools.write.fundEmissionReserve({ value: parseEther("1000000") }));
  for (const key of keeperKeys()) {
    await testClient.setBalance({ address: privateKeyToAccount(key).address, value: parseEther("1000") });
  }

  const register = async (subnet: WorldSubnet, who: Actor, hotkey: Hex) => {
    const burn = await economy.metagraph.read.burnCost([subnet.netuid]);
    const max = burn * 2n;
    await wait(await who.metagraph.write.burnedRegister([subnet.netuid, hotkey, max], { value: max * RAO_WEI }));
    const [, uid] = await economy.metagraph.read.uidOf([subnet.netuid, hotkey]);
    return uid;
  };

  const subnets: WorldSubnet[] = [];
  const addSubnet = async (spec: SubnetSpec): Promise<WorldSubnet> => {
    const owner = await actor(`${spec.name}/owner`);
    const cost = await economy.registry.read.lockCost();
    await wait(await owner.registry.write.registerNetwork([owner.coldkey, spec.name, cost], { value: cost * RAO_WEI }));
    const netuids = await economy.registry.read.activeNetuids();
    let netuid = 0;
    for (const n of netuids) if ((await economy.registry.read.subnet([n])).name === spec.name) netuid = n;
    await wait(await owner.registry.write.startCall([netuid]));
    const subnet: WorldSubnet = { netuid, owner, validators: [], miners: [] };
    for (let v = 0; v < spec.validators; v++) {
      const validator = await actor(`${spec.name}/validator/${v}`);
      await register(subnet, validator, validator.coldkey);
      subnet.validators.push(validator);
    }
    const operator = await actor(`${spec.name}/operator`);
    for (let m = 0; m < spec.miners; m++) {
      const minerAccount = await actor(`${spec.name}/miner/${m}`, "1");
      await wait(await minerAccount.metagraph.write.approveHotkeyOwner([operator.coldkey]));
      await register(subnet, operator, minerAccount.coldkey);
      subnet.miners.push({ hotkey: minerAccount.coldkey, actor: minerAccount, operator });
    }
    subnets.push(subnet);
    return subnet;
  };

  const stake = async (who: Actor, hotkey: Hex, netuid: number, tao: string) =>
    wait(await who.pools.write.addStake([hotkey, netuid, 0n, await deadline()], { value: parseEther(tao) }));

  const uidOf = async (netuid: number, hotkey: Hex) => (await economy.metagraph.read.uidOf([netuid, hotkey]))[1];

  /** Sets weights from `who` (its hotkey is its account id) over the subnet's miners, values from `rand`. */
  const setWeights = async (subnet: WorldSubnet, who: Actor, rand: () => number) => {
    const uids: number[] = [];
    for (const m of subnet.miners) uids.push(await uidOf(subnet.netuid, m.hotkey));
    const values = uids.map(() => 1 + Math.floor(rand() * 65_534));
    await wait(await who.metagraph.write.setWeights([subnet.netuid, uids, values, 0n]));
  };

  const addresses: KeeperAddresses = {
    settlement: economy.settlement.address,
    registry: economy.registry.address,
    metagraph: economy.metagraph.address,
    pools: economy.pools.address,
    startBlock: 0,
  };
  const transport: Transport = custom(connection.provider);

  return {
    connection,
    economy,
    publicClient,
    testClient,
    chainId,
    addresses,
    transport,
    subnets,
    actor,
    wait,
    addSubnet,
    register,
    stake,
    setWeights,
    uidOf,
    deadline,
  };
}

/** mulberry32: a seeded PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
