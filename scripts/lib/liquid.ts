/**
 * Liquid staking on a chain with the precompile adapters: the vault factory (with its creation-code store), the
 * allocation router, vaults for chosen (netuid, hotkey) positions, user positions taken through the router, and the
 * entries `deployments/<chainId>.json` needs (which precompile addresses each contract calls).
 *
 *   const precompiles = await installPrecompiles(connection, economy);
 *   const liquid = await deployLiquidStaking(connection, precompiles);
 *   await createVaults(connection, liquid, [{ netuid: 1, hotkey }]);
 *   await seedLiquidPositions(connection, liquid, { positions, depositors: [user1.account, user2.account] });
 *   await exportDeployments({ ..., ...liquidDeploymentEntries(precompiles, liquid) });
 */
import type { NetworkConnection } from "hardhat/types/network";
import { type Account, type Address, type Hex, getAddress } from "viem";

import LiquidStakingModule from "../../ignition/modules/LiquidStaking.ts";
import { formatRaoAsTao, gasWithHeadroom, RAO_PER_TAO, raoToWei } from "../../client/index.ts";
import { type InstalledPrecompiles, stakingClientPrecompiles } from "./precompiles.ts";

/** subtensor's `DefaultMinStake` (rao) and default `FeeRate` (of 65,535): the model's defaults too. */
export const DEFAULT_MIN_STAKE_RAO = 2_000_000n;
export const DEFAULT_FEE_RATE_OF_65535 = 33n;

/** The smallest deposit the pools accept: the minimum stake plus the fee on it (the model's `grossForNet`). */
export function minDepositRao(minStakeRao = DEFAULT_MIN_STAKE_RAO, feeRateOf65535 = DEFAULT_FEE_RATE_OF_65535) {
  const fee = (minStakeRao * feeRateOf65535 + (65_535n - feeRateOf65535) - 1n) / (65_535n - feeRateOf65535);
  return minStakeRao + fee;
}

export interface DeployedLiquid {
  address: Address;
  startBlock: number;
}

export interface LiquidStaking {
  factory: DeployedLiquid;
  router: DeployedLiquid;
  vaultCode: DeployedLiquid;
  /** The precompile addresses the factory's vaults and the router call. */
  precompiles: ReturnType<typeof stakingClientPrecompiles>;
  minDepositRao: bigint;
}

export interface DeployLiquidOptions {
  /** The vaults' governance (the factory's owner); the deploying account by default. */
  governance?: Address;
  /** May pause the vaults' deposits; the deploying account by default. */
  guardian?: Address;
  minDepositRao?: bigint;
  /** Ignition's deployment id (a folder under ignition/deployments, shared with the economy's); none in process. */
  deploymentId?: string;
  displayUi?: boolean;
  log?: (line: string) => void;
}

/**
 * Deploys (or resumes) the Ignition module `LiquidStaking`: the vaults' creation-code store, the factory and the
 * router, calling the precompiles at `installed.addresses` (Bittensor's own on its runtime, where nothing is installed).
 */
export async function deployLiquidStaking(
  connection: NetworkConnection,
  installed: Pick<InstalledPrecompiles, "addresses">,
  options: DeployLiquidOptions = {},
): Promise<LiquidStaking> {
  const { ignition, viem } = connection;
  const publicClient = await viem.getPublicClient();
  // Every contract of the module exists from the block after this one: where log scans may start.
  const startBlock = Number(await publicClient.getBlockNumber());
  const precompiles = stakingClientPrecompiles(installed);
  const min = options.minDepositRao ?? minDepositRao();
  const deployed = await ignition.deploy(LiquidStakingModule, {
    parameters: {
      LiquidStaking: {
        ...precompiles,
        minDepositRao: min,
        ...(options.governance === undefined ? {} : { governance: options.governance }),
        ...(options.guardian === undefined ? {} : { guardian: options.guardian }),
      },
    },
    displayUi: options.displayUi ?? false,
    ...(options.deploymentId === undefined ? {} : { deploymentId: options.deploymentId }),
  });
  const at = (contract: { address: Address }): DeployedLiquid => ({
    address: getAddress(contract.address),
    startBlock,
  });
  const liquid = {
    factory: at(deployed.factory),
    router: at(deployed.router),
    vaultCode: at(deployed.vaultCode),
    precompiles,
    minDepositRao: min,
  };
  options.log?.(`liquid staking: factory ${liquid.factory.address}, router ${liquid.router.address}`);
  return liquid;
}

export interface Position {
  netuid: number;
  hotkey: Hex;
}

