import { expect } from "chai";
import pino from "pino";

import { MemoryStateCache } from "../../../keeper/chain/epochs.ts";
import { ChainReader } from "../../../keeper/chain/reads.ts";
import { loadKeeperAbis } from "../../../keeper/chain/contracts.ts";
import { verifyEpoch } from "../../../keeper/chain/verify.ts";
import { buildEpochReport } from "../../../keeper/chain/epochs.ts";
import { reportDigest } from "../../../keeper/core/index.ts";
import { createKeeperService } from "../../../keeper/service/index.ts";
import { activity, drive, expectCleanHistory, settlementEvents } from "./harness.ts";
import { createWorld, keeperKeys, prng, type World } from "../../../scripts/lib/keeper-world.ts";

const quiet = pino({ level: process.env.KEEPER_TEST_LOG ?? "silent" });

async function populatedWorld(): Promise<World> {
  const w = await createWorld();
  const a = await w.addSubnet({ name: "Apex", validators: 3, miners: 5 });
  const b = await w.addSubnet({ name: "Templar", validators: 2, miners: 4 });
  const c = await w.addSubnet({ name: "Targon", validators: 4, miners: 3 });
  // Templar is full at 7 uids: new miners replace the weakest; Targon gives only 2 permits (+ the owner's).
  const hp = await w.economy.registry.read.hyperparameters([b.netuid]);
  await w.wait(await b.owner.registry.write.setHyperparameters([b.netuid, { ...hp, maxUids: 7, maxValidators: 6 }]));
  await w.wait(await c.owner.registry.write.setHyperparameters([c.netuid, { ...hp, maxValidators: 2, tempo: 12 }]));
  const rand = prng(7);
  for (const s of [a, b, c]) {
    for (const [i, v] of s.validators.entries()) {
      await w.stake(v, v.coldkey, s.netuid, String(20 + 15 * i));
      if (i % 2 === 0) await w.stake(v, v.coldkey, 0, String(100 + 50 * i)); // root stake
    }
    // The owner's uid holds the only permit before the first epoch: with stake behind its weights, epoch 1 is a
    // normal Yuma epoch (without, every staked uid would get dividends by stake; see limits.test.ts).
    await w.stake(s.owner, s.owner.coldkey, s.netuid, "10");
    await w.setWeights(s, s.owner, rand);
  }
  return w;
}

describe("keeper: full loop on the in-process chain", function () {
  this.timeout(1_200_000);

  it("settles many epochs on several subnets; verify agrees bit for bit; credited stake equals the engine's outputs", async () => {
    const w = await populatedWorld();
    const service = await createKeeperService({
      transport: w.transport,
      chainId: w.chainId,
      addresses: w.addresses,
      keys: keeperKeys(),
      log: quiet,
      graceMs: 0,
    });
    const rand = prng(11);
    const netuids = w.subnets.map((s) => s.netuid);
    const target = Number(process.env.KEEPER_LOOP_EPOCHS ?? 8);
    await drive(
      w,
      () => service.tickAll(),
      async () => {
        for (const n of netuids) if ((await w.economy.settlement.read.progress([n]))[2] < target) return false;
        return true;
      },
      { between: () => activity(w, { rand, churnNetuids: [w.subnets[1]!.netuid] }) },
    );
    // Claims of the last finalised epochs.
    await service.tickAll();

    const abis = await loadKeeperAbis();
    const reader = new ChainReader({
      client: w.publicClient,
      addresses: w.addresses,
      abis,
      chainId: BigInt(w.chainId),
    });
    const ctx = { reader, cache: new MemoryStateCache() };
    const events = await settlementEvents(w);
    let verified = 0;
    for (const subnet of w.subnets) {
      const { netuid } = subnet;
      const finalised = await expectCleanHistory(w, netuid);
      expect(finalised >= target).to.equal(true);
      const minerIncentive = new Map<string, bigint>();
      for (let epoch = 1; epoch <= finalised; epoch++) {
        // verify: recomputed from chain data alone (a fresh cache), equal bit for bit.
        const v = await verifyEpoch(ctx, netuid, epoch);
        expect(v.match, `netuid ${netuid} epoch ${epoch}: ${v.differences.join(", ")}`).to.equal(true);
        expect(v.differences).to.deep.equal([]);
        verified++;
        const built = await buildEpochReport(ctx, netuid, 1, epoch);
        // The core's EIP-712 digest is the contract's.
        expect(await w.economy.settlement.read.reportDigest([built.report])).to.equal(reportDigest(built.report));
        const record = await w.economy.settlement.read.epochRecord([netuid, 1, epoch]);
        // Finalisation paid exactly the report: the owner cut and the listed dividends credited (with consensus every
        // uid with a dividend holds a permit, so all of them are listed), the rest (minus incentive) recycled.
        const fin = events.find(
          (e) => e.eventName === "FinaliseEpoch" && e.args.netuid === netuid && e.args.epoch === epoch,
        );
        const pot = {
          ownerCutAlphaRao: record.potOwnerCutAlphaRao,
          serverAlphaRao: record.potServerAlphaRao,
          validatorAlphaRao: record.potValidatorAlphaRao,
          rootAlphaRao: record.potRootAlphaRao,
        };
        expect(pot).to.deep.equal(built.snapshot.pot);
        const r = built.report;
        const listed = built.validators.reduce((s, v) => s + v.alphaDividendAlphaRao + v.rootDividendAlphaRao, 0n);
        expect(listed).to.equal(r.alphaDividendsAlphaRao + r.rootDividendsAlphaRao);
        expect(built.validators.length <= record.maxValidators + 1).to.equal(true);
        expect(fin?.eventName === "FinaliseEpoch" && fin.args.creditedAlphaRao).to.equal(pot.ownerCutAlphaRao + listed);
        expect(fin?.eventName === "FinaliseEpoch" && fin.args.recycledAlphaRao).to.equal(
          pot.serverAlphaRao +
            pot.validatorAlphaRao +
            pot.rootAlphaRao -
            r.incentiveAlphaRao -
            r.burnedIncentiveAlphaRao -
            r.alphaDividendsAlphaRao -
            r.rootDividendsAlphaRao,
        );
        // Every miner's incentive was claimed once, for the leaf's amount; nothing is left to claim.
        const claims = events.filter(
          (e) => e.eventName === "ClaimIncentive" && e.args.netuid === netuid && e.args.epoch === epoch,
        );
        const paid = built.leaves.filter((l) => l.incentiveAlphaRao > 0n);
        expect(
          claims.map((e) => e.eventName === "ClaimIncentive" && [e.args.uid, e.args.hotkey, e.args.incentiveAlphaRao]),
        ).to.deep.equal(paid.map((l) => [l.uid, l.hotkey, l.incentiveAlphaRao]));
        expect(record.claimableAlphaRao).to.equal(0n);
        for (const l of paid) minerIncentive.set(l.hotkey, (minerIncentive.get(l.hotkey) ?? 0n) + l.incentiveAlphaRao);
      }
      // Miners never stake: their stake is exactly the sum of the incentive the engine gave them.
      for (const m of subnet.miners) {
        const stake = await w.economy.pools.read.getStake([m.hotkey, m.operator.coldkey, netuid]);
        expect(stake, `miner ${m.hotkey} on ${netuid}`).to.equal(minerIncentive.get(m.hotkey) ?? 0n);
      }
      expect(
        [...minerIncentive.values()].some((x) => x > 0n),
        `miners of ${netuid} earned`,
      ).to.equal(true);
    }
    expect(verified >= 3 * target).to.equal(true);
  });
});
