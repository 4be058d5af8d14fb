/**
 * Seeds a living subnet economy on a local chain at Bittensor's magnitudes.
 *
 * The subnets of a snapshot (snapshot.ts; snapshots/default.json unless `npm start -- --snapshot <file>`): by
 * default ten subnets named after real ones, each with a price well below 1 TAO per alpha and more than an order of
 * magnitude between the cheapest and the dearest, pools, stake and neurons in proportion to the price (a subnet the
 * market values more has a deeper pool, more miners and more validators), so emission shares differ visibly and
 * follow the moving prices (the moving price is capped at 1 TAO, so prices above it would all weigh the same).
 *
 * The rules it follows are the chain's: hotkeys are accounts' ids and prove control (a hotkey that is not its
 * owner's own account approves the owner first), the owner's start call comes before any stake, neurons register
 * by burning TAO, and only the owner's uid has a validator permit until an epoch gives out more, so only owners set
 * weights on others; validators register, stake and take nominations. A few thousand blocks of emission history
 * are settled through EpochSettlement by the local keepers (history.ts, local-keepers.ts) and largely sold, which is
 * what brings prices down.
 *
 * Every actor is an account of the standard Hardhat mnemonic (see ACCOUNTS), signed locally and funded with
 * `hardhat_setBalance`. Amounts come from a seeded PRNG, so a seed is reproducible.
 */
import type { NetworkConnection } from "hardhat/types/network";
import { parseEventLogs, type Hex } from "viem";

import { formatPriceWadAsTaoPerAlpha, formatRaoAsTao } from "../../client/index.ts";
import type { Economy } from "./economy.ts";
import { settleHistory, steerPrice, type HistorySubnet } from "./history.ts";
import { makeKit, prng, RAO_PER_TAO, taoWei, type Actor, type Kit } from "./kit.ts";
import type { LocalKeepers } from "./local-keepers.ts";
import { DEFAULT_SNAPSHOT_FILE, readSnapshotFile, seedPlan, type SeedSubnetPlan } from "./snapshot.ts";

export { HARDHAT_MNEMONIC, prng, taoWei, type Actor } from "./kit.ts";

/** A subnet to register: its name, target spot price (TAO per alpha) and neuron counts (snapshot.ts `seedPlan`). */
export type SubnetSpec = SeedSubnetPlan;

/**
 * The default seed: snapshots/default.json, a hand-written snapshot at Bittensor's magnitudes. Ten subnets named
 * after real ones; prices, miners and validators follow the market's ranking (Σ prices ≈ 1.2, as on the chain where
 * the subnets' prices add up to a little over 1 TAO). The cheaper ones register first: they have the most history to
 * sell their price down, and their smaller locks keep their pools shallow; the later ones lock more and open at the
 * (by then low) median price, so the buying that lifts them to their price makes their pools deep. Depth then follows
 * price, as on the chain.
 */
export const SUBNETS: readonly SubnetSpec[] = seedPlan(readSnapshotFile(DEFAULT_SNAPSHOT_FILE));

const VALIDATOR_NAMES = ["Opentensor Foundation", "Taostats", "RoundTable21", "Yuma", "tao5", "Kraken"];

/** Mnemonic account indexes of each role. */
export const ACCOUNTS = {
  /** Deployer: the contracts' admin; funds the others. */
  funder: 0,
  firstOwner: 1, // owners 1…10 (a snapshot's 11th to 16th subnets: 130…135); each owner's hotkey is its own account
  firstExtraOwner: 130,
  firstValidator: 11, // validators 11…16; hotkey = own account
  firstMinerOperator: 17, // miner coldkeys 17…19
  minerOperators: 3,
  firstUser: 20, // users 20…31, beyond the node's unlocked accounts
  users: 12,
  /** The keepers ignition/parameters/local.json registers on EpochSettlement (local-keepers.ts): 32, 33, 34. */
  firstKeeper: 32,
  keepers: 3,
  /** Pokes of the live loop: not #0, so a dev wallet on #0 never races it for nonces. */
  activity: 40,
  /** Miner hotkeys 100…123: accounts that approve their operator as owner, then run on several subnets. */
  firstMinerHotkey: 100,
  minerHotkeys: 24,
} as const;

