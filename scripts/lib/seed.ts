/**
 * Seeds a living subnet economy on a local chain, and keeps it moving.
 *
 * `seedEconomy` funds the emission reserve, registers subnets named after real ones (each from its own owner
 * account, with some chain history between registrations so lock costs vary), registers validators and miners,
 * stakes from validators and users (root included), updates validator permits and sets weights.
 * `createActivity` returns a `tick` that pokes every subnet and now and then makes a user stake or unstake and a
 * validator set weights, so prices, reserves and weights keep changing.
 *
 * Every actor is an account of the standard Hardhat mnemonic (the node's 20 dev accounts are indexes 0–19; users
 * are derived beyond them), signed locally and funded with `hardhat_setBalance`. Amounts come from a seeded PRNG,
 * so a seed is reproducible.
 */
import type { NetworkConnection } from "hardhat/types/network";
import {
  createWalletClient,
  custom,
  formatUnits,
  getContract,
  keccak256,
  parseEventLogs,
  toHex,
  type Hex,
  type TransactionReceipt,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";

import type { Economy } from "./economy.ts";

export const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";

const RAO_WEI = 1_000_000_000n; // 1 rao = 1e9 wei
const TAO_RAO = 1_000_000_000n;

/** Subnets to register, named after real Bittensor subnets. */
export const SUBNETS: ReadonlyArray<{ name: string; miners: number }> = [
  { name: "Apex", miners: 6 },
  { name: "Templar", miners: 5 },
  { name: "Targon", miners: 7 },
  { name: "Dippy", miners: 4 },
  { name: "Chutes", miners: 8 },
  { name: "Nineteen", miners: 6 },
  { name: "Bitrecs", miners: 4 },
  { name: "Dojo", miners: 5 },
  { name: "Gradients", miners: 5 },
  { name: "Ridges", miners: 4 },
];

const VALIDATOR_NAMES = ["Opentensor Foundation", "Taostats", "RoundTable21", "Yuma", "tao5", "Kraken"];

/** Mnemonic account indexes of each role. */
export const ACCOUNTS = {
  funder: 0,
  firstOwner: 1, // owners 1…10
  firstValidator: 11, // validators 11…16
  firstMinerOperator: 17, // miner coldkeys 17…19
  minerOperators: 3,
  firstUser: 20, // users 20…31, beyond the node's unlocked accounts
  users: 12,
  /** Pokes and permit updates of the live loop: not #0, so a dev wallet on #0 never races it for nonces. */
  activity: 40,
} as const;

/** TAO (a decimal number) as 18-decimal wei, rounded to a whole rao. */
export function taoWei(amount: number): bigint {
  return BigInt(Math.round(amount * 1e9)) * RAO_WEI;
}

/** Rao (9 decimals) as a short TAO string: 1234.5 TAO → "1,234.50". */
export function formatTao(rao: bigint, digits = 2): string {
  const value = Number(formatUnits(rao, 9));
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The node's provider, with 30 % more gas than estimated. Interval mining can put a block between the estimate and
 * the transaction, and lazy accrual (e.g. `poke`) then does more work than was estimated.
 */
function withGasHeadroom(connection: NetworkConnection) {
  const provider = connection.provider;
  return custom({
    async request({ method, params }: { method: string; params?: unknown[] }) {
      const result: unknown = await provider.request({ method, params });
      return method === "eth_estimateGas" ? toHex((BigInt(result as string) * 13n) / 10n) : result;
    },
  });
}

function contractsFor(connection: NetworkConnection, economy: Economy, index: number, publicClient: PublicClient) {
  const account = mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: index });
  const wallet = createWalletClient({ account, chain: publicClient.chain, transport: withGasHeadroom(connection) });
  const client = { public: publicClient, wallet };
  return {
    account,
    address: account.address,
    pools: getContract({ address: economy.pools.address, abi: economy.pools.abi, client }),
    registry: getContract({ address: economy.registry.address, abi: economy.registry.abi, client }),
    metagraph: getContract({ address: economy.metagraph.address, abi: economy.metagraph.abi, client }),
  };
}

type PublicClient = Awaited<ReturnType<NetworkConnection["viem"]["getPublicClient"]>>;
export type Actor = ReturnType<typeof contractsFor> & { label: string; coldkey: Hex };

