/**
 * Gas benchmarks of liquid staking, measured on the in-process chain with the precompile adapters installed at
 * Bittensor's addresses, as `npm start` runs them.
 *
 * In the same run: a vault deposit and a redemption next to OpenZeppelin's plain ERC-4626 (over an ERC-20) and the
 * bare adapter call (`addStakeLimit`, `removeStake` on 0x…0805); router allocations over 1, 4 and 16 legs; a
 * rebalance of 4 legs. Every figure is a steady state: the accounts and positions already exist, and each measured
 * transaction shares its block with a `poke` of the subnets it touches, so none pays the subnet's per-block
 * emission catch-up. Merges its keys into bench/results.json, keeping the others. Reports; never fails on the numbers.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { network } from "hardhat";
import { maxUint256, parseEther } from "viem";

import { deployEconomy, loadParameters } from "./lib/economy.ts";
import { createVaults, deployLiquidStaking, type Position } from "./lib/liquid.ts";
import { installPrecompiles, PRECOMPILE_ADDRESSES } from "./lib/precompiles.ts";
import { gasMeter } from "./lib/gas.ts";

const RAO = 10n ** 9n;
const DEADLINE = 2n ** 40n;
const NO_LIMIT = 2n ** 64n - 1n;

const conn = await network.create();
const { viem } = conn;
const publicClient = await viem.getPublicClient();
const testClient = await viem.getTestClient();
const wallets = await viem.getWalletClients();
const [wallet, user] = wallets;
if (!wallet || !user || wallets.length < 14) throw new Error("the in-process network has too few accounts");
await testClient.setBalance({ address: wallet.account.address, value: parseEther("10000000") });
await testClient.setBalance({ address: user.account.address, value: parseEther("10000000") });

const { gasOf, gasInOneBlock } = gasMeter({ publicClient, testClient });

/* The economy, the adapters at the real addresses, four subnets with four hotkeys each */

const economy = await deployEconomy(conn, await loadParameters("local"));
const { pools, registry, metagraph } = economy;
await pools.write.fundEmissionReserve({ value: parseEther("100000") });
const installed = await installPrecompiles(conn, economy);
const liquid = await deployLiquidStaking(conn, installed);

const positions: Position[] = [];
const netuids: number[] = [];
for (let s = 0; s < 4; s++) {
  const owner = await pools.read.coldkeyOf([wallet.account.address]);
  const cost = await registry.read.lockCost();
  await gasOf(await registry.write.registerNetwork([owner, `Bench ${s}`, cost], { value: cost * RAO }));
  const netuid = (await registry.read.activeNetuids()).at(-1)!;
  await gasOf(await registry.write.startCall([netuid]));
  netuids.push(netuid);
  positions.push({ netuid, hotkey: owner });
  // Three more hotkeys, registered as neurons: each an EVM account's id that approved the wallet's coldkey first
  // (the model's proof of control).
  for (let h = 1; h < 4; h++) {
    const account = wallets[2 + s * 3 + (h - 1)]!;
    const hotkey = await pools.read.coldkeyOf([account.account.address]);
    await gasOf(await metagraph.write.approveHotkeyOwner([owner], { account: account.account }));
    const burn = await metagraph.read.burnCost([netuid]);
    await gasOf(await metagraph.write.burnedRegister([netuid, hotkey, burn], { value: burn * RAO }));
    positions.push({ netuid, hotkey });
  }
  // Depth in the pool, like a live subnet.
  await gasOf(await pools.write.addStake([owner, netuid, 0n, DEADLINE], { value: parseEther("1000") }));
}
await testClient.mine({ blocks: 2 });
const vaults = await createVaults(conn, liquid, positions);
const vaultAt = (i: number) => viem.getContractAt("LiquidAlphaVault", vaults[i]!);
const router = await viem.getContractAt("AllocationRouter", liquid.router.address);
const staking = await viem.getContractAt("IStakingV2", PRECOMPILE_ADDRESSES.StakingV2);
const poke = (netuid: number) => () => pools.write.poke([netuid]);

