/**
 * Seeds the local chain exactly as a snapshot has it (`scaling.mode` "exact"): a genesis import, the way a chain
 * starts from its genesis state. Each kept subnet is written as the file has it (its netuid, pool reserves, moving
 * price, neurons with their keys, permits and stake) through `SubnetRegistry.importSubnet` (and `importNeurons` for
 * a subnet of more neurons than a transaction carries), and `closeGenesis` then
 * starts every imported subnet's emission in one block, from its imported moving price. Exporting the chain at that
 * block gives the file back (test/ts/snapshot-roundtrip.test.ts).
 *
 * The seed's actors (seed.ts ACCOUNTS) are funded and set up first, so the genesis closes in the seed's last
 * transaction. An imported account the local chain holds a key for (a snapshot exported from a seeded local chain)
 * acts as it did there: an owner whose uid-0 hotkey is its own account sets weights, its validators and miners run,
 * users stake on them. A subnet whose owner key the chain does not hold is passive: it emits, its epochs settle, and
 * anyone can stake on its hotkeys (the liquid staking and fund demos do, on its most staked validator), but nobody
 * sets its weights. Its registry owner (who may change its hyperparameters) is the seed's owner account of its rank.
 */
import type { NetworkConnection } from "hardhat/types/network";
import { keccak256, toHex, type Hex } from "viem";

import { formatPriceWadAsTaoPerAlpha, formatRaoAsTao } from "../../client/index.ts";
import type { Economy } from "./economy.ts";
import { prng, RAO_PER_TAO, type Actor } from "./kit.ts";
import type { GenesisNeuronPlan, GenesisSubnetPlan, SnapshotSeed } from "./snapshot.ts";
import { prepareCast, seedEconomy, type SeededSubnet, type SeedOptions, type World } from "./seed.ts";

const GENESIS_ROLE = keccak256(toHex("GENESIS_ROLE"));
const WAD = 10n ** 18n;

export interface GenesisOptions {
  connection: NetworkConnection;
  economy: Economy;
  /** `genesisPlan` of the snapshot. */
  subnets: readonly GenesisSubnetPlan[];
  log: (line: string) => void;
  seed?: number;
  /** Neurons per import transaction (default NEURONS_PER_TRANSACTION): a subnet of more takes several. */
  neuronsPerTransaction?: number;
}

/**
 * Neurons one import transaction carries: about 150k gas each (hotkey owner, uid, neuron record, stake shares), so
 * 64 stay well within the 2^24 gas a transaction may use since the osaka hardfork (EIP-7825).
 */
export const NEURONS_PER_TRANSACTION = 64;