export interface SeededSubnet extends HistorySubnet {
  spec: SubnetSpec;
  validators: Actor[];
  /** Each miner's underlying quality in (0, 1]: the owner's weights scatter around it. */
  quality: number[];
}

export interface World {
  funder: Actor;
  /** Sends the live loop's pokes. */
  operator: Actor;
  subnets: SeededSubnet[];
  /**
   * Imported subnets whose owner key this chain does not hold (genesis.ts): they emit and settle, and the liquid
   * staking and fund demos stake on their most staked validator; nobody here sets their weights.
   */
  passive: { netuid: number; name: string; hotkey: Hex }[];
  validators: Actor[];
  minerHotkeys: { hotkey: Hex; account: Actor; operator: Actor }[];
  users: Actor[];
  random: () => number;
  weightsRateLimit: bigint;
  /**
   * Blocks after which an owner sets its weights again (half the activity cutoff): a validator whose weights are
   * older than the cutoff is inactive, and an epoch without an active validator has no consensus.
   */
  weightsRefreshBlocks: bigint;
}

export interface SeedOptions {
  connection: NetworkConnection;
  economy: Economy;
  /** The local keepers: they settle the history's epochs on EpochSettlement. */
  keepers: LocalKeepers;
  log: (line: string) => void;
  seed?: number;
  /** Blocks of emission history after the start calls, so prices and moving prices settle (default 2400). */
  historyBlocks?: number;
  /** The subnets to register (default SUBNETS, from snapshots/default.json; `seedPlan` of another snapshot). */
  subnets?: readonly SubnetSpec[];
}

/** The mnemonic index of the owner of the seed's `i`-th subnet. */
export function ownerIndex(i: number): number {
  return i < 10 ? ACCOUNTS.firstOwner + i : ACCOUNTS.firstExtraOwner + i - 10;
}

/** TAO per alpha as a price wad. */
export function priceWad(taoPerAlpha: number): bigint {
  return BigInt(Math.round(taoPerAlpha * 1e9)) * 1_000_000_000n;
}

/** The seed's actors, funded, with the emission reserve funded and the miner hotkeys approving their operators. */
export interface Cast {
  kit: Kit;
  owners: Actor[];
  /** The world, without subnets yet. */
  world: World;
}

/**
 * Every actor of a seed (see ACCOUNTS) with `owners` subnet owners, on a fresh chain: balances set, the emission
 * reserve funded, and each miner hotkey naming its operator's coldkey as its owner-to-be.
 */
