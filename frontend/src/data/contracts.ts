/**
 * Typed handles of our contracts on a chain: the generated ABI with the address and start block from
 * `deployments/<chainId>.json`. Every contract-specific read and write goes through the hook modules of this folder.
 *
 * The core contracts (the pools, the registry, the metagraph, root dividends, the settlement, the lens) are all
 * needed: without one of them the dApp says the chain has no contracts. Liquid staking (the vault factory and the
 * allocation router) is optional: a deployment without it keeps every other page, and the Allocate and Portfolio
 * pages say what is missing. Vaults have no fixed address (one per (netuid, hotkey), from the factory), so their ABI
 * is exported on its own. Funds are optional too (the FundFactory); each fund is a clone the factory lists, whose
 * ABIs (the engine's and the three strategies') data/funds.ts loads with the pages that need them.
 */
import { useChainId } from "wagmi";

import type { ChainId } from "../config/chains.ts";
import type { WagmiConfig } from "../config/wagmi.ts";
import {
  allocationRouterAbi,
  alphaPoolsAbi,
  deployments,
  epochSettlementAbi,
  fundFactoryAbi,
  liquidAlphaVaultAbi,
  liquidVaultFactoryAbi,
  marketsLensAbi,
  metagraphAbi,
  rootDividendsAbi,
  subnetRegistryAbi,
  type ContractName,
} from "../generated.ts";

/** The contracts of liquid staking: deployed or not, as a whole. */
export type LiquidContractName = "LiquidVaultFactory" | "AllocationRouter";
/** The contracts every page needs. */
export type CoreContractName = Exclude<ContractName, LiquidContractName | "LiquidAlphaVault" | "FundFactory">;

/** AlphaPools' ABI is the whole interface of the pools (the extension's functions are typed stubs on it). */
const abis = {
  AlphaPools: alphaPoolsAbi,
  EpochSettlement: epochSettlementAbi,
  MarketsLens: marketsLensAbi,
  Metagraph: metagraphAbi,
  RootDividends: rootDividendsAbi,
  SubnetRegistry: subnetRegistryAbi,
} as const satisfies Record<CoreContractName, unknown>;

const liquidAbis = {
  LiquidVaultFactory: liquidVaultFactoryAbi,
  AllocationRouter: allocationRouterAbi,
} as const satisfies Record<LiquidContractName, unknown>;

/** Every vault's ABI (an ERC-20 of shares with the vault's deposits, exits and views). */
export const vaultAbi = liquidAlphaVaultAbi;

export interface ContractHandle<abi> {
  address: `0x${string}`;
  abi: abi;
  /** Block of the deployment: where log scans start. */
  startBlock: bigint;
}

export type LiquidContracts = { [name in LiquidContractName]: ContractHandle<(typeof liquidAbis)[name]> };

export type FundFactoryHandle = ContractHandle<typeof fundFactoryAbi>;

export type Contracts = { [name in CoreContractName]: ContractHandle<(typeof abis)[name]> } & {
  /** Liquid staking, when the chain has it (both contracts, or neither). */
  liquid: LiquidContracts | undefined;
  /** The fund factory, when the chain has funds. */
  fundFactory: FundFactoryHandle | undefined;
};

function handlesOf<names extends string>(
  deployed: Partial<Record<string, { address: `0x${string}`; startBlock: number }>>,
  table: Record<names, unknown>,
): Record<names, ContractHandle<unknown>> | undefined {
  const handles: Partial<Record<names, ContractHandle<unknown>>> = {};
  for (const name of Object.keys(table) as names[]) {
    const d = deployed[name];
    if (!d) return undefined;
    handles[name] = { address: d.address, abi: table[name], startBlock: BigInt(d.startBlock) };
  }
  return handles as Record<names, ContractHandle<unknown>>;
}

/** Our contracts on `chainId`, or undefined when the core ones are not deployed there. */
export function contractsOn(chainId: number): Contracts | undefined {
  const deployed = deployments[chainId];
  if (!deployed) return undefined;
  const core = handlesOf(deployed, abis);
  if (!core) return undefined;
  const liquid = handlesOf(deployed, liquidAbis);
  const fundFactory = handlesOf(deployed, { FundFactory: fundFactoryAbi })?.FundFactory as
    FundFactoryHandle | undefined;
  return { ...core, liquid, fundFactory } as Contracts;
}

/** The app's chain and our contracts on it. */
export function useContracts(): { chainId: ChainId; contracts: Contracts | undefined } {
  const chainId: ChainId = useChainId<WagmiConfig>();
  return { chainId, contracts: contractsOn(chainId) };
}