/** Creates the vault of each position that has none yet; returns every position's vault address. */
export async function createVaults(
  connection: NetworkConnection,
  liquid: LiquidStaking,
  positions: readonly Position[],
): Promise<Address[]> {
  const { viem } = connection;
  const publicClient = await viem.getPublicClient();
  const factory = await viem.getContractAt("LiquidVaultFactory", liquid.factory.address);
  const vaults: Address[] = [];
  for (const p of positions) {
    const vault = await factory.read.vaultFor([p.netuid, p.hotkey]);
    if (!(await factory.read.isVault([vault]))) {
      const hash = await factory.write.createVault([p.netuid, p.hotkey]);
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") throw new Error(`createVault(${p.netuid}, ${p.hotkey}) reverted`);
    }
    vaults.push(getAddress(vault));
  }
  return vaults;
}

export interface SeedLiquidOptions {
  positions: readonly Position[];
  /**
   * The accounts that allocate, each holding the TAO it spends: one of the node's (a wallet client's `account`) or
   * a local signer (`mnemonicToAccount`), which signs the transaction itself.
   */
  depositors: readonly Account[];
  /** TAO each depositor allocates, in rao (default 10 TAO). */
  amountRao?: bigint;
  /** Slippage allowed on each leg's quote, in basis points (default 200). */
  slippageBps?: number;
  log?: (line: string) => void;
}

/**
 * Each depositor allocates through the router across up to four positions (rotating), equal weights, each leg with a
 * limit price `slippageBps` above the price its swap is quoted to reach, and a deadline from the chain's clock;
 * vaults are created as needed.
 * @dev The quoted average price p̄ of a leg (`previewAllocate`) and the spot p₀ give the price the swap ends at,
 * p̄²/p₀, on a constant-product pool; the limit allows `slippageBps` more.
 */
export async function seedLiquidPositions(
  connection: NetworkConnection,
  liquid: LiquidStaking,
  options: SeedLiquidOptions,
): Promise<void> {
  const { viem } = connection;
  const publicClient = await viem.getPublicClient();
  const router = await viem.getContractAt("AllocationRouter", liquid.router.address);
  const amountRao = options.amountRao ?? 10n * RAO_PER_TAO;
  const slippageBps = BigInt(options.slippageBps ?? 200);
  if (options.positions.length === 0) return;
  for (const [i, account] of options.depositors.entries()) {
    const count = Math.min(4, options.positions.length);
    const legs = Array.from({ length: count }, (_, k) => {
      const p = options.positions[(i + k) % options.positions.length]!;
      return { netuid: p.netuid, hotkey: p.hotkey, weight: 1, limitPriceRaoPerAlpha: 0n, minSharesOut: 0n };
    });
    const quotes = await router.read.previewAllocate([legs, amountRao]);
    for (const [k, q] of quotes.entries()) {
      if (q.spotPriceRaoPerAlpha === 0n || q.alphaRao === 0n) throw new Error(`leg ${k} cannot be quoted`);
      const endPrice = (q.effectivePriceRaoPerAlpha * q.effectivePriceRaoPerAlpha) / q.spotPriceRaoPerAlpha;
      legs[k]!.limitPriceRaoPerAlpha = (endPrice * (10_000n + slippageBps)) / 10_000n + 1n;
      legs[k]!.minSharesOut = (q.shares * (10_000n - slippageBps)) / 10_000n;
    }
    const deadline = (await publicClient.getBlock()).timestamp + 3600n;
    const args = [legs, account.address, deadline] as const;
    const value = raoToWei(amountRao);
    const gas = gasWithHeadroom(await router.estimateGas.allocate(args, { value, account }));
    const hash = await router.write.allocate(args, { value, account, gas });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`allocate for ${account.address} reverted`);
    options.log?.(`${account.address} allocated ${formatRaoAsTao(amountRao)} TAO over ${count} vaults`);
  }
}

/**
 * What `exportDeployments` adds for liquid staking (its contracts come from Ignition's journal): the precompile
 * addresses the factory's vaults and the router call and, at the top level, where each precompile answers.
 */
export function liquidDeploymentEntries(
  installed: Pick<InstalledPrecompiles, "atRealAddresses" | "addresses"> &
    Partial<Pick<InstalledPrecompiles, "adapters" | "courier">>,
  liquid: LiquidStaking,
) {
  return {
    contractFields: {
      LiquidVaultFactory: { precompiles: liquid.precompiles },
      AllocationRouter: { precompiles: liquid.precompiles },
    },
    extra: {
      precompiles: {
        // "runtime" on Bittensor; elsewhere the model's adapters answer (also at the real addresses on a Hardhat chain).
        answeredBy: installed.adapters === undefined ? "runtime" : "adapters",
        atRealAddresses: installed.atRealAddresses,
        addresses: installed.addresses,
        ...(installed.adapters === undefined ? {} : { adapters: installed.adapters, courier: installed.courier }),
      },
      liquidStaking: { minDepositRao: liquid.minDepositRao.toString() },
    },
  };
}
