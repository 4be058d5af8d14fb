/**
 * Gas benchmarks of the subnet economy, measured on the in-process chain.
 *
 * Prints a table and writes the same figures to bench/results.json (flat, stable keys). The baseline is Uniswap V2's
 * `UniswapV2Pair.swap`, deployed from the compiled `@uniswap/v2-core` package and measured in the same run, so the
 * ratios compare like with like. Benchmarks report; they never fail on the numbers.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

import { network } from "hardhat";
import { type Abi, createWalletClient, custom, type Hex, keccak256, parseEther, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { DEFAULT_HYPERPARAMETERS } from "../ignition/modules/SubnetEconomy.ts";
import { deployEconomy } from "./lib/economy.ts";
import { gasMeter } from "./lib/gas.ts";

const require = createRequire(import.meta.url);
const DEADLINE = 2n ** 40n;
const RAO = 10n ** 9n;

const conn = await network.create();
const { viem } = conn;
const publicClient = await viem.getPublicClient();
const testClient = await viem.getTestClient();
const [wallet] = await viem.getWalletClients();
if (!wallet) throw new Error("the in-process network has no accounts");

const { gasOf, gasInOneBlock } = gasMeter({ publicClient, testClient });

/* Uniswap V2 baseline */

async function uniswapV2SwapGas(): Promise<{ first: bigint; steady: bigint }> {
  type Build = { abi: Abi; bytecode: string };
  const load = async (name: string): Promise<Build> =>
    JSON.parse(await readFile(require.resolve(`@uniswap/v2-core/build/${name}.json`), "utf8")) as Build;
  const factoryBuild = await load("UniswapV2Factory");
  const pairBuild = await load("UniswapV2Pair");

  const account = wallet!.account;
  const chain = wallet!.chain;
  const factoryHash = await wallet!.deployContract({
    abi: factoryBuild.abi,
    bytecode: `0x${factoryBuild.bytecode}`,
    args: [account.address],
    chain,
  });
  const factory = (await publicClient.waitForTransactionReceipt({ hash: factoryHash })).contractAddress!;
  const tokenA = await viem.deployContract("BenchToken", ["A", parseEther("1000000")]);
  const tokenB = await viem.deployContract("BenchToken", ["B", parseEther("1000000")]);
  const factoryAbi = factoryBuild.abi;
  const pairAbi = pairBuild.abi;
  await gasOf(
    await wallet!.writeContract({
      address: factory,
      abi: factoryAbi,
      functionName: "createPair",
      args: [tokenA.address, tokenB.address],
      account,
      chain,
    }),
  );
  const pair = (await publicClient.readContract({
    address: factory,
    abi: factoryAbi,
    functionName: "getPair",
    args: [tokenA.address, tokenB.address],
  })) as Hex;
  const readPair = (functionName: string) => publicClient.readContract({ address: pair, abi: pairAbi, functionName });
  const writePair = (functionName: string, args: readonly unknown[]) =>
    wallet!.writeContract({ address: pair, abi: pairAbi, functionName, args, account, chain });
  const token0Address = (await readPair("token0")) as Hex;
  const token0 = token0Address.toLowerCase() === tokenA.address.toLowerCase() ? tokenA : tokenB;

  await tokenA.write.transfer([pair, parseEther("1000")]);
  await tokenB.write.transfer([pair, parseEther("1000")]);
  await gasOf(await writePair("mint", [account.address]));

  const swapOnce = async (): Promise<bigint> => {
    const [r0, r1] = (await readPair("getReserves")) as [bigint, bigint, number];
    const amountIn = parseEther("1");
    const out = (amountIn * 997n * r1) / (r0 * 1000n + amountIn * 997n);
    await token0.write.transfer([pair, amountIn]);
    return gasOf(await writePair("swap", [0n, out, account.address, "0x"]));
  };
  const first = await swapOnce();
  const steady = await swapOnce();
  return { first, steady };
}

/* The subnet economy */

const economy = await deployEconomy(conn, {
  minTempo: 1n,
  minLockRao: 100n * RAO,
  lockReductionInterval: 1n, // the lock cost falls back to the minimum one block after each registration
  networkRateLimit: 0n,
  subnetLimit: 128n,
  initialBurnRao: 10n ** 8n,
  hyperparameters: {
    ...DEFAULT_HYPERPARAMETERS,
    immunityPeriod: 10,
    weightsRateLimit: 0,
    // A flat registration burn: 256 registrations in a row would otherwise take it to its maximum.
    burnIncreaseMultWad: 10n ** 18n,
  },
});
const { pools, registry, metagraph, rootDividends } = economy;
await testClient.setBalance({ address: wallet.account.address, value: parseEther("10000000") });
await pools.write.fundEmissionReserve({ value: parseEther("1000000") });
/** The bench account's coldkey, which is also its hotkey: the owner's uid 0 on every subnet it registers. */
const ownHotkey = await pools.read.coldkeyOf([wallet.account.address]);