export interface SeededSubnet {
  netuid: number;
  name: string;
  owner: Actor;
  validators: Actor[];
  miners: { hotkey: Hex; uid: number }[];
  /** Each miner's underlying quality in (0, 1]: validators' weights scatter around it. */
  quality: number[];
}

export interface World {
  funder: Actor;
  /** Sends the live loop's pokes and permit updates. */
  operator: Actor;
  subnets: SeededSubnet[];
  users: Actor[];
  random: () => number;
  weightsRateLimit: bigint;
}

export interface SeedOptions {
  connection: NetworkConnection;
  economy: Economy;
  log: (line: string) => void;
  seed?: number;
}

/** Shared plumbing: actors, sending, deadlines. */
async function makeKit(connection: NetworkConnection, economy: Economy) {
  const publicClient = await connection.viem.getPublicClient();
  const testClient = await connection.viem.getTestClient();
  const actor = async (index: number, label: string): Promise<Actor> => {
    const c = contractsFor(connection, economy, index, publicClient);
    return { ...c, label, coldkey: await economy.pools.read.coldkeyOf([c.address]) };
  };
  const send = async (what: string, write: () => Promise<Hex>): Promise<TransactionReceipt> => {
    let hash: Hex;
    try {
      hash = await write();
    } catch (error) {
      const reason =
        error instanceof Error ? ((error as { shortMessage?: string }).shortMessage ?? error.message) : error;
      throw new Error(`${what} failed: ${String(reason)}`, { cause: error });
    }
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${what} reverted (tx ${hash})`);
    return receipt;
  };
  const deadline = async (): Promise<bigint> => (await publicClient.getBlock()).timestamp + 3600n;
  return { publicClient, testClient, actor, send, deadline };
}

/** Seeds the economy; returns the world the activity loop keeps moving. */
export async function seedEconomy(options: SeedOptions): Promise<World> {
  const { connection, economy, log } = options;
  const random = prng(options.seed ?? 64);
  const between = (lo: number, hi: number) => lo + (hi - lo) * random();
  const { publicClient, testClient, actor, send, deadline } = await makeKit(connection, economy);

  // Accounts and balances.
  const funder = await actor(ACCOUNTS.funder, "funder");
  const owners: Actor[] = [];
  for (const [i, s] of SUBNETS.entries()) owners.push(await actor(ACCOUNTS.firstOwner + i, `${s.name} owner`));
  const validators: Actor[] = [];
  for (const [i, name] of VALIDATOR_NAMES.entries()) validators.push(await actor(ACCOUNTS.firstValidator + i, name));
  const minerOps: Actor[] = [];
  for (let i = 0; i < ACCOUNTS.minerOperators; i++) {
    minerOps.push(await actor(ACCOUNTS.firstMinerOperator + i, `miner operator ${i + 1}`));
  }
  const users: Actor[] = [];
  for (let i = 0; i < ACCOUNTS.users; i++) users.push(await actor(ACCOUNTS.firstUser + i, `user ${i + 1}`));
  const operator = await actor(ACCOUNTS.activity, "operator");

  const balances: [Actor, number][] = [
    [funder, 1_000_000],
    ...owners.map((a): [Actor, number] => [a, 20_000]),
    ...validators.map((a): [Actor, number] => [a, 50_000]),
    ...minerOps.map((a): [Actor, number] => [a, 10_000]),
    ...users.map((a): [Actor, number] => [a, Math.round(between(2_000, 20_000))]),
    [operator, 1_000],
  ];
  for (const [a, amount] of balances) await testClient.setBalance({ address: a.address, value: taoWei(amount) });
  log(`funded ${balances.length} accounts (funder 1,000,000 TAO; ${users.length} users from mnemonic index 20)`);

  const reserve = 500_000;
  await send("fundEmissionReserve", () => funder.pools.write.fundEmissionReserve({ value: taoWei(reserve) }));
  log(`emission reserve funded with ${reserve.toLocaleString("en-US")} TAO`);

  // Subnets, with chain history between registrations so that lock costs (2× the last, decaying) vary.
  const hp = await economy.registry.read.defaultHyperparameters();
  const subnets: SeededSubnet[] = [];
  for (const [i, spec] of SUBNETS.entries()) {
    const owner = owners[i]!;
    // The lock cost decays from 2× the last lock to the minimum over ~2 reduction intervals (1000 blocks here).
    // The history blocks all take the current time (interval 0): the model counts blocks, not seconds, and a
    // second apart they would push the chain's clock hours ahead of the wall clock, expiring every deadline a
    // client computes from its own clock. (The node allows blocks with the same timestamp: hardhat.config.ts.)
    if (i > 0) await testClient.mine({ blocks: Math.round(between(350, 1000)), interval: 0 });
    const lock = await economy.registry.read.lockCost();
    const maxLock = (lock * 11n) / 10n;
    const receipt = await send(`registerNetwork ${spec.name}`, () =>
      owner.registry.write.registerNetwork([owner.coldkey, spec.name, maxLock], { value: maxLock * RAO_WEI }),
    );
    const event = parseEventLogs({ abi: economy.registry.abi, logs: receipt.logs, eventName: "RegisterNetwork" })[0];
    if (!event) throw new Error(`registerNetwork ${spec.name}: no RegisterNetwork event`);
    const netuid = event.args.netuid;
    await send(`startCall ${spec.name}`, () => owner.registry.write.startCall([netuid]));
    const rootStake = Math.round(between(100, 500));
    await send(`root stake ${owner.label}`, async () =>
      owner.pools.write.addStake([owner.coldkey, 0, 0n, await deadline()], { value: taoWei(rootStake) }),
    );
    subnets.push({ netuid, name: spec.name, owner, validators: [], miners: [], quality: [] });
    log(
      `subnet ${i + 1}/${SUBNETS.length}: ${spec.name} is netuid ${netuid} (lock ${formatTao(lock)} TAO, ` +
        `owner ${owner.address}, block ${receipt.blockNumber})`,
    );
  }

  // Neurons: 3–4 validators (hotkey = their own mapped account, so they can set weights) and 4–8 miners each.
  const burnFor = async (netuid: number) => {
    const burn = await economy.metagraph.read.burnCost([netuid]);
    // Headroom: an adjustment interval can end before the registration lands, multiplying the burn by
    // (registrations + target) / (2 · target); the excess is refunded.
    return burn * 10n;
  };
  let neurons = 0;
  for (const [i, subnet] of subnets.entries()) {
    const count = 3 + (i % 2);
    for (let k = 0; k < count; k++) {
      const v = validators[(i + k) % validators.length]!;
      const max = await burnFor(subnet.netuid);
      await send(`register ${v.label} on ${subnet.name}`, () =>
        v.metagraph.write.burnedRegister([subnet.netuid, v.coldkey, max], { value: max * RAO_WEI }),
      );
      subnet.validators.push(v);
      neurons++;
    }
    const spec = SUBNETS[i]!;
    for (let j = 0; j < spec.miners; j++) {
      const op = minerOps[j % minerOps.length]!;
      const hotkey = keccak256(toHex(`miner/${subnet.name}/${j}`));
      const max = await burnFor(subnet.netuid);
      await send(`register miner ${j} on ${subnet.name}`, () =>
        op.metagraph.write.burnedRegister([subnet.netuid, hotkey, max], { value: max * RAO_WEI }),
      );
      const [, uid] = await economy.metagraph.read.uidOf([subnet.netuid, hotkey]);
      subnet.miners.push({ hotkey, uid });
      subnet.quality.push(between(0.15, 1));
      neurons++;
    }
    log(`neurons on ${subnet.name}: ${subnet.validators.length} validators, ${subnet.miners.length} miners`);
  }
  log(`registered ${neurons} neurons on ${subnets.length} subnets`);

  // Stake: validators on root and on their own hotkeys, users on validators across subnets.
  let stakes = 0;
  for (const v of validators) {
    const amount = Math.round(between(2_000, 10_000));
    await send(`root stake ${v.label}`, async () =>
      v.pools.write.addStake([v.coldkey, 0, 0n, await deadline()], { value: taoWei(amount) }),
    );
    stakes++;
  }
  for (const subnet of subnets) {
    const pool = await economy.pools.read.poolState([subnet.netuid]);
    const poolTao = Number(pool.taoReserve / TAO_RAO);
    for (const v of subnet.validators) {
      const amount = Math.max(1, Math.round(poolTao * between(0.05, 0.4) * 100) / 100);
      await send(`${v.label} stakes on ${subnet.name}`, async () =>
        v.pools.write.addStake([v.coldkey, subnet.netuid, 0n, await deadline()], { value: taoWei(amount) }),
      );
      stakes++;
    }
  }
  log(`validators staked on root and on their subnets (${stakes} stakes)`);
  for (const user of users) {
    const picks = 2 + Math.floor(random() * 3);
    for (let p = 0; p < picks; p++) {
      const subnet = subnets[Math.floor(random() * subnets.length)]!;
      const v = subnet.validators[Math.floor(random() * subnet.validators.length)]!;
      const amount = Math.round(between(1, 120) * 100) / 100;
      await send(`${user.label} stakes on ${subnet.name}`, async () =>
        user.pools.write.addStake([v.coldkey, subnet.netuid, 0n, await deadline()], { value: taoWei(amount) }),
      );
      stakes++;
    }
    if (random() < 0.4) {
      const v = validators[Math.floor(random() * validators.length)]!;
      const amount = Math.round(between(10, 500));
      await send(`${user.label} stakes on root`, async () =>
        user.pools.write.addStake([v.coldkey, 0, 0n, await deadline()], { value: taoWei(amount) }),
      );
      stakes++;
    }
  }
  log(`${users.length} users staked (${stakes} stakes in all)`);

  // Validator permits, then weights over each subnet's miners.
  for (const subnet of subnets) {
    await send(`updateValidatorPermits ${subnet.name}`, () =>
      funder.metagraph.write.updateValidatorPermits([subnet.netuid]),
    );
  }
  log(`validator permits updated on ${subnets.length} subnets`);
  const world: World = { funder, operator, subnets, users, random, weightsRateLimit: BigInt(hp.weightsRateLimit) };
  let weights = 0;
  for (const subnet of subnets) {
    for (const v of subnet.validators) {
      await setWeights(world, send, subnet, v);
      weights++;
    }
  }
  log(`${weights} validators set weights`);

  for (const subnet of subnets) await send(`poke ${subnet.name}`, () => funder.pools.write.poke([subnet.netuid]));
  log(`seeded at block ${await publicClient.getBlockNumber()}`);
  return world;
}

type Send = Awaited<ReturnType<typeof makeKit>>["send"];

/** A validator's weights: each miner's quality, scattered ±25 %, scaled so the largest is 65535. */
async function setWeights(world: World, send: Send, subnet: SeededSubnet, v: Actor): Promise<void> {
  const raw = subnet.quality.map((q) => q * (0.75 + 0.5 * world.random()));
  const top = Math.max(...raw);
  const uids = subnet.miners.map((m) => m.uid);
  const values = raw.map((w) => Math.max(1, Math.round((w / top) * 65_535)));
  await send(`${v.label} sets weights on ${subnet.name}`, () =>
    v.metagraph.write.setWeights([subnet.netuid, uids, values, 0n]),
  );
}

export interface Activity {
  /**
   * One round: pokes every subnet, then maybe (always with `force`) a user trade and a validator's weights.
   * Returns what happened.
   */
  tick(options?: { force?: boolean }): Promise<string[]>;
}

/** The light loop that keeps a seeded economy moving. Failures of single actions are reported, not thrown. */
export async function createActivity(connection: NetworkConnection, economy: Economy, world: World): Promise<Activity> {
  const { publicClient, send, deadline } = await makeKit(connection, economy);
  const { random, subnets, users, operator } = world;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const between = (lo: number, hi: number) => lo + (hi - lo) * random();
  let round = 0;

  const trade = async (): Promise<string> => {
    const user = pick(users);
    const subnet = pick(subnets);
    const v = pick(subnet.validators);
    const staked = await economy.pools.read.getStake([v.coldkey, user.coldkey, subnet.netuid]);
    if (staked > 0n && random() < 0.45) {
      // Unstake a part (or all of a small position).
      const part = random() < 0.2 ? staked : (staked * BigInt(Math.round(between(0.2, 0.7) * 1000))) / 1000n;
      const taoOut = await economy.pools.read.simSwapAlphaForTao([subnet.netuid, part]);
      const all = part === staked || taoOut < 10_000_000n;
      await send(`${user.label} unstakes on ${subnet.name}`, async () =>
        all
          ? user.pools.write.removeStakeFull([v.coldkey, subnet.netuid, 0n, await deadline()])
          : user.pools.write.removeStake([v.coldkey, subnet.netuid, part, 0n, await deadline()]),
      );
      return `${user.label} unstaked ${all ? "all" : formatTao(part)} α (≈${formatTao(taoOut)} TAO) from ${subnet.name}`;
    }
    const amount = Math.round(between(0.5, 60) * 100) / 100;
    await send(`${user.label} stakes on ${subnet.name}`, async () =>
      user.pools.write.addStake([v.coldkey, subnet.netuid, 0n, await deadline()], { value: taoWei(amount) }),
    );
    return `${user.label} staked ${amount} TAO on ${subnet.name} via ${v.label}`;
  };

  const weights = async (): Promise<string | undefined> => {
    const subnet = pick(subnets);
    const v = pick(subnet.validators);
    const [registered, uid] = await economy.metagraph.read.uidOf([subnet.netuid, v.coldkey]);
    if (!registered) return undefined;
    const [neuron] = await economy.metagraph.read.neurons([subnet.netuid, uid, 1]);
    const block = await publicClient.getBlockNumber();
    // The next transaction lands in block + 1.
    if (!neuron || block + 1n < BigInt(neuron.lastUpdate) + world.weightsRateLimit) return undefined;
    if (!neuron.validatorPermit) return undefined;
    // Miners drift a little: the subnet's quality changes over time.
    subnet.quality = subnet.quality.map((q) => Math.min(1, Math.max(0.05, q * (0.9 + 0.2 * random()))));
    await setWeights(world, send, subnet, v);
    return `${v.label} set weights on ${subnet.name}`;
  };

  return {
    async tick({ force = false } = {}) {
      round++;
      const events: string[] = [];
      const attempt = async (what: string, action: () => Promise<string | undefined>) => {
        try {
          const done = await action();
          if (done) events.push(done);
        } catch (error) {
          events.push(`${what} skipped: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
        }
      };
      for (const subnet of subnets) {
        await attempt(`poke ${subnet.name}`, async () => {
          await send(`poke ${subnet.name}`, () => operator.pools.write.poke([subnet.netuid]));
          return undefined;
        });
      }
      if (force || random() < 0.7) await attempt("trade", trade);
      if (force || random() < 0.5) await attempt("weights", weights);
      if (round % 10 === 0) {
        const subnet = subnets[(round / 10) % subnets.length]!;
        await attempt("permits", async () => {
          await send(`updateValidatorPermits ${subnet.name}`, () =>
            operator.metagraph.write.updateValidatorPermits([subnet.netuid]),
          );
          return `validator permits updated on ${subnet.name}`;
        });
      }
      return events;
    },
  };
}

