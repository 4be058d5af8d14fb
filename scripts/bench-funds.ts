/**
 * Gas benchmarks of the funds, measured on the in-process chain with the precompile adapters installed at
 * Bittensor's addresses, as `npm start` runs them.
 *
 * A mining fund (a direct position and a liquid vault position on one subnet): a new investor's contribution, a
 * contributor's share claim after the raise, a redemption request, and processing a queue of 1, 50 and 500 ready
 * requests in one call (each request to its own receiver). The per-request figure is the batch's gas divided by its
 * requests; the goal is a constant cost per processed request, so the table also shows the marginal cost of a request
 * (from the 50 and 500 batches) and the ratio of the 500 figure to the 1 figure. An index fund over 8 and over 32
 * subnets: a rebalance that puts a new deposit to work on every subnet (every leg trades). Every measured transaction
 * shares its block with a `poke` of the subnets it touches, so none pays a subnet's per-block emission catch-up.
 *
 * The chain runs the cancun rules (Bittensor's EVM; the contracts are compiled for it): the 500-request batch is
 * larger than the per-transaction gas cap that later forks add. Merges its keys into bench/results.json, keeping the
 * others. Reports; never fails on the numbers.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { network } from "hardhat";
import { getAddress, type Hex, maxUint256, parseEther } from "viem";

import { DEFAULT_HYPERPARAMETERS } from "../ignition/modules/SubnetEconomy.ts";
import { deployEconomy } from "./lib/economy.ts";
import {
  createFund,
  deployFundFactory,
  type EngineConfig,
  type FundPosition,
  indexInitData,
  miningInitData,
  saltOf,
  ZERO_ADDRESS,
  ZERO_ROOT,
} from "./lib/funds.ts";
import { createVaults, deployLiquidStaking } from "./lib/liquid.ts";
import { installPrecompiles } from "./lib/precompiles.ts";
import { gasMeter } from "./lib/gas.ts";

const RAO = 10n ** 9n;
const SHARE = 10n ** 18n;
const NO_LIMIT = 2n ** 64n - 1n;
const NOTICE_SECONDS = 3600;
const QUEUES = [1, 50, 500] as const;
const INDEX_SIZES = [8, 32] as const;

const conn = await network.create({ override: { hardfork: "cancun" } });
const { viem } = conn;
const publicClient = await viem.getPublicClient();
const testClient = await viem.getTestClient();
const wallets = await viem.getWalletClients();
const [wallet] = wallets;
if (!wallet || wallets.length < 8) throw new Error("the in-process network has too few accounts");
for (const w of wallets.slice(0, 8)) {
  await testClient.setBalance({ address: w.account.address, value: parseEther("10000000") });
}

const { gasOf, gasInOneBlock } = gasMeter({ publicClient, testClient });

const now = async () => (await publicClient.getBlock()).timestamp;
const progress = (line: string) => process.stderr.write(`bench-funds: ${line}\n`);

/* The economy: 32 deep subnets (10,000 TAO locked each, so the fund's trades move prices little) whose moving
 * prices follow their spot prices within a few blocks. */

const economy = await deployEconomy(conn, {
  movingAlphaWad: 5n * 10n ** 17n,
  emaHalvingBlocks: 1n,
  minTempo: 1n,
  minLockRao: 10_000n * RAO,
  lockReductionInterval: 1n, // the lock cost falls back to the minimum one block after each registration
  networkRateLimit: 0n,
  subnetLimit: 40n,
  initialBurnRao: 10n ** 8n,
  hyperparameters: { ...DEFAULT_HYPERPARAMETERS, immunityPeriod: 10, weightsRateLimit: 0 },
});
const { pools, registry } = economy;
await pools.write.fundEmissionReserve({ value: parseEther("100000") });
const installed = await installPrecompiles(conn, economy);
const liquid = await deployLiquidStaking(conn, installed);
const funds = await deployFundFactory(conn, installed);