async function registerSubnet(i: number): Promise<{ netuid: number; gas: bigint }> {
  const cost = await registry.read.lockCost();
  const gas = await gasOf(
    await registry.write.registerNetwork([ownHotkey, `Subnet ${i}`, cost], { value: cost * RAO }),
  );
  const netuids = await registry.read.activeNetuids();
  const netuid = netuids[netuids.length - 1]!;
  await registry.write.startCall([netuid]);
  return { netuid, gas };
}

/**
 * An account whose hotkey is its own account id (so it needs no approval), funded, with a typed wallet on this
 * chain: it registers itself as a neuron.
 */
async function neuronAccount(i: number) {
  const account = privateKeyToAccount(keccak256(toHex(`bench-neuron-${i}`)));
  await testClient.setBalance({ address: account.address, value: parseEther("1000") });
  const client = createWalletClient({ account, chain: wallet!.chain, transport: custom(conn.provider) });
  const hotkey = await pools.read.coldkeyOf([account.address]);
  const register = async (netuid: number) =>
    gasOf(
      await client.writeContract({
        address: metagraph.address,
        abi: metagraph.abi,
        functionName: "burnedRegister",
        args: [netuid, hotkey, 10n ** 12n],
        value: parseEther("1"),
      }),
    );
  return { account, hotkey, register };
}

const first = await registerSubnet(0);
const netuid = first.netuid;
const second = (await registerSubnet(1)).netuid;
// Root stake, so the alpha-in cap is not zero and root dividends have stake to go to.
await pools.write.addStake([ownHotkey, 0, 0n, DEADLINE], { value: parseEther("1000") });
// A second hotkey on both subnets, for moves between hotkeys.
const other = await neuronAccount(0);
await other.register(netuid);
await other.register(second);

// Warm the positions so the measured operations update existing slots, as Uniswap's steady-state swap does.
await pools.write.addStake([ownHotkey, netuid, 0n, DEADLINE], { value: parseEther("10") });
await pools.write.addStake([ownHotkey, second, 0n, DEADLINE], { value: parseEther("10") });
await pools.write.addStake([other.hotkey, netuid, 0n, DEADLINE], { value: parseEther("10") });
await pools.write.addStake([other.hotkey, second, 0n, DEADLINE], { value: parseEther("10") });
await testClient.mine({ blocks: 5 });

const [stakeWithAccrual, stakeSameBlock] = await gasInOneBlock([
  () => pools.write.addStake([ownHotkey, netuid, 0n, DEADLINE], { value: parseEther("1") }),
  () => pools.write.addStake([ownHotkey, netuid, 0n, DEADLINE], { value: parseEther("1") }),
]);
await testClient.mine({ blocks: 5 });
const [unstakeWithAccrual, unstakeSameBlock] = await gasInOneBlock([
  () => pools.write.removeStake([ownHotkey, netuid, 10n ** 8n, 0n, DEADLINE]),
  () => pools.write.removeStake([ownHotkey, netuid, 10n ** 8n, 0n, DEADLINE]),
]);
const [stakeLimitSameBlock] = (
  await gasInOneBlock([
    () => pools.write.poke([netuid]),
    () => pools.write.addStakeLimit([ownHotkey, netuid, 10n ** 12n, true, DEADLINE], { value: parseEther("1") }),
  ])
).slice(1);

// Moves, transfers and swaps, each in a block where its subnets are already caught up (as `stake_gas`).
const alpha = 10n ** 8n; // 0.1 alpha: worth more than the minimum stake at these prices
const sameBlockAfterPokes = async (netuids: number[], action: () => Promise<Hex>) =>
  (await gasInOneBlock([...netuids.map((n) => () => pools.write.poke([n])), action])).at(-1)!;
const moveSameNetuid = await sameBlockAfterPokes([netuid], () =>
  pools.write.moveStake([ownHotkey, other.hotkey, netuid, netuid, alpha, 0n, DEADLINE]),
);
const moveCrossNetuid = await sameBlockAfterPokes([netuid, second], () =>
  pools.write.moveStake([ownHotkey, other.hotkey, netuid, second, alpha, 0n, DEADLINE]),
);
const otherColdkey = await pools.read.coldkeyOf([other.account.address]);
// The first transfer opens the receiving coldkey's position; the measured one adds to it.
await gasOf(await pools.write.transferStake([otherColdkey, ownHotkey, netuid, netuid, alpha, 0n, DEADLINE]));
const transferSameNetuid = await sameBlockAfterPokes([netuid], () =>
  pools.write.transferStake([otherColdkey, ownHotkey, netuid, netuid, alpha, 0n, DEADLINE]),
);
const swapCrossNetuid = await sameBlockAfterPokes([netuid, second], () =>
  pools.write.swapStake([ownHotkey, netuid, second, alpha, 0n, DEADLINE]),
);

