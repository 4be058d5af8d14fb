/**
 * The light loop that keeps a seeded economy moving, and the numbers `npm start` prints about it.
 *
 * Each round pokes every subnet (so the moving prices and the emission shares advance block by block), owners whose
 * weights are getting old set them again, and now and then: a user stakes or unstakes, an owner sets new weights (the
 * owner's uid is the one with a validator permit until an epoch gives out more), a miner hotkey registers on another
 * subnet, a validator adds stake. Emission
 * accumulates as pending alpha until the keepers settle the subnet's epoch on EpochSettlement.
 */
import type { NetworkConnection } from "hardhat/types/network";

import {
  formatAlphaRaoAsAlpha,
  formatPriceWadAsTaoPerAlpha,
  formatRaoAsTao,
  formatWadAsPercent,
} from "../../client/index.ts";
import type { Economy } from "./economy.ts";
import { makeKit, RAO_PER_TAO, taoWei } from "./kit.ts";
import { pickWeighted, registerNeuron, setOwnerWeights, type World } from "./seed.ts";

export interface Activity {
  /**
   * One round: pokes every subnet, then maybe (always with `force`) a trade, an owner's weights, a registration
   * and a validator's stake. Returns what happened.
   */
  tick(options?: { force?: boolean }): Promise<string[]>;
}