export interface Status {
  block: bigint;
  subnets: number;
  poolTaoRao: bigint;
  rootStakeRao: bigint;
  emissionReserveRao: bigint;
}

/** The numbers of the periodic status line. */
export async function readStatus(connection: NetworkConnection, economy: Economy): Promise<Status> {
  const publicClient = await connection.viem.getPublicClient();
  const [block, markets, root, treasury] = await Promise.all([
    publicClient.getBlockNumber(),
    economy.lens.read.markets(),
    economy.pools.read.poolState([0]),
    economy.pools.read.treasury(),
  ]);
  return {
    block,
    subnets: markets.length,
    poolTaoRao: markets.reduce((sum, m) => sum + m.taoReserveRao, 0n),
    rootStakeRao: BigInt(root.taoReserve),
    emissionReserveRao: BigInt(treasury.emissionReserveRao),
  };
}

export function formatStatus(s: Status): string {
  return (
    `block ${s.block} · ${s.subnets} subnets · ${formatTao(s.poolTaoRao)} TAO in pools · ` +
    `root ${formatTao(s.rootStakeRao)} TAO · reserve ${formatTao(s.emissionReserveRao, 0)} TAO`
  );
}

/** A table of the markets, as the lens sees them. */
export async function marketsTable(economy: Economy): Promise<string[]> {
  const markets = await economy.lens.read.markets();
  const lines = [
    `  ${"netuid".padEnd(7)}${"name".padEnd(11)}${"TAO in pool".padStart(14)}${"price".padStart(12)}  neurons`,
  ];
  for (const m of markets) {
    const price = Number(m.spotPriceWad) / 1e18;
    lines.push(
      `  ${String(m.netuid).padEnd(7)}${m.name.padEnd(11)}${formatTao(m.taoReserveRao).padStart(14)}` +
        `${price.toFixed(4).padStart(12)}  ${m.neurons}`,
    );
  }
  return lines;
}