export async function prepareCast(
  connection: NetworkConnection,
  economy: Economy,
  options: { owners: number; random: () => number; log: (line: string) => void },
): Promise<Cast> {
  const { random, log } = options;
  const between = (lo: number, hi: number) => lo + (hi - lo) * random();
  const kit = await makeKit(connection, economy);
  const { actor, send, testClient } = kit;

  const funder = await actor(ACCOUNTS.funder, "funder");
  const owners: Actor[] = [];
  for (let i = 0; i < options.owners; i++) owners.push(await actor(ownerIndex(i), `owner ${i + 1}`));
  const validators: Actor[] = [];
  for (const [i, name] of VALIDATOR_NAMES.entries()) validators.push(await actor(ACCOUNTS.firstValidator + i, name));
  const minerOps: Actor[] = [];
  for (let i = 0; i < ACCOUNTS.minerOperators; i++) {
    minerOps.push(await actor(ACCOUNTS.firstMinerOperator + i, `miner operator ${i + 1}`));
  }
  const minerHotkeys: World["minerHotkeys"] = [];
  for (let i = 0; i < ACCOUNTS.minerHotkeys; i++) {
    const account = await actor(ACCOUNTS.firstMinerHotkey + i, `miner hotkey ${i + 1}`);
    minerHotkeys.push({ hotkey: account.coldkey, account, operator: minerOps[i % minerOps.length]! });
  }
  const users: Actor[] = [];
  for (let i = 0; i < ACCOUNTS.users; i++) users.push(await actor(ACCOUNTS.firstUser + i, `user ${i + 1}`));
  const operator = await actor(ACCOUNTS.activity, "operator");

  const balances: [Actor, number][] = [
    [funder, 1_000_000],
    ...owners.map((a): [Actor, number] => [a, 50_000]),
    ...validators.map((a): [Actor, number] => [a, 200_000]),
    ...minerOps.map((a): [Actor, number] => [a, 10_000]),
    ...minerHotkeys.map(({ account }): [Actor, number] => [account, 1]),
    ...users.map((a): [Actor, number] => [a, Math.round(between(2_000, 20_000))]),
    [operator, 1_000],
  ];
  for (const [a, amount] of balances) await testClient.setBalance({ address: a.address, value: taoWei(amount) });
  log(`funded ${balances.length} accounts (funder 1,000,000 TAO; users from mnemonic index ${ACCOUNTS.firstUser})`);

  const reserve = 500_000;
  await send("fundEmissionReserve", () => funder.pools.write.fundEmissionReserve({ value: taoWei(reserve) }));
  log(`emission reserve funded with ${reserve.toLocaleString("en-US")} TAO`);

  // A hotkey proves control: each miner hotkey's own account names its operator's coldkey as its owner-to-be.
  for (const m of minerHotkeys) {
    await send(`${m.account.label} approves ${m.operator.label}`, () =>
      m.account.metagraph.write.approveHotkeyOwner([m.operator.coldkey]),
    );
  }
  log(`${minerHotkeys.length} miner hotkeys approved their operators (${minerOps.length} coldkeys)`);

  const hp = await economy.registry.read.defaultHyperparameters();
  const world: World = {
    funder,
    operator,
    subnets: [],
    passive: [],
    validators,
    minerHotkeys,
    users,
    random,
    weightsRateLimit: BigInt(hp.weightsRateLimit),
    weightsRefreshBlocks: BigInt(Math.max(1, Math.floor(hp.activityCutoff / 2))),
  };
  return { kit, owners, world };
}