/** Failures of single actions are reported, not thrown. */
export async function createActivity(connection: NetworkConnection, economy: Economy, world: World): Promise<Activity> {
  const kit = await makeKit(connection, economy);
  const { publicClient, send, deadline } = kit;
  const { random, subnets, users, operator } = world;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const between = (lo: number, hi: number) => lo + (hi - lo) * random();

  /** Where users stake: each subnet's owner and validators, and each passive (imported) subnet's validator. */
  const markets = [
    ...subnets.map((subnet) => ({
      netuid: subnet.netuid,
      name: subnet.name,
      hotkeys: [subnet.owner, ...subnet.validators].map((a) => ({ hotkey: a.coldkey, label: a.label })),
    })),
    ...world.passive.map(({ netuid, name, hotkey }) => ({
      netuid,
      name,
      hotkeys: [{ hotkey, label: `${hotkey.slice(0, 10)}…` }],
    })),
  ];

  const depths = async () => {
    const stored = await economy.lens.read.markets();
    return markets.map((market) => ({
      market,
      depthTao: Number((stored.find((m) => m.netuid === market.netuid)?.taoReserveRao ?? 0n) / RAO_PER_TAO),
    }));
  };

  const trade = async (): Promise<string | undefined> => {
    if (markets.length === 0) return undefined;
    const user = pick(users);
    const { market, depthTao } = pickWeighted(await depths(), random);
    const v = pick(market.hotkeys);
    const staked = await economy.pools.read.getStake([v.hotkey, user.coldkey, market.netuid]);
    if (staked > 0n && random() < 0.45) {
      // Unstake a part (or all of a small position).
      const part = random() < 0.2 ? staked : (staked * BigInt(Math.round(between(0.2, 0.7) * 1000))) / 1000n;
      const taoOut = await economy.lens.read.quoteUnstake([market.netuid, part]);
      const all = part === staked || taoOut < 10_000_000n;
      await send(`${user.label} unstakes on ${market.name}`, async () =>
        all
          ? user.pools.write.removeStakeFull([v.hotkey, market.netuid, 0n, await deadline()])
          : user.pools.write.removeStake([v.hotkey, market.netuid, part, 0n, await deadline()]),
      );
      return `${user.label} unstaked ${all ? "all" : formatAlphaRaoAsAlpha(part)} α (≈${formatRaoAsTao(taoOut)} TAO) from ${market.name}`;
    }
    const amount = Math.max(0.5, Math.round(depthTao * between(0.001, 0.01) * 100) / 100);
    await send(`${user.label} stakes on ${market.name}`, async () =>
      user.pools.write.addStake([v.hotkey, market.netuid, 0n, await deadline()], { value: taoWei(amount) }),
    );
    return `${user.label} staked ${amount} TAO on ${market.name} via ${v.label}`;
  };

  const weights = async (): Promise<string | undefined> => {
    if (subnets.length === 0) return undefined;
    const subnet = pick(subnets);
    const [neuron] = await economy.metagraph.read.neurons([subnet.netuid, 0, 1]);
    const block = await publicClient.getBlockNumber();
    // The next transaction lands in block + 1.
    if (!neuron || block + 1n < BigInt(neuron.lastUpdate) + world.weightsRateLimit) return undefined;
    // Miners drift a little: the subnet's quality changes over time.
    subnet.quality = subnet.quality.map((q) => Math.min(1, Math.max(0.05, q * (0.9 + 0.2 * random()))));
    await setOwnerWeights(world, kit, subnet);
    return `${subnet.owner.label} set weights on ${subnet.name}`;
  };

  /**
   * Owners whose weights are getting old set them again, as validators do every tempo on the chain: weights older
   * than the activity cutoff leave the owner's uid inactive, and its subnet's epochs without consensus (no incentive
   * for miners, dividends by stake). The keepers' transactions make blocks pass quickly, so a random pick is not enough.
   */
  const refreshWeights = async (): Promise<string | undefined> => {
    const block = await publicClient.getBlockNumber();
    const refreshed: string[] = [];
    for (const subnet of subnets) {
      const [neuron] = await economy.metagraph.read.neurons([subnet.netuid, 0, 1]);
      if (!neuron || block + 1n < BigInt(neuron.lastUpdate) + world.weightsRefreshBlocks) continue;
      await setOwnerWeights(world, kit, subnet);
      refreshed.push(subnet.name);
    }
    return refreshed.length === 0 ? undefined : `owners refreshed their weights on ${refreshed.join(", ")}`;
  };

  const registration = async (): Promise<string | undefined> => {
    if (subnets.length === 0) return undefined;
    const subnet = pick(subnets);
    const onSubnet = new Set(subnet.miners.map((m) => m.hotkey));
    const candidates = world.minerHotkeys.filter((m) => !onSubnet.has(m.hotkey));
    if (candidates.length === 0) return undefined;
    const m = pick(candidates);
    const burn = await economy.metagraph.read.burnCost([subnet.netuid]);
    const uid = await registerNeuron(kit, economy, subnet, m.operator, m.hotkey);
    subnet.miners.push({ hotkey: m.hotkey, uid, operator: m.operator });
    subnet.quality.push(between(0.15, 1));
    return `${m.account.label} registered on ${subnet.name} as uid ${uid} (burned ≈${formatRaoAsTao(burn)} TAO)`;
  };

  const validatorStake = async (): Promise<string | undefined> => {
    const seeded = (await depths()).filter(({ market }) => subnets.some((x) => x.netuid === market.netuid));
    if (seeded.length === 0) return undefined;
    const { market, depthTao } = pickWeighted(seeded, random);
    const subnet = subnets.find((x) => x.netuid === market.netuid)!;
    const v = pick(subnet.validators);
    const amount = Math.max(1, Math.round(depthTao * between(0.002, 0.01) * 100) / 100);
    await send(`${v.label} stakes on ${subnet.name}`, async () =>
      v.pools.write.addStake([v.coldkey, subnet.netuid, 0n, await deadline()], { value: taoWei(amount) }),
    );
    return `${v.label} staked ${amount} TAO on its hotkey on ${subnet.name}`;
  };

  return {
    async tick({ force = false } = {}) {
      const events: string[] = [];
      const attempt = async (what: string, action: () => Promise<string | undefined>) => {
        try {
          const done = await action();
          if (done) events.push(done);
        } catch (error) {
          events.push(`${what} skipped: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
        }
      };
      for (const market of markets) {
        await attempt(`poke ${market.name}`, async () => {
          await send(`poke ${market.name}`, () => operator.pools.write.poke([market.netuid]));
          return undefined;
        });
      }
      if (force || random() < 0.7) await attempt("trade", trade);
      if (force || random() < 0.5) await attempt("weights", weights);
      await attempt("weights refresh", refreshWeights);
      if (force || random() < 0.1) await attempt("registration", registration);
      if (force || random() < 0.15) await attempt("validator stake", validatorStake);
      return events;
    },
  };
}

export interface SubnetStatus {
  netuid: number;
  name: string;
  spotPriceWad: bigint;
  movingPriceWad: bigint;
  emissionShareWad: bigint;
  /** The subnet's last epoch finalised on EpochSettlement. */
  settledEpoch: number;
}

export interface Status {
  block: bigint;
  subnets: SubnetStatus[];
  poolTaoRao: bigint;
  rootStakeRao: bigint;
  emissionReserveRao: bigint;
}

/** The numbers of the periodic status line. */
export async function readStatus(connection: NetworkConnection, economy: Economy): Promise<Status> {
  const publicClient = await connection.viem.getPublicClient();
  const [block, markets, [global, , root]] = await Promise.all([
    publicClient.getBlockNumber(),
    economy.lens.read.markets(),
    economy.pools.read.storedGlobal(),
  ]);
  const settled = await Promise.all(markets.map((m) => economy.settlement.read.progress([m.netuid])));
  return {
    block,
    subnets: markets.map((m, i) => ({
      netuid: m.netuid,
      name: m.name,
      spotPriceWad: m.spotPriceWad,
      movingPriceWad: m.movingPriceWad,
      emissionShareWad: m.emissionShareWad,
      settledEpoch: settled[i]![2],
    })),
    poolTaoRao: markets.reduce((sum, m) => sum + m.taoReserveRao, 0n),
    rootStakeRao: root.taoRao,
    emissionReserveRao: global.reserveRao,
  };
}

/** The status line: totals, then each subnet's price, emission share and settled epoch, the largest share first. */
export function formatStatus(s: Status): string {
  const byShare = [...s.subnets].sort((a, b) =>
    b.emissionShareWad > a.emissionShareWad ? 1 : b.emissionShareWad < a.emissionShareWad ? -1 : a.netuid - b.netuid,
  );
  const subnets = byShare
    .map(
      (m) =>
        `${m.name} ${formatPriceWadAsTaoPerAlpha(m.spotPriceWad, { maxDecimals: 4 })} τ/α ${formatWadAsPercent(m.emissionShareWad, 1)} e${m.settledEpoch}`,
    )
    .join(", ");
  return (
    `block ${s.block} · ${s.subnets.length} subnets · ${formatRaoAsTao(s.poolTaoRao, { maxDecimals: 2 })} TAO in pools · ` +
    `root ${formatRaoAsTao(s.rootStakeRao, { maxDecimals: 0 })} TAO · reserve ${formatRaoAsTao(s.emissionReserveRao, { maxDecimals: 0 })} TAO · ` +
    `price, emission share and settled epoch: ${subnets}`
  );
}

/** A table of the markets, as the lens sees them. */
export async function marketsTable(economy: Economy): Promise<string[]> {
  const markets = await economy.lens.read.markets();
  const lines = [
    `  ${"netuid".padEnd(7)}${"name".padEnd(11)}${"TAO in pool".padStart(14)}${"price".padStart(10)}` +
      `${"moving".padStart(10)}${"emission".padStart(10)}  neurons`,
  ];
  for (const m of markets) {
    lines.push(
      `  ${String(m.netuid).padEnd(7)}${m.name.padEnd(11)}${formatRaoAsTao(m.taoReserveRao, { maxDecimals: 2 }).padStart(14)}` +
        `${formatPriceWadAsTaoPerAlpha(m.spotPriceWad, { maxDecimals: 4 }).padStart(10)}` +
        `${formatPriceWadAsTaoPerAlpha(m.movingPriceWad, { maxDecimals: 4 }).padStart(10)}` +
        `${formatWadAsPercent(m.emissionShareWad, 1).padStart(10)}  ${m.neurons}`,
    );
  }
  return lines;
}