/* Vault deposit and redeem vs OpenZeppelin's ERC-4626 plus the bare adapter call */

const netuid0 = positions[0]!.netuid;
const hotkey0 = positions[0]!.hotkey;
const vault0 = await vaultAt(0);
// Warm: the user already holds shares and already stakes through the adapter.
await gasOf(
  await vault0.write.deposit([user.account.address, 0n, NO_LIMIT, DEADLINE], {
    value: parseEther("5"),
    account: user.account,
  }),
);
await gasOf(
  await staking.write.addStakeLimit([hotkey0, 5n * RAO, NO_LIMIT, false, BigInt(netuid0)], {
    value: parseEther("5"),
    account: user.account,
  }),
);
await testClient.mine({ blocks: 3 });

const [, adapterStake, vaultDeposit] = await gasInOneBlock([
  poke(netuid0),
  () =>
    staking.write.addStakeLimit([hotkey0, 2n * RAO, NO_LIMIT, false, BigInt(netuid0)], {
      value: parseEther("2"),
      account: user.account,
    }),
  () =>
    vault0.write.deposit([user.account.address, 0n, NO_LIMIT, DEADLINE], {
      value: parseEther("2"),
      account: user.account,
    }),
]);
const shares = await vault0.read.balanceOf([user.account.address]);
await testClient.mine({ blocks: 3 });
const [, adapterUnstake, vaultRedeem] = await gasInOneBlock([
  poke(netuid0),
  () => staking.write.removeStake([hotkey0, RAO, BigInt(netuid0)], { account: user.account }),
  () =>
    vault0.write.redeem([shares / 4n, user.account.address, user.account.address, 0n, DEADLINE], {
      account: user.account,
    }),
]);

async function ozErc4626Gas(): Promise<{ deposit: bigint; redeem: bigint }> {
  const token = await viem.deployContract("BenchToken", ["Asset", parseEther("1000000")]);
  const oz = await viem.deployContract("BenchERC4626", [token.address]);
  await gasOf(await token.write.approve([oz.address, maxUint256]));
  await gasOf(await oz.write.deposit([parseEther("5"), wallet!.account.address]));
  const deposit = await gasOf(await oz.write.deposit([parseEther("2"), wallet!.account.address]));
  const balance = await oz.read.balanceOf([wallet!.account.address]);
  const redeem = await gasOf(await oz.write.redeem([balance / 4n, wallet!.account.address, wallet!.account.address]));
  return { deposit, redeem };
}
const oz = await ozErc4626Gas();

/* Router allocations over 1, 4 and 16 legs, and a rebalance of 4 legs */

const legsOf = (n: number) =>
  positions
    .slice(0, n)
    .map((p) => ({ netuid: p.netuid, hotkey: p.hotkey, weight: 1, limitPriceRaoPerAlpha: NO_LIMIT, minSharesOut: 0n }));
// 4 legs: one per subnet (positions 0, 4, 8, 12); 16 legs: every position.
const legs1 = legsOf(1);
const legs4 = [0, 4, 8, 12].map((i) => legsOf(16)[i]!);
const legs16 = legsOf(16);
async function allocateGas(legs: ReturnType<typeof legsOf>): Promise<bigint> {
  const amount = parseEther("1") * BigInt(legs.length);
  const send = () =>
    router.write.allocate([legs, user!.account.address, DEADLINE], { value: amount, account: user!.account });
  await gasOf(await send()); // warm: the user holds shares in every vault
  await testClient.mine({ blocks: 3 });
  const touched = [...new Set(legs.map((l) => l.netuid))];
  const gas = await gasInOneBlock([...touched.map(poke), send]);
  return gas.at(-1)!;
}
const allocate1 = await allocateGas(legs1);
const allocate4 = await allocateGas(legs4);
const allocate16 = await allocateGas(legs16);