const ownHotkey = await pools.read.coldkeyOf([wallet.account.address]);
const netuids: number[] = [];
progress(`registering ${Math.max(...INDEX_SIZES)} subnets`);
for (let s = 0; s < Math.max(...INDEX_SIZES); s++) {
  await testClient.mine({ blocks: 2 });
  const cost = await registry.read.lockCost();
  await gasOf(await registry.write.registerNetwork([ownHotkey, `Fund bench ${s}`, cost], { value: cost * RAO }));
  const netuid = (await registry.read.activeNetuids()).at(-1)!;
  await gasOf(await registry.write.startCall([netuid]));
  netuids.push(netuid);
}
await testClient.mine({ blocks: 30 }); // the moving prices reach the spot prices
const poke = (netuid: number) => () => pools.write.poke([netuid]);
const pokeAll = (subset: readonly number[]) => subset.map(poke);

function engineConfig(name: string, positions: FundPosition[]): EngineConfig {
  const me = wallet!.account.address;
  return {
    name,
    symbol: name.replaceAll(" ", "").slice(0, 8).toUpperCase(),
    roles: { governance: me, guardian: me, manager: me, feeRecipient: me },
    managementFeeBps: 100,
    performanceFeeBps: 1_000,
    noticePeriodSeconds: NOTICE_SECONDS,
    timelockSeconds: NOTICE_SECONDS + 86_400,
    maxSlippageBps: 1_000,
    minRedemptionShares: SHARE / 1000n,
    positions,
  };
}

/* The mining fund: a raise, shares claimed, capital deployed, then redemption queues of 1, 50 and 500 */

progress("mining fund: raise, claims, deployment");
const netuid0 = netuids[0]!;
const [vault0] = await createVaults(conn, liquid, [{ netuid: netuid0, hotkey: ownHotkey }]);
const start = await now();
const mining = await createFund(
  conn,
  funds.factory.address,
  "mining",
  saltOf("bench mining"),
  await miningInitData(
    conn,
    engineConfig("Bench Mining", [
      { netuid: netuid0, hotkey: ownHotkey, vault: ZERO_ADDRESS },
      { netuid: netuid0, hotkey: ownHotkey, vault: vault0! },
    ]),
    {
      softCapRao: 100n * RAO,
      hardCapRao: 100_000n * RAO,
      startTime: start,
      endTime: start + 86_400n,
      minContributionRao: RAO,
      maxContributionRao: 10_000n * RAO,
      allowlistRoot: ZERO_ROOT,
      organization: wallet.account.address,
      organizationAllocationBps: 1_000,
      vestingCliffSeconds: 0n,
      vestingDurationSeconds: 365n * 86_400n,
    },
  ),
);
const fund = await viem.getContractAt("MiningFund", mining.address);
const investors = wallets.slice(1, 6);
const contributeGas: bigint[] = [];
for (const investor of investors) {
  contributeGas.push(
    await gasOf(await fund.write.contribute([[]], { value: parseEther("300"), account: investor.account })),
  );
}
await testClient.increaseTime({ seconds: 86_400 });
await gasOf(await fund.write.finalize());
const claimGas: bigint[] = [];
for (const investor of investors) {
  claimGas.push(await gasOf(await fund.write.claimShares({ account: investor.account })));
}
// The manager deploys part of the raise: direct stake and the vault, 100 TAO each (1 % of the pool: more would lift
// the spot price past the policy's ceiling, 10 % over a moving price that the chain caps at 1 TAO).
await gasOf(await fund.write.stake([0n, 100n * RAO, NO_LIMIT]));
await gasOf(await fund.write.stake([1n, 100n * RAO, NO_LIMIT]));
await testClient.mine({ blocks: 3 });

const holder = investors[0]!;
const requestShares = SHARE / 5n; // 0.2 of a share (about 0.2 TAO)
const requestGas: bigint[] = [];
const processGas = new Map<number, bigint>();
let receiverSeed = 0x100000n;
for (const q of QUEUES) {
  progress(`queue of ${q}: requests`);
  await testClient.setAutomine(false);
  const hashes: Hex[] = [];
  for (let i = 0; i < q; i++) {
    // Every request pays a receiver of its own, as a queue of distinct investors would.
    const receiver = getAddress(`0x${(receiverSeed++).toString(16).padStart(40, "0")}`);
    hashes.push(await fund.write.requestRedemption([requestShares, receiver, false], { account: holder.account }));
    if (hashes.length % 100 === 0) await testClient.mine({ blocks: 1 });
  }
  await testClient.mine({ blocks: 1 });
  await testClient.setAutomine(true);
  for (const hash of hashes) requestGas.push(await gasOf(hash));
  await testClient.increaseTime({ seconds: NOTICE_SECONDS + 1 });
  await testClient.mine({ blocks: 3 });
  progress(`queue of ${q}: processing`);
  const [, gas] = await gasInOneBlock([poke(netuid0), () => fund.write.processRedemptions([BigInt(q), maxUint256])]);
  processGas.set(q, gas!);
  const head = await fund.read.queueHead();
  const tail = await fund.read.queueTail();
  if (head !== tail) throw new Error(`the batch of ${q} left ${tail - head} requests in the queue`);
}