/** Seeds the economy; returns the world the activity loop keeps moving. */
export async function seedEconomy(options: SeedOptions): Promise<World> {
  const { connection, economy, keepers, log } = options;
  const random = prng(options.seed ?? 64);
  const between = (lo: number, hi: number) => lo + (hi - lo) * random();
  const specs = options.subnets ?? SUBNETS;
  const { kit, owners, world } = await prepareCast(connection, economy, { owners: specs.length, random, log });
  const { send, deadline, mine, publicClient } = kit;
  const { validators, users, minerHotkeys } = world;
  for (const [i, s] of specs.entries()) owners[i]!.label = `${s.name} owner`;
  const { tempo } = await economy.registry.read.defaultHyperparameters();
  const rootStaked = new Set<Hex>();

  // Subnets, with chain history between registrations so lock costs (2× the last, decaying) vary. A new subnet
  // opens at the median price; the owners make their start calls together once all are registered, so no subnet
  // has the emission to itself for a while (which would make its pool far deeper than its price warrants).
  for (const [i, spec] of specs.entries()) {
    if (i > 0) await mine(Math.round(between(350, 900)));
    const owner = owners[i]!;
    const lock = await economy.registry.read.lockCost();
    const maxLock = (lock * 11n) / 10n;
    const receipt = await send(`registerNetwork ${spec.name}`, () =>
      owner.registry.write.registerNetwork([owner.coldkey, spec.name, maxLock], { value: maxLock * RAO_PER_TAO }),
    );
    const event = parseEventLogs({ abi: economy.registry.abi, logs: receipt.logs, eventName: "RegisterNetwork" })[0];
    if (!event) throw new Error(`registerNetwork ${spec.name}: no RegisterNetwork event`);
    const netuid = event.args.netuid;
    await send(`root stake ${owner.label}`, async () =>
      owner.pools.write.addStake([owner.coldkey, 0, 0n, await deadline()], { value: taoWei(between(500, 2_000)) }),
    );
    const subnet: SeededSubnet = {
      netuid,
      name: spec.name,
      spec,
      owner,
      targetPriceWad: priceWad(spec.price),
      validators: [],
      miners: [],
      quality: [],
      weights: new Map(),
    };
    world.subnets.push(subnet);
    const opened = await economy.lens.read.market([netuid]);
    log(
      `subnet ${i + 1}/${specs.length}: ${spec.name} (snapshot netuid ${spec.snapshotNetuid}) is netuid ${netuid} (lock ${formatRaoAsTao(lock)} TAO, opens at ` +
        `${formatPriceWadAsTaoPerAlpha(opened.spotPriceWad)} TAO/α, owner ${owner.address}, block ${receipt.blockNumber})`,
    );

    // Neurons: validators (hotkey = own account) and miners (hotkeys approved for their operator).
    for (let k = 0; k < spec.validators; k++) {
      const v = validators[(i + k) % validators.length]!;
      await registerNeuron(kit, economy, subnet, v, v.coldkey);
      subnet.validators.push(v);
      if (!rootStaked.has(v.coldkey)) {
        // Root stake needs a registered hotkey; validators hold most of it, which keeps the root proportion high.
        await send(`root stake ${v.label}`, async () =>
          v.pools.write.addStake([v.coldkey, 0, 0n, await deadline()], { value: taoWei(between(50_000, 90_000)) }),
        );
        rootStaked.add(v.coldkey);
      }
    }
    for (let j = 0; j < spec.miners; j++) {
      const m = minerHotkeys[(i * 7 + j) % minerHotkeys.length]!;
      const uid = await registerNeuron(kit, economy, subnet, m.operator, m.hotkey);
      subnet.miners.push({ hotkey: m.hotkey, uid, operator: m.operator });
      subnet.quality.push(between(0.15, 1));
    }
    await setOwnerWeights(world, kit, subnet);
    log(`  ${spec.validators} validators, ${spec.miners} miners; the owner set weights`);
  }

  // Staking on a subnet opens with its owner's start call (root is always open).
  for (const subnet of world.subnets) {
    await send(`startCall ${subnet.name}`, () => subnet.owner.registry.write.startCall([subnet.netuid]));
  }
  log(`the ${world.subnets.length} owners made their start calls: emission and staking begin`);

  // Stake in proportion to the pools: validators on their own hotkeys, users on validators and owners.
  let stakes = 0;
  for (const subnet of world.subnets) {
    const depthTao = Number((await economy.lens.read.market([subnet.netuid])).taoReserveRao / RAO_PER_TAO);
    for (const v of subnet.validators) {
      const amount = Math.max(1, depthTao * between(0.03, 0.12));
      await send(`${v.label} stakes on ${subnet.name}`, async () =>
        v.pools.write.addStake([v.coldkey, subnet.netuid, 0n, await deadline()], { value: taoWei(amount) }),
      );
      stakes++;
    }
  }
  log(`validators staked on their subnets (${stakes} stakes)`);
  const byDepth = await subnetsByDepth(economy, world.subnets);
  // Root stake goes to a registered hotkey: a snapshot with few subnets leaves some validator accounts unregistered.
  const rootValidators = validators.filter((v) => rootStaked.has(v.coldkey));
  for (const user of users) {
    const picks = 2 + Math.floor(random() * 3);
    for (let p = 0; p < picks; p++) {
      const { subnet, depthTao } = pickWeighted(byDepth, random);
      const hotkeys = [subnet.owner.coldkey, ...subnet.validators.map((v) => v.coldkey)];
      const hotkey = hotkeys[Math.floor(random() * hotkeys.length)]!;
      const amount = Math.max(0.5, depthTao * between(0.002, 0.02));
      await send(`${user.label} stakes on ${subnet.name}`, async () =>
        user.pools.write.addStake([hotkey, subnet.netuid, 0n, await deadline()], { value: taoWei(amount) }),
      );
      stakes++;
    }
    if (random() < 0.4) {
      const v = rootValidators[Math.floor(random() * rootValidators.length)]!;
      await send(`${user.label} stakes on root`, async () =>
        user.pools.write.addStake([v.coldkey, 0, 0n, await deadline()], { value: taoWei(between(50, 1_000)) }),
      );
      stakes++;
    }
  }
  log(`${users.length} users staked (${stakes} stakes in all)`);

  // History: the emission of a few thousand blocks, settled every round through EpochSettlement by the keepers.
  // Miners sell their incentive (as they do on the chain) on the subnets that trade above their price; owners sell
  // theirs down to their subnet's price, or buy up to it. Blocks pass between rounds, so the moving prices
  // (subtensor's EMA; the local parameters make it fast) follow. In the last round the miners keep what they earn.
  const historyBlocks = options.historyBlocks ?? 2400;
  const rounds = 6;
  log(
    `history: ${rounds} rounds of ${Math.round(historyBlocks / rounds)} blocks, each settled on EpochSettlement by ` +
      `${keepers.addresses.length} keepers (quorum ${keepers.quorum})`,
  );
  for (let r = 0; r < rounds; r++) {
    await mine(Math.round(historyBlocks / rounds));
    const settled = await historyRound(kit, economy, world, keepers, { last: r === rounds - 1 });
    log(
      `history round ${r + 1}/${rounds}: settled through epoch ${Math.min(...settled.values())}–` +
        `${Math.max(...settled.values())} of the ${settled.size} subnets`,
    );
  }
  await mine(tempo + 1);
  await pokeAll(kit, world);
  log(`${historyBlocks} blocks of history settled and traded; seeded at block ${await publicClient.getBlockNumber()}`);
  const reached = await economy.lens.read.markets();
  log(
    `spot prices reached (target in brackets, TAO per alpha): ` +
      world.subnets
        .map((subnet) => {
          const m = reached.find((x) => x.netuid === subnet.netuid);
          const spot = m ? formatPriceWadAsTaoPerAlpha(m.spotPriceWad, { maxDecimals: 4 }) : "?";
          return `${subnet.name} ${spot} (${subnet.spec.price})`;
        })
        .join(", "),
  );
  return world;
}

