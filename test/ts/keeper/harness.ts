/**
 * Drives a test world forward: activity between blocks (weights from permitted validators, stake changes, new
 * neurons), blocks mined, keepers ticked; and checks the chain's settlement history.
 */
import { expect } from "chai";
import { parseEventLogs, type Hex } from "viem";

import type { World, WorldSubnet } from "../../../scripts/lib/keeper-world.ts";

export interface Activity {
  rand: () => number;
  /** Registers a new miner on these netuids now and then (a full subnet replaces a neuron). */
  churnNetuids?: number[];
}

/** One round of activity on every subnet of the world. */
export async function activity(w: World, a: Activity): Promise<void> {
  for (const subnet of w.subnets) {
    await pruneMiners(w, subnet);
    for (const v of [subnet.owner, ...subnet.validators]) {
      const [registered, uid] = await w.economy.metagraph.read.uidOf([subnet.netuid, v.coldkey]);
      if (!registered || !(await w.economy.metagraph.read.hasValidatorPermit([subnet.netuid, uid]))) continue;
      if (a.rand() < 0.6 && subnet.miners.length > 0) await w.setWeights(subnet, v, a.rand).catch(() => undefined);
    }
    if (a.rand() < 0.3 && subnet.validators.length > 0) {
      const v = subnet.validators[Math.floor(a.rand() * subnet.validators.length)]!;
      await w.stake(v, v.coldkey, subnet.netuid, String(1 + Math.floor(a.rand() * 20)));
    }
    if (a.churnNetuids?.includes(subnet.netuid) && a.rand() < 0.25) {
      const operator = subnet.miners[0]?.operator ?? subnet.owner;
      const tag = `${subnet.netuid}/churn/${Math.floor(a.rand() * 1e9)}`;
      const miner = await w.actor(tag, "1");
      await w.wait(await miner.metagraph.write.approveHotkeyOwner([operator.coldkey]));
      try {
        await w.register(subnet, operator, miner.coldkey);
        subnet.miners.push({ hotkey: miner.coldkey, actor: miner, operator });
      } catch {
        // every neuron immune: no registration this round
      }
    }
  }
}

/** Drops miners that were replaced (their hotkey has no uid any more). */
async function pruneMiners(w: World, subnet: WorldSubnet): Promise<void> {
  const kept = [];
  for (const m of subnet.miners) {
    const [registered] = await w.economy.metagraph.read.uidOf([subnet.netuid, m.hotkey]);
    if (registered) kept.push(m);
  }
  subnet.miners = kept;
}

/** Every settlement event of the settlement contract, decoded. */
export async function settlementEvents(w: World) {
  const logs = await w.publicClient.getLogs({ address: w.economy.settlement.address, fromBlock: 0n });
  return parseEventLogs({ abi: w.economy.settlement.abi, logs });
}

/** Per netuid: epochs closed 1…n contiguously, each submitted and finalised exactly once (no duplicate, no gap). */
export async function expectCleanHistory(w: World, netuid: number, expectVetoes = 0): Promise<number> {
  const events = await settlementEvents(w);
  const of = (name: string) =>
    events.filter((e) => e.eventName === name && (e.args as { netuid: number }).netuid === netuid);
  const epochs = (name: string) => of(name).map((e) => (e.args as { epoch: number }).epoch);
  const closed = epochs("CloseEpoch");
  const finalised = epochs("FinaliseEpoch");
  expect(closed, `closed epochs of netuid ${netuid}`).to.deep.equal(closed.map((_, i) => i + 1));
  expect(finalised, `finalised epochs of netuid ${netuid}`).to.deep.equal(finalised.map((_, i) => i + 1));
  const submitted = epochs("SubmitReport");
  expect(submitted.length - expectVetoes, `submissions of netuid ${netuid}`).to.equal(new Set(submitted).size);
  // A later epoch closes only after the previous one is finalised: snapshot blocks strictly increase.
  const blocks = of("CloseEpoch").map((e) => (e.args as { snapshotBlock: bigint }).snapshotBlock);
  for (let i = 1; i < blocks.length; i++) expect(blocks[i]! > blocks[i - 1]!).to.equal(true);
  return finalised.length;
}

/** Mines `blocks` blocks and ticks the keepers after each batch until `done` or `maxRounds`. */
export async function drive(
  w: World,
  tick: () => Promise<void>,
  done: () => Promise<boolean>,
  options: { maxRounds?: number; blocksPerRound?: number; between?: () => Promise<void> } = {},
): Promise<number> {
  const maxRounds = options.maxRounds ?? 500;
  for (let round = 0; round < maxRounds; round++) {
    if (await done()) return round;
    await options.between?.();
    await w.testClient.mine({ blocks: options.blocksPerRound ?? 2 });
    await tick();
  }
  throw new Error(`not done after ${maxRounds} rounds`);
}

export type { Hex };
