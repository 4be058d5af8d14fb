/**
 * Typed handles of our contracts on a chain: the generated ABI with the address and start block from
 * `deployments/<chainId>.json`. Every contract-specific read and write goes through the hook modules of this folder.
 */
import { useChainId } from "wagmi";

import type { ChainId } from "../config/chains.ts";
import type { WagmiConfig } from "../config/wagmi.ts";
import {
  alphaPoolsAbi,
  deployments,
  epochSettlementAbi,
  marketsLensAbi,
  metagraphAbi,
  rootDividendsAbi,
  subnetRegistryAbi,
  type ContractName,
} from "../generated.ts";

/** AlphaPools' ABI is the whole interface of the pools (the extension's functions are typed stubs on it). */
const abis = {
  AlphaPools: alphaPoolsAbi,
  EpochSettlement: epochSettlementAbi,
  MarketsLens: marketsLensAbi,
  Metagraph: metagraphAbi,
  RootDividends: rootDividendsAbi,
  SubnetRegistry: subnetRegistryAbi,
} as const satisfies Record<ContractName, unknown>;

export interface ContractHandle<abi> {
  address: `0x${string}`;
  abi: abi;
  /** Block of the deployment: where log scans start. */
  startBlock: bigint;
}

export type Contracts = { [name in ContractName]: ContractHandle<(typeof abis)[name]> };

/** Our contracts on `chainId`, or undefined when they are not deployed there. */
export function contractsOn(chainId: number): Contracts | undefined {
  const deployed = deployments[chainId];
  if (!deployed) return undefined;
  const handles: Partial<Record<ContractName, ContractHandle<unknown>>> = {};
  for (const name of Object.keys(abis) as ContractName[]) {
    const d = deployed[name];
    if (!d) return undefined;
    handles[name] = { address: d.address, abi: abis[name], startBlock: BigInt(d.startBlock) };
  }
  return handles as Contracts;
}

/** The app's chain and our contracts on it. */
export function useContracts(): { chainId: ChainId; contracts: Contracts | undefined } {
  const chainId: ChainId = useChainId<WagmiConfig>();
  return { chainId, contracts: contractsOn(chainId) };
}
