/**
 * Bittensor's precompiles on a chain without Bittensor's runtime: adapters backed by the subnet economy model
 * (`contracts/precompiles/adapters`), deployed, given the model's ORIGIN roles, and, on a Hardhat chain, also
 * installed at the precompiles' real addresses (`hardhat_setCode` with each adapter's runtime code; their
 * immutables live in that code and none needs storage set up), so a contract written for Bittensor runs unchanged.
 *
 *   const precompiles = await installPrecompiles(connection, economy);
 *   precompiles.addresses.StakingV2   // what contracts should call: 0x…0805 on a Hardhat chain
 */
import type { NetworkConnection } from "hardhat/types/network";
import { type Address, type Hex, getAddress, keccak256, toHex } from "viem";

import type { Economy } from "./economy.ts";

/** The precompiles the adapters stand in for, with their Bittensor addresses (`contracts/precompiles/Precompiles.sol`). */
export const PRECOMPILE_ADDRESSES = {
  BalanceTransfer: "0x0000000000000000000000000000000000000800",
  Metagraph: "0x0000000000000000000000000000000000000802",
  Subnet: "0x0000000000000000000000000000000000000803",
  Neuron: "0x0000000000000000000000000000000000000804",
  StakingV2: "0x0000000000000000000000000000000000000805",
  UidLookup: "0x0000000000000000000000000000000000000806",
  Alpha: "0x0000000000000000000000000000000000000808",
  AddressMapping: "0x000000000000000000000000000000000000080C",
} as const satisfies Record<string, Address>;

export type PrecompileName = keyof typeof PRECOMPILE_ADDRESSES;

/** The adapter contract of each precompile. */
export const ADAPTER_CONTRACTS = {
  BalanceTransfer: "BalanceTransferAdapter",
  Metagraph: "MetagraphAdapter",
  Subnet: "SubnetAdapter",
  Neuron: "NeuronAdapter",
  StakingV2: "StakingV2Adapter",
  UidLookup: "UidLookupAdapter",
  Alpha: "AlphaAdapter",
  AddressMapping: "AddressMappingAdapter",
} as const satisfies Record<PrecompileName, string>;

const ORIGIN_ROLE = keccak256(toHex("ORIGIN_ROLE"));

export interface InstalledPrecompiles {
  /** Whether the adapters answer at Bittensor's addresses (a Hardhat chain). */
  atRealAddresses: boolean;
  /** The address each precompile answers at: the one contracts must call. */
  addresses: Record<PrecompileName, Address>;
  /** Where each adapter was deployed (its own address, which also answers). */
  adapters: Record<PrecompileName, Address>;
  /** The contract that credits TAO without calling its receiver, shared by the adapters. */
  courier: Address;
  /** The block of the first adapter deployment. */
  startBlock: number;
}

export interface InstallOptions {
  /** Install at the real addresses too; by default, whenever the chain accepts `hardhat_setCode`. */
  atRealAddresses?: boolean;
  /** The staking adapter's nominator minimum (subtensor's default is 0). */
  nominatorMinRequiredStakeRao?: bigint;
  log?: (line: string) => void;
}

/**
 * Deploys the adapters over `economy`, grants the ORIGIN roles (pools and metagraph) to the staking and neuron
 * adapters, and installs every adapter at its Bittensor address when the chain allows it. Sent from the first wallet,
 * which must hold the model's DEFAULT_ADMIN_ROLE (the deployer of `SubnetEconomy`).
 */
export async function installPrecompiles(
  connection: NetworkConnection,
  economy: Economy,
  options: InstallOptions = {},
): Promise<InstalledPrecompiles> {
  const { viem } = connection;
  const publicClient = await viem.getPublicClient();
  const log = options.log ?? (() => undefined);
  const wait = async (what: string, hash: Hex) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${what} reverted (tx ${hash})`);
    return receipt;
  };

  const courier = await viem.deployContract("DirectCreditCourier");
  const startBlock = Number(await publicClient.getBlockNumber());
  const { pools, registry, metagraph } = economy;
  const c = courier.address;
  const deployed = {
    BalanceTransfer: await viem.deployContract("BalanceTransferAdapter", [c]),
    Metagraph: await viem.deployContract("MetagraphAdapter", [metagraph.address, pools.address, registry.address, c]),
    Subnet: await viem.deployContract("SubnetAdapter", [registry.address, pools.address, c]),
    Neuron: await viem.deployContract("NeuronAdapter", [metagraph.address, c]),
    StakingV2: await viem.deployContract("StakingV2Adapter", [
      pools.address,
      metagraph.address,
      registry.address,
      options.nominatorMinRequiredStakeRao ?? 0n,
      c,
    ]),
    UidLookup: await viem.deployContract("UidLookupAdapter", [metagraph.address, c]),
    Alpha: await viem.deployContract("AlphaAdapter", [pools.address, registry.address, c]),
    AddressMapping: await viem.deployContract("AddressMappingAdapter", [c]),
  };
  const adapters = Object.fromEntries(
    Object.entries(deployed).map(([name, contract]) => [name, getAddress(contract.address)]),
  ) as Record<PrecompileName, Address>;
  log(`deployed ${Object.keys(adapters).length} precompile adapters`);

  const grant = async (staking: Address, neuron: Address) => {
    await wait("grant ORIGIN_ROLE (pools)", await pools.write.grantRole([ORIGIN_ROLE, staking]));
    await wait("grant ORIGIN_ROLE (metagraph)", await metagraph.write.grantRole([ORIGIN_ROLE, neuron]));
  };
  await grant(adapters.StakingV2, adapters.Neuron);

  let atRealAddresses = options.atRealAddresses ?? true;
  if (atRealAddresses) {
    const testClient = await viem.getTestClient();
    try {
      for (const name of Object.keys(PRECOMPILE_ADDRESSES) as PrecompileName[]) {
        const code = await publicClient.getCode({ address: adapters[name] });
        if (code === undefined || code === "0x") throw new Error(`${ADAPTER_CONTRACTS[name]} has no code`);
        await testClient.setCode({ address: PRECOMPILE_ADDRESSES[name], bytecode: code });
      }
    } catch (error) {
      if (options.atRealAddresses === true) throw error;
      atRealAddresses = false; // not a Hardhat chain: the adapters answer at their own addresses only
      log(`the chain refused hardhat_setCode; contracts call the adapters' own addresses`);
    }
  }
  if (atRealAddresses) {
    await grant(PRECOMPILE_ADDRESSES.StakingV2, PRECOMPILE_ADDRESSES.Neuron);
    log(`installed the adapters at Bittensor's precompile addresses 0x…0800–0x…080C`);
  }
  return {
    atRealAddresses,
    addresses: atRealAddresses ? { ...PRECOMPILE_ADDRESSES } : adapters,
    adapters,
    courier: getAddress(courier.address),
    startBlock,
  };
}

/** The precompile addresses a `StakingClient` constructor takes (the `Precompiles` struct). */
export function stakingClientPrecompiles(installed: Pick<InstalledPrecompiles, "addresses">) {
  return {
    staking: installed.addresses.StakingV2,
    alpha: installed.addresses.Alpha,
    subnet: installed.addresses.Subnet,
    addressMapping: installed.addresses.AddressMapping,
  };
}