/* The index over 8 and 32 subnets: a rebalance that puts a new deposit to work on every subnet */

async function indexRebalanceGas(size: number): Promise<bigint> {
  progress(`index over ${size} subnets`);
  const subset = netuids.slice(0, size);
  const positions = subset.map((netuid) => ({ netuid, hotkey: ownHotkey, vault: ZERO_ADDRESS }));
  const created = await createFund(
    conn,
    funds.factory.address,
    "index",
    saltOf(`bench index ${size}`),
    await indexInitData(conn, engineConfig(`Bench Index ${size}`, positions), {
      maxWeightsBps: subset.map(() => 0),
      toleranceBps: 100,
      minRebalanceIntervalSeconds: 0,
    }),
  );
  const index = await viem.getContractAt("SubnetIndexFund", created.address);
  // Warm: the fund already holds every position.
  await gasOf(await index.write.deposit([wallet!.account.address, 0n], { value: parseEther(String(4 * size)) }));
  await gasOf(await index.write.rebalance());
  await gasOf(await index.write.deposit([wallet!.account.address, 0n], { value: parseEther(String(2 * size)) }));
  await testClient.mine({ blocks: 3 });
  const gas = await gasInOneBlock([...pokeAll(subset), () => index.write.rebalance()]);
  const receipt = await publicClient.getTransactionReceipt({
    hash: (await publicClient.getBlock({ includeTransactions: true })).transactions.at(-1)!.hash,
  });
  const logs = await index.getEvents.Rebalanced({}, { blockHash: receipt.blockHash });
  const legs = Number(logs[0]?.args.legs ?? 0n);
  if (legs !== size) throw new Error(`the rebalance over ${size} subnets traded ${legs} legs, not ${size}`);
  return gas.at(-1)!;
}
const rebalance = new Map<number, bigint>();
for (const size of INDEX_SIZES) rebalance.set(size, await indexRebalanceGas(size));

/* Figures */

const median = (xs: bigint[]) => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))[Math.floor(xs.length / 2)]!;
const perRequest = (q: number) => Math.round(Number(processGas.get(q)!) / q);
const ratio = (x: number, base: number) => Math.round((x / base) * 10_000) / 10_000;
const marginal = Math.round(Number(processGas.get(500)! - processGas.get(50)!) / 450);
const results: Record<string, number> = {
  // A new investor (the third) contributes; a contributor claims its shares (not the first claim).
  fund_contribute_gas: Number(contributeGas[2]!),
  fund_claim_shares_gas: Number(claimGas[2]!),
  // The median request of all the queues (each a new queue entry; the holder already holds shares).
  fund_request_redemption_gas: Number(median(requestGas)),
  fund_process_redemption_per_request_gas_1: perRequest(1),
  fund_process_redemption_per_request_gas_50: perRequest(50),
  fund_process_redemption_per_request_gas_500: perRequest(500),
  fund_process_redemption_marginal_gas_per_request: marginal,
  fund_process_redemption_per_request_ratio_500_vs_1: ratio(perRequest(500), perRequest(1)),
  fund_process_redemption_per_request_ratio_500_vs_50: ratio(perRequest(500), perRequest(50)),
  index_rebalance_8_subnets_gas: Number(rebalance.get(8)!),
  index_rebalance_32_subnets_gas: Number(rebalance.get(32)!),
  index_rebalance_gas_per_extra_subnet: Math.round(Number(rebalance.get(32)! - rebalance.get(8)!) / 24),
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