/** Imports the snapshot's subnets and closes the genesis; returns the world the activity loop keeps moving. */
export async function importEconomy(options: GenesisOptions): Promise<World> {
  const { connection, economy, subnets, log } = options;
  const random = prng(options.seed ?? 64);
  const perTransaction = options.neuronsPerTransaction ?? NEURONS_PER_TRANSACTION;
  const { maxUids } = await economy.registry.read.defaultHyperparameters();
  for (const s of subnets) {
    if (s.neurons.length > maxUids) {
      throw new Error(
        `netuid ${s.netuid} has ${s.neurons.length} neurons, more than the local chain's maxUids (${maxUids})`,
      );
    }
  }
  if (await economy.registry.read.genesisClosed()) {
    throw new Error("the chain's genesis is closed (a subnet was registered): an exact seed needs a fresh chain");
  }
  const { kit, owners, world } = await prepareCast(connection, economy, { owners: subnets.length, random, log });
  const { funder } = world;
  const { send, testClient } = kit;

  const importedTaoRao = subnets.reduce((sum, s) => sum + s.taoReserveRao, 0n);
  const funderBalance = await kit.publicClient.getBalance({ address: funder.address });
  await testClient.setBalance({ address: funder.address, value: funderBalance + importedTaoRao * RAO_PER_TAO });
  await send("grant GENESIS_ROLE", () => funder.registry.write.grantRole([GENESIS_ROLE, funder.address]));

  // The accounts the chain holds keys for, by account id (lower case, as genesisPlan writes the keys).
  const owning = new Map<Hex, Actor>([...owners, ...world.validators, ...world.users].map((a) => [a.coldkey, a]));
  const validatorsById = new Map(world.validators.map((v) => [v.coldkey, v]));
  const minerHotkeys = new Map(world.minerHotkeys.map((m) => [m.hotkey, m]));

  for (const [i, plan] of subnets.entries()) {
    const ownerNeuron = plan.neurons[0]!;
    const known = owning.get(ownerNeuron.hotkey);
    const owner = known?.coldkey === ownerNeuron.coldkey ? known : undefined;
    const manager = owner ?? owners[i]!;
    const spotPriceWad = (plan.taoReserveRao * WAD) / plan.alphaReserveAlphaRao;
    const chunks: GenesisNeuronPlan[][] = [];
    for (let k = 0; k < plan.neurons.length; k += perTransaction)
      chunks.push(plan.neurons.slice(k, k + perTransaction));
    await send(`importSubnet ${plan.name}`, () =>
      funder.registry.write.importSubnet(
        [plan.netuid, manager.address, plan.name, plan.alphaReserveAlphaRao, plan.movingPriceWad, chunks[0]!],
        { value: plan.taoReserveRao * RAO_PER_TAO },
      ),
    );
    for (const [k, chunk] of chunks.slice(1).entries()) {
      await send(`importNeurons ${plan.name} (${k + 2} of ${chunks.length})`, () =>
        funder.registry.write.importNeurons([plan.netuid, chunk]),
      );
    }
    log(
      `imported ${plan.name} as netuid ${plan.netuid}: ${formatRaoAsTao(plan.taoReserveRao, { maxDecimals: 0 })} TAO ` +
        `in its pool at ${formatPriceWadAsTaoPerAlpha(spotPriceWad)} TAO/α ` +
        `(moving ${formatPriceWadAsTaoPerAlpha(plan.movingPriceWad)}), ${plan.neurons.length} neurons` +
        (chunks.length > 1 ? ` in ${chunks.length} transactions` : "") +
        (owner ? `, owner ${owner.label}` : ", an owner this chain holds no key for"),
    );
    if (!owner) {
      // Stake goes where the subnet's validators are: the permit holder with the most stake.
      const top = plan.neurons
        .filter((n) => n.validatorPermit)
        .reduce((best, n) => (n.stakeAlphaRao > best.stakeAlphaRao ? n : best), ownerNeuron);
      world.passive.push({ netuid: plan.netuid, name: plan.name, hotkey: top.hotkey });
      continue;
    }

    owner.label = `${plan.name} owner`;
    const validators = plan.neurons.flatMap((n, uid) => {
      const v = validatorsById.get(n.hotkey);
      // A validator account registered on the subnet, as the history seed registers them (permits come from epochs).
      return uid > 0 && v?.coldkey === n.coldkey ? [v] : [];
    });
    const miners = plan.neurons.flatMap((n, uid) => {
      const m = minerHotkeys.get(n.hotkey);
      return m?.operator.coldkey === n.coldkey ? [{ hotkey: m.hotkey, uid, operator: m.operator }] : [];
    });
    const subnet: SeededSubnet = {
      netuid: plan.netuid,
      name: plan.name,
      spec: {
        snapshotNetuid: plan.netuid,
        name: plan.name,
        price: plan.price,
        validators: validators.length,
        miners: miners.length,
        snapshotTaoReserve: Number(plan.taoReserveRao / RAO_PER_TAO),
      },
      owner,
      targetPriceWad: spotPriceWad,
      validators,
      miners,
      quality: miners.map(() => 0.15 + 0.85 * random()),
      weights: new Map(),
    };
    world.subnets.push(subnet);
  }
  const receipt = await send("closeGenesis", () => funder.registry.write.closeGenesis());
  log(
    `genesis closed at block ${receipt.blockNumber}: the ${subnets.length} imported subnets emit from the next block; ` +
      `${world.subnets.length} of them have an owner this chain holds a key for`,
  );
  return world;
}

/** Seeds the local chain from a snapshot as its `scaling.mode` says: its history (seed.ts) or its genesis (here). */
export async function seedFromSnapshot(
  plan: SnapshotSeed,
  options: Omit<SeedOptions, "subnets"> & Pick<GenesisOptions, "neuronsPerTransaction">,
): Promise<World> {
  return plan.mode === "exact"
    ? importEconomy({ ...options, subnets: plan.subnets })
    : seedEconomy({ ...options, subnets: plan.subnets });
}
