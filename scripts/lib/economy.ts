import { readFile } from "node:fs/promises";
import path from "node:path";

import type { NetworkConnection } from "hardhat/types/network";

import SubnetEconomy from "../../ignition/modules/SubnetEconomy.ts";

/**
 * Reads `ignition/parameters/<name>.json` (the per-network deployment parameters). Ignition's files write big
 * integers as "123n"; they become bigints here, as Ignition's CLI does.
 */
export async function loadParameters(name: string): Promise<Record<string, unknown>> {
  const file = path.resolve(import.meta.dirname, "../../ignition/parameters", `${name}.json`);
  const json = JSON.parse(await readFile(file, "utf8"), (_key, value: unknown) =>
    typeof value === "string" && /^\d+n$/.test(value) ? BigInt(value.slice(0, -1)) : value,
  ) as { SubnetEconomy?: Record<string, unknown> };
  return json.SubnetEconomy ?? {};
}

/** Ignition options of a deployment: its id (the folder under ignition/deployments) and whether to show progress. */
export interface DeployEconomyOptions {
  deploymentId?: string;
  displayUi?: boolean;
}

/** Deploys (or resumes) the subnet economy through Ignition and returns typed viem contracts. */
export async function deployEconomy(
  connection: NetworkConnection,
  parameters: Record<string, unknown> = {},
  options: DeployEconomyOptions = {},
) {
  const { ignition, viem } = connection;
  const deployed = await ignition.deploy(SubnetEconomy, {
    parameters: { SubnetEconomy: parameters as never },
    displayUi: options.displayUi ?? false,
    ...(options.deploymentId === undefined ? {} : { deploymentId: options.deploymentId }),
  });
  return {
    // AlphaPools' own ABI holds the whole interface: the extension's functions are typed stubs on it.
    pools: await viem.getContractAt("AlphaPools", deployed.pools.address),
    extension: await viem.getContractAt("AlphaPoolsExtension", deployed.extension.address),
    registry: await viem.getContractAt("SubnetRegistry", deployed.registry.address),
    metagraph: await viem.getContractAt("Metagraph", deployed.metagraph.address),
    rootDividends: await viem.getContractAt("RootDividends", deployed.rootDividends.address),
    settlement: await viem.getContractAt("EpochSettlement", deployed.settlement.address),
    lens: await viem.getContractAt("MarketsLens", deployed.lens.address),
  };
}

export type Economy = Awaited<ReturnType<typeof deployEconomy>>;
