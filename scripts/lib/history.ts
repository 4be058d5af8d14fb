/**
 * The seed's history: what a subnet's past leaves behind on Bittensor, replayed quickly so the local economy starts
 * where a real one is — alpha well below 1 TAO, the prices of different subnets far apart.
 *
 * On the chain every subnet emits 1 alpha per block to its owner, miners and validators, and most of it is sold:
 * that selling, against the TAO that emission and stakers bring in, is what sets prices. The model does the same,
 * but the emitted alpha reaches its holders only through an epoch settlement, which is not part of the local stack
 * yet. Until it is, the deployment's settler (the account that holds SETTLER_ROLE; on the local chain the deployer)
 * settles the history epochs here, as an epoch does while the owner's uid is the only one with a validator permit
 * (new subnets start that way, and only an epoch can give out more permits):
 *   - the owner cut (18 %) to the owner;
 *   - the miners' 41 % in proportion to the owner's weights (with one permitted validator, Yuma's consensus is its
 *     weights), credited by `payMiners` (the pools keep it owed until then);
 *   - the validators' part to the owner's hotkey, the only validator: its take to the owner as stake, the rest as a
 *     dividend that vests into the hotkey's pool;
 *   - the root stakers' part as a root dividend of the owner's hotkey, or to the owner as stake when its root stake
 *     is too small (as the chain does).
 * Miners then sell what they are paid, and owners sell or buy with limit prices, so each subnet's price moves toward
 * the seed's target (seed.ts runs the rounds).
 */
import { keccak256, parseEventLogs, toHex, type Hex } from "viem";

import { priceWadToRaoPerAlphaDown } from "../../client/index.ts";
import { maxNetAlphaInForLimit, maxNetTaoInForLimit } from "../../keeper/model/math.ts";
import type { Economy } from "./economy.ts";
import type { Actor, Kit } from "./kit.ts";

const SETTLER_ROLE_NAME = "SETTLER_ROLE";
const TAKE_DENOMINATOR = 65_535n;

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
  /** Miners' incentive settled but not yet credited (alpha-rao), per generation. */
  minersOwedAlphaRao: bigint;
  generation: number;
}

/** Makes sure `settler` may settle: the local deployment grants it SETTLER_ROLE; a deployment that moved the role
 * elsewhere gets it granted back by the admin (the same account), which this says. */
export async function ensureSettler(
  kit: Kit,
  economy: Economy,
  settler: Actor,
  log: (line: string) => void,
): Promise<void> {
  const role = keccak256(toHex(SETTLER_ROLE_NAME));
  const grants = [
    {
      name: "AlphaPools",
      has: () => economy.pools.read.hasRole([role, settler.address]),
      grant: () => settler.pools.write.grantRole([role, settler.address]),
    },
    {
      name: "RootDividends",
      has: () => economy.rootDividends.read.hasRole([role, settler.address]),
      grant: () => settler.rootDividends.write.grantRole([role, settler.address]),
    },
  ];
  for (const { name, has, grant } of grants) {
    if (await has()) continue;
    await kit.send(`grant ${SETTLER_ROLE_NAME} on ${name}`, grant);
    log(`granted ${SETTLER_ROLE_NAME} on ${name} to ${settler.label} ${settler.address} to settle the seed's history`);
  }
}

/**
 * Settles `subnet`'s pending emission (one epoch of history). The miners' part stays owed in the pools and is added
 * to `minersOwedAlphaRao` for `payMiners`.
 */
export async function settleHistoryEpoch(kit: Kit, economy: Economy, settler: Actor, subnet: HistorySubnet) {
  const receipt = await kit.send(`closePending ${subnet.name}`, () =>
    settler.pools.write.closePending([subnet.netuid]),
  );
  const [closed] = parseEventLogs({ abi: economy.pools.abi, logs: receipt.logs, eventName: "ClosePending" });
  if (!closed) throw new Error(`closePending ${subnet.name}: no ClosePending event`);
  const { generation, pot } = closed.args;
  if (generation !== subnet.generation) {
    subnet.minersOwedAlphaRao = 0n; // a new subnet instance: nothing of the old one is owed to its miners
    subnet.generation = generation;
  }
  const { owner, netuid } = subnet;
  const ownerHotkey = owner.coldkey; // the owner's hotkey is its own account id
  const takeRao =
    (pot.validatorAlphaRao * BigInt(await economy.metagraph.read.takeOf([ownerHotkey]))) / TAKE_DENOMINATOR;
  let ownerStakeRao = pot.ownerCutAlphaRao + takeRao;
  const dividendRao = pot.validatorAlphaRao - takeRao;
  if (pot.rootAlphaRao > 0n) {
    const rootStakeRao = (await economy.pools.read.hotkeyPool([ownerHotkey, 0])).alphaRao;
    if (rootStakeRao >= pot.rootAlphaRao) {
      await kit.send(`root dividend on ${subnet.name}`, () =>
        settler.rootDividends.write.creditRootDividend([netuid, generation, ownerHotkey, pot.rootAlphaRao]),
      );
    } else {
      ownerStakeRao += pot.rootAlphaRao; // the chain stakes a root dividend too large for the hotkey to its owner
    }
  }
  // The owner's own stake first: a dividend to a hotkey pool without stake would go to the owner anyway.
  if (ownerStakeRao > 0n) {
    await kit.send(`owner cut on ${subnet.name}`, () =>
      settler.pools.write.creditStake([netuid, generation, ownerHotkey, owner.coldkey, ownerStakeRao]),
    );
  }
  if (dividendRao > 0n) {
    await kit.send(`owner's dividend on ${subnet.name}`, () =>
      settler.pools.write.creditDividend([netuid, generation, ownerHotkey, owner.coldkey, dividendRao]),
    );
  }
  subnet.minersOwedAlphaRao += pot.serverAlphaRao;
  return pot;
}

/** Credits the miners' owed incentive in proportion to the owner's weights; the rounding rest to the top miner. */
export async function payMiners(kit: Kit, settler: Actor, subnet: HistorySubnet): Promise<bigint> {
  const owed = subnet.minersOwedAlphaRao;
  const weighted = subnet.miners
    .map((m) => ({ miner: m, weight: BigInt(subnet.weights.get(m.uid) ?? 0) }))
    .filter((w) => w.weight > 0n)
    .sort((a, b) => (b.weight > a.weight ? 1 : b.weight < a.weight ? -1 : a.miner.uid - b.miner.uid));
  const total = weighted.reduce((sum, w) => sum + w.weight, 0n);
  if (owed === 0n || total === 0n) return 0n;
  const amounts = weighted.map((w) => (owed * w.weight) / total);
  amounts[0]! += owed - amounts.reduce((a, b) => a + b, 0n);
  for (const [i, { miner }] of weighted.entries()) {
    const amount = amounts[i]!;
    if (amount === 0n) continue;
    await kit.send(`incentive of miner uid ${miner.uid} on ${subnet.name}`, () =>
      settler.pools.write.creditStake([subnet.netuid, subnet.generation, miner.hotkey, miner.operator.coldkey, amount]),
    );
  }
  subnet.minersOwedAlphaRao = 0n;
  return owed;
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
