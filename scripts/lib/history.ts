/**
 * The seed's history: what a subnet's past leaves behind on Bittensor, replayed quickly so the local economy starts
 * where a real one is — alpha well below 1 TAO, the prices of different subnets far apart.
 *
 * On the chain every subnet emits 1 alpha per block to its owner, miners and validators, and most of it is sold:
 * that selling, against the TAO that emission and stakers bring in, is what sets prices. The model does the same:
 * the emitted alpha reaches its holders only through epoch settlement, so every round of history is settled by the
 * local keepers on EpochSettlement (local-keepers.ts): they close each subnet's due epoch, run the exact Yuma engine
 * on its snapshot, sign the report (2 of 3), submit and finalise it (the owner cut, the validators' dividends, the
 * permits) and claim the miners' incentive on their behalf. Owners set fresh weights before each round, so the
 * owner's uid (the only one with a validator permit at first, and the only validator that sets weights) makes the
 * consensus, as on a new subnet. Miners then sell what they are paid, and owners sell or buy with limit prices, so
 * each subnet's price moves toward the seed's target (seed.ts runs the rounds).
 */
import type { Hex } from "viem";

import { priceWadToRaoPerAlphaDown } from "../../client/index.ts";
import { maxNetAlphaInForLimit, maxNetTaoInForLimit } from "../../keeper/model/math.ts";
import type { Economy } from "./economy.ts";
import type { Actor, Kit } from "./kit.ts";
import type { LocalKeepers } from "./local-keepers.ts";

/** What the history needs to know of a subnet. */
export interface HistorySubnet {
  netuid: number;
  name: string;
  owner: Actor;
  /** The target spot price, TAO per alpha × 1e18. */
  targetPriceWad: bigint;
  /** Miner hotkeys with their uid and the coldkey (operator) that owns them. */
  miners: { hotkey: Hex; uid: number; operator: Actor }[];
  /** The owner's last weights: uid → value (of 65,535). */
  weights: Map<number, number>;
}

/** Keeper ticks one history round may take before the seed gives up (each epoch needs about five). */
const MAX_SETTLE_TICKS = 200;

/**
 * Settles every subnet's pending emission through EpochSettlement: ticks the local keepers until each subnet has
 * finalised an epoch closed at or after the current block and its claims are done (nothing left claimable). An
 * epoch that falls due meanwhile may stay open; the next round or the keepers' own loop settles it. Returns each
 * subnet's last settled epoch.
 */
export async function settleHistory(
  kit: Kit,
  economy: Economy,
  keepers: LocalKeepers,
  subnets: readonly HistorySubnet[],
): Promise<Map<number, number>> {
  const from = Number(await kit.publicClient.getBlockNumber());
  const settled = new Map<number, number>();
  for (let tick = 0; ; tick++) {
    for (const subnet of subnets) {
      if (settled.has(subnet.netuid)) continue;
      const [generation, , finalised] = await economy.settlement.read.progress([subnet.netuid]);
      if (finalised === 0) continue;
      const record = await economy.settlement.read.epochRecord([subnet.netuid, generation, finalised]);
      if (record.snapshotBlock >= from && record.claimableAlphaRao === 0n) settled.set(subnet.netuid, finalised);
    }
    if (settled.size === subnets.length) return settled;
    if (tick === MAX_SETTLE_TICKS) {
      const left = subnets.filter((s) => !settled.has(s.netuid)).map((s) => `${s.name} (netuid ${s.netuid})`);
      throw new Error(
        `the keepers did not settle an epoch of ${left.join(", ")} in ${MAX_SETTLE_TICKS} ticks; see their warnings above`,
      );
    }
    const before = await kit.publicClient.getBlockNumber();
    await keepers.tickAll();
    // Nothing sent: a block, so an epoch that falls due soon does not wait for the node's interval.
    if ((await kit.publicClient.getBlockNumber()) === before) await kit.mine(1);
  }
}

/** A trade worth less than this many minimum stakes is not worth steering with. */
const SMALL_FILL_MIN_STAKES = 50n;

/**
 * A steering trade. The pool moves between the read that sized it and the block that runs it (that block's
 * catch-up comes first), so a limit order can find nothing left to fill (`LimitPriceCrossed`) or a fill below the
 * minimum stake (`AmountTooLow`): the history then goes on without it. Any other failure is a real one.
 */
async function tryTrade(kit: Kit, what: string, write: () => Promise<Hex>): Promise<void> {
  try {
    await kit.send(what, write);
  } catch (error) {
    if (!(error instanceof Error) || !/LimitPriceCrossed|AmountTooLow/.test(error.message)) throw error;
  }
}

/** Relative distance from the target at which the price counts as reached. */
const PRICE_TOLERANCE_PPM = 20_000n; // 2 %

/**
 * Moves `subnet`'s spot price toward its target with limit orders: above it, the owner sells (`removeStakeLimit`
 * fills only down to the target); below it, the owner buys (`addStakeLimit` fills only up to it, the rest is
 * refunded). Returns the spot price reached.
 */
export async function steerPrice(
  kit: Kit,
  economy: Economy,
  subnet: HistorySubnet,
  budgetRao: bigint,
): Promise<bigint> {
  const { netuid } = subnet;
  const targetRao = priceWadToRaoPerAlphaDown(subnet.targetPriceWad);
  const spot = async () => priceWadToRaoPerAlphaDown((await economy.lens.read.market([netuid])).spotPriceWad);
  const far = (price: bigint) => {
    const diff = price > targetRao ? price - targetRao : targetRao - price;
    return diff * 1_000_000n > targetRao * PRICE_TOLERANCE_PPM;
  };
  const market = await economy.lens.read.market([netuid]);
  const price = priceWadToRaoPerAlphaDown(market.spotPriceWad);
  if (!far(price)) return price;
  if (price < targetRao) {
    // A gap that a fill of a few minimum stakes closes is left alone: the block's own catch-up may close it
    // first, and a partial fill below the minimum stake reverts.
    const netRao = maxNetTaoInForLimit(market.taoReserveRao, market.alphaReserveAlphaRao, targetRao);
    if (netRao < market.minStakeRao * SMALL_FILL_MIN_STAKES) return price;
    await tryTrade(kit, `${subnet.owner.label} buys ${subnet.name} toward its price`, async () =>
      subnet.owner.pools.write.addStakeLimit([subnet.owner.coldkey, netuid, targetRao, true, await kit.deadline()], {
        value: budgetRao * 1_000_000_000n,
      }),
    );
    return spot();
  }
  // The owner sells what it holds (its cut, its take and its vested dividends), down to the target at most.
  const owner = subnet.owner;
  const stakeRao = await economy.pools.read.getStake([owner.coldkey, owner.coldkey, netuid]);
  const netAlphaRao = maxNetAlphaInForLimit(market.taoReserveRao, market.alphaReserveAlphaRao, targetRao);
  const worthRao = ((netAlphaRao < stakeRao ? netAlphaRao : stakeRao) * price) / 1_000_000_000n;
  if (worthRao < market.minStakeRao * SMALL_FILL_MIN_STAKES) return price;
  await tryTrade(kit, `${owner.label} sells on ${subnet.name}`, async () =>
    owner.pools.write.removeStakeLimit([owner.coldkey, netuid, stakeRao, targetRao, true, await kit.deadline()]),
  );
  return spot();
}