// A root dividend claimed (claim type Swap, the default: the alpha is sold fee-less and restaked on root). Crediting
// one takes the settler's role: the epoch settlement's, or here the bench account's own.
const settlerRole = keccak256(toHex("SETTLER_ROLE"));
if (!(await pools.read.hasRole([settlerRole, wallet.account.address]))) {
  await gasOf(await pools.write.grantRole([settlerRole, wallet.account.address]));
}
if (!(await rootDividends.read.hasRole([settlerRole, wallet.account.address]))) {
  await gasOf(await rootDividends.write.grantRole([settlerRole, wallet.account.address]));
}
const creditRootDividend = async () => {
  await testClient.mine({ blocks: 20 });
  await pools.write.closePending([second]);
  const generation = (await pools.read.subnetConfig([second])).generation;
  await gasOf(await rootDividends.write.creditRootDividend([second, generation, ownHotkey, 10n ** 8n]));
};
await creditRootDividend();
await gasOf(await rootDividends.write.claimRoot([ownHotkey, ownHotkey, [second]])); // warms the claim's slots
await creditRootDividend();
const claimRoot = await sameBlockAfterPokes([second], () =>
  rootDividends.write.claimRoot([ownHotkey, ownHotkey, [second]]),
);

// 64 emitting subnets, 10 000 blocks, then catch every one of them up.
for (let i = 2; i < 64; i++) await registerSubnet(i);
const netuids = await registry.read.activeNetuids();
await testClient.mine({ blocks: 10_000 });
const pokeGas: bigint[] = [];
for (const n of netuids) pokeGas.push(await gasOf(await pools.write.poke([n])));
const pokeFirst = pokeGas[0]!;
const pokeTotal = pokeGas.reduce((a, b) => a + b, 0n);
const pokeMax = pokeGas.reduce((a, b) => (b > a ? b : a), 0n);

// A full subnet of 256 uids: registration replaces the weakest neuron after scanning every uid.
const fullNetuid = (await registerSubnet(300)).netuid;
for (let i = 1; i < 256; i++) await (await neuronAccount(i)).register(fullNetuid);
await testClient.mine({ blocks: 20 });
const registerAt256 = await (await neuronAccount(256)).register(fullNetuid);
const registerBelowFull = await (async () => {
  const { netuid: fresh } = await registerSubnet(200);
  return (await neuronAccount(257)).register(fresh);
})();
// The owner's uid 0 has a validator permit from the start (others get theirs from an epoch).
const uids = Array.from({ length: 256 }, (_, i) => i);
const setWeights256 = await gasOf(
  await metagraph.write.setWeights([fullNetuid, uids, uids.map((u) => (u * 257) % 65_536), 0n]),
);

const uni = await uniswapV2SwapGas();
const ratio = (x: bigint) => Math.round((Number(x) / Number(uni.steady)) * 10_000) / 10_000;

const results: Record<string, number> = {
  uniswap_v2_swap_gas: Number(uni.steady),
  uniswap_v2_first_swap_gas: Number(uni.first),
  stake_gas: Number(stakeSameBlock!),
  stake_ratio_vs_uniswap_v2: ratio(stakeSameBlock!),
  unstake_gas: Number(unstakeSameBlock!),
  unstake_ratio_vs_uniswap_v2: ratio(unstakeSameBlock!),
  stake_limit_gas: Number(stakeLimitSameBlock!),
  stake_limit_ratio_vs_uniswap_v2: ratio(stakeLimitSameBlock!),
  stake_with_accrual_gas: Number(stakeWithAccrual!),
  stake_with_accrual_ratio_vs_uniswap_v2: ratio(stakeWithAccrual!),
  unstake_with_accrual_gas: Number(unstakeWithAccrual!),
  move_stake_same_netuid_gas: Number(moveSameNetuid),
  move_stake_same_netuid_ratio_vs_uniswap_v2: ratio(moveSameNetuid),
  move_stake_cross_netuid_gas: Number(moveCrossNetuid),
  transfer_stake_gas: Number(transferSameNetuid),
  swap_stake_gas: Number(swapCrossNetuid),
  claim_root_gas: Number(claimRoot),
  poke_10000_blocks_one_subnet_gas: Number(pokeFirst),
  poke_10000_blocks_max_of_64_subnets_gas: Number(pokeMax),
  poke_10000_blocks_64_subnets_total_gas: Number(pokeTotal),
  register_network_gas: Number(first.gas),
  register_neuron_gas: Number(registerBelowFull),
  register_neuron_at_256_uids_gas: Number(registerAt256),
  set_weights_256_uids_gas: Number(setWeights256),
};

/** Keys of figures the model no longer has (validator permits are now an output of the epoch settlement). */
const RETIRED = ["update_validator_permits_256_uids_gas"];

const width = Math.max(...Object.keys(results).map((k) => k.length));
console.log(`\n${"figure".padEnd(width)}  value`);
console.log(`${"-".repeat(width)}  ${"-".repeat(12)}`);
for (const [key, value] of Object.entries(results)) console.log(`${key.padEnd(width)}  ${value}`);

const out = path.resolve(import.meta.dirname, "../bench/results.json");
await mkdir(path.dirname(out), { recursive: true });
const previous: Record<string, unknown> = await readFile(out, "utf8")
  .then((t) => JSON.parse(t) as Record<string, unknown>)
  .catch(() => ({}));
for (const key of RETIRED) delete previous[key];
await writeFile(out, `${JSON.stringify({ ...previous, ...results }, null, 2)}\n`);
console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