// Rebalance: from positions 1, 2 (netuid A) and 5, 6 (netuid B) into 3 (same netuid as 1, 2), 7, 8, 12.
async function rebalanceGas(): Promise<bigint> {
  const from = [1, 2, 5, 6];
  const to = [3, 7, 8, 12];
  for (const i of from) {
    const v = await vaultAt(i);
    await gasOf(await v.write.approve([liquid.router.address, maxUint256], { account: user!.account }));
  }
  const movesOf = async () =>
    Promise.all(
      from.map(async (i, k) => {
        const v = await vaultAt(i);
        const balance = await v.read.balanceOf([user!.account.address]);
        return {
          fromVault: vaults[i]!,
          toVault: vaults[to[k]!]!,
          shares: balance / 4n,
          minSharesOut: 0n,
          limitPriceRaoPerAlpha: NO_LIMIT,
          viaTao: false,
        };
      }),
    );
  await gasOf(
    await router.write.rebalance([await movesOf(), user!.account.address, DEADLINE], { account: user!.account }),
  );
  await testClient.mine({ blocks: 3 });
  const moves = await movesOf();
  const gas = await gasInOneBlock([
    ...netuids.map(poke),
    () => router.write.rebalance([moves, user!.account.address, DEADLINE], { account: user!.account }),
  ]);
  return gas.at(-1)!;
}
const rebalance4 = await rebalanceGas();

const ratio = (x: bigint, base: bigint) => Math.round((Number(x) / Number(base)) * 10_000) / 10_000;
/** Gas without the 21,000 every transaction pays: what the call itself costs. */
const TX_BASE = 21_000n;
const exec = (gas: bigint) => gas - TX_BASE;
const results: Record<string, number> = {
  vault_deposit_gas: Number(vaultDeposit),
  vault_redeem_gas: Number(vaultRedeem),
  oz_erc4626_deposit_gas: Number(oz.deposit),
  oz_erc4626_redeem_gas: Number(oz.redeem),
  adapter_stake_gas: Number(adapterStake),
  adapter_unstake_gas: Number(adapterUnstake),
  vault_deposit_ratio_vs_oz_erc4626_plus_adapter: ratio(vaultDeposit!, oz.deposit + adapterStake!),
  vault_redeem_ratio_vs_oz_erc4626_plus_adapter: ratio(vaultRedeem!, oz.redeem + adapterUnstake!),
  // The same comparison without the transaction base cost, which the sum above counts twice.
  vault_deposit_execution_ratio_vs_oz_erc4626_plus_adapter: ratio(
    exec(vaultDeposit!),
    exec(oz.deposit) + exec(adapterStake!),
  ),
  vault_redeem_execution_ratio_vs_oz_erc4626_plus_adapter: ratio(
    exec(vaultRedeem!),
    exec(oz.redeem) + exec(adapterUnstake!),
  ),
  router_allocate_1_legs_gas: Number(allocate1),
  router_allocate_4_legs_gas: Number(allocate4),
  router_allocate_16_legs_gas: Number(allocate16),
  router_allocate_gas_per_extra_leg: Math.round(Number(allocate16 - allocate1) / 15),
  router_rebalance_4_legs_gas: Number(rebalance4),
};

const width = Math.max(...Object.keys(results).map((k) => k.length));
console.log(`\n${"figure".padEnd(width)}  value`);
console.log(`${"-".repeat(width)}  ${"-".repeat(12)}`);
for (const [key, value] of Object.entries(results)) console.log(`${key.padEnd(width)}  ${value}`);

const out = path.resolve(import.meta.dirname, "../bench/results.json");
await mkdir(path.dirname(out), { recursive: true });
const previous = await readFile(out, "utf8")
  .then((t) => JSON.parse(t) as Record<string, unknown>)
  .catch(() => ({}));
await writeFile(out, `${JSON.stringify({ ...previous, ...results }, null, 2)}\n`);
console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