/**
 * One round of history: each owner sets fresh weights (its uid makes the consensus), every subnet's pending emission
 * is settled by the keepers (miners' incentive claimed); on the subnets above their price the miners sell everything
 * they hold (on every subnet their hotkey runs on); then each owner sells toward its subnet's price, or buys up to it.
 * In the last round the miners keep what they earned. Returns each subnet's last settled epoch.
 */
async function historyRound(
  kit: Kit,
  economy: Economy,
  world: World,
  keepers: LocalKeepers,
  options: { last: boolean },
): Promise<Map<number, number>> {
  for (const subnet of world.subnets) await setOwnerWeights(world, kit, subnet);
  const settled = await settleHistory(kit, economy, keepers, world.subnets);
  const markets = await economy.lens.read.markets();
  const above = world.subnets.filter(
    (subnet) => (markets.find((m) => m.netuid === subnet.netuid)?.spotPriceWad ?? 0n) > subnet.targetPriceWad,
  );
  if (!options.last) {
    const sellers = new Set(above.flatMap((subnet) => subnet.miners.map((m) => m.hotkey)));
    // Each operator's hotkeys one after the other; the operators side by side.
    await Promise.all(
      [...new Set(world.minerHotkeys.map((m) => m.operator))].map(async (operator) => {
        for (const m of world.minerHotkeys.filter((x) => x.operator === operator && sellers.has(x.hotkey))) {
          await kit.send(`${operator.label} sells ${m.account.label}'s stake`, async () =>
            operator.pools.write.unstakeAll([m.hotkey, 0n, await kit.deadline()]),
          );
        }
      }),
    );
  }
  // The owners side by side: each trades on its own subnet from its own account.
  await Promise.all(
    world.subnets.map(async (subnet) => {
      // The owner buys with at most a quarter of its balance.
      const balanceWei = await kit.publicClient.getBalance({ address: subnet.owner.address });
      await steerPrice(kit, economy, subnet, balanceWei / 4n / RAO_PER_TAO / RAO_PER_TAO);
    }),
  );
  return settled;
}

