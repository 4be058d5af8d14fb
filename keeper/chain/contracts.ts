/**
 * The contracts the keeper talks to: addresses (from `deployments/<chainId>.json` or given) and ABIs (from the
 * Hardhat artifacts, typed by the artifact declarations).
 */
import path from "node:path";

import type { ArtifactMap } from "hardhat/types/artifacts";
import type { Address } from "viem";

import { artifactPathOf, type DeploymentsFile } from "../../client/deployment.ts";
import { PROJECT_ROOT, readArtifactAbi } from "../../client/node.ts";

export interface KeeperAddresses {
  readonly settlement: Address;
  readonly registry: Address;
  readonly metagraph: Address;
  readonly pools: Address;
  /** Where log scans start (the metagraph's deployment block). */
  readonly startBlock: number;
}

export interface KeeperAbis {
  readonly settlement: ArtifactMap["EpochSettlement"]["abi"];
  readonly registry: ArtifactMap["SubnetRegistry"]["abi"];
  readonly metagraph: ArtifactMap["Metagraph"]["abi"];
  readonly pools: ArtifactMap["AlphaPools"]["abi"];
}

const SOURCES = {
  settlement: ["contracts/model/EpochSettlement.sol", "EpochSettlement"],
  registry: ["contracts/model/SubnetRegistry.sol", "SubnetRegistry"],
  metagraph: ["contracts/model/Metagraph.sol", "Metagraph"],
  pools: ["contracts/model/AlphaPools.sol", "AlphaPools"],
} as const;

/** The ABIs, read once from the artifacts under `root`. */
export async function loadKeeperAbis(root = PROJECT_ROOT): Promise<KeeperAbis> {
  const entries = await Promise.all(
    Object.entries(SOURCES).map(
      async ([key, [source, name]]) =>
        [key, await readArtifactAbi(path.join(root, artifactPathOf(source, name)))] as const,
    ),
  );
  return Object.fromEntries(entries) as unknown as KeeperAbis;
}

/** The keeper's addresses in a deployments file. */
export function addressesFromDeployment(deployment: DeploymentsFile): KeeperAddresses {
  const c = deployment.contracts;
  return {
    settlement: c.EpochSettlement.address,
    registry: c.SubnetRegistry.address,
    metagraph: c.Metagraph.address,
    pools: c.AlphaPools.address,
    startBlock: c.Metagraph.startBlock,
  };
}