async function pokeAll(kit: Kit, world: World): Promise<void> {
  for (const subnet of world.subnets) {
    await kit.send(`poke ${subnet.name}`, () => world.operator.pools.write.poke([subnet.netuid]));
  }
}

/** Registers `hotkey` on the subnet from `coldkey`'s account, at the current burn; returns its uid. */
export async function registerNeuron(
  kit: Kit,
  economy: Economy,
  subnet: { netuid: number; name: string },
  coldkey: Actor,
  hotkey: Hex,
): Promise<number> {
  const burn = await economy.metagraph.read.burnCost([subnet.netuid]);
  // Headroom for a registration landing first (×1.26 each); the excess is refunded.
  const maxBurn = burn * 2n;
  const receipt = await kit.send(`register ${hotkey.slice(0, 10)}… on ${subnet.name}`, () =>
    coldkey.metagraph.write.burnedRegister([subnet.netuid, hotkey, maxBurn], { value: maxBurn * RAO_PER_TAO }),
  );
  const [event] = parseEventLogs({ abi: economy.metagraph.abi, logs: receipt.logs, eventName: "NeuronRegistered" });
  if (!event) throw new Error(`register on ${subnet.name}: no NeuronRegistered event`);
  return event.args.uid;
}

/** The owner's weights over the miners: each miner's quality, scattered ±25 %, scaled so the largest is 65535. */
export async function setOwnerWeights(world: World, kit: Kit, subnet: SeededSubnet): Promise<void> {
  const raw = subnet.quality.map((q) => q * (0.75 + 0.5 * world.random()));
  const top = Math.max(...raw);
  const uids = subnet.miners.map((m) => m.uid);
  const values = raw.map((w) => Math.max(1, Math.round((w / top) * 65_535)));
  await kit.send(`${subnet.owner.label} sets weights on ${subnet.name}`, () =>
    subnet.owner.metagraph.write.setWeights([subnet.netuid, uids, values, 0n]),
  );
  subnet.weights = new Map(uids.map((uid, i) => [uid, values[i]!]));
}

async function subnetsByDepth(economy: Economy, subnets: readonly SeededSubnet[]) {
  const markets = await economy.lens.read.markets();
  return subnets.map((subnet) => {
    const m = markets.find((x) => x.netuid === subnet.netuid);
    return { subnet, depthTao: Number((m?.taoReserveRao ?? 0n) / RAO_PER_TAO) };
  });
}

/** A subnet picked with probability in proportion to its pool's depth (stakers go where the market is). */
export function pickWeighted<T extends { depthTao: number }>(list: readonly T[], random: () => number): T {
  const total = list.reduce((sum, x) => sum + Math.max(1, x.depthTao), 0);
  let r = random() * total;
  for (const x of list) {
    r -= Math.max(1, x.depthTao);
    if (r <= 0) return x;
  }
  return list[list.length - 1]!;
}
