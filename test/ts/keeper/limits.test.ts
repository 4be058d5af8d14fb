import { expect } from "chai";
import pino from "pino";

import { loadKeeperAbis } from "../../../keeper/chain/contracts.ts";
import { MemoryStateCache, stateAfter } from "../../../keeper/chain/epochs.ts";
import { ChainReader } from "../../../keeper/chain/reads.ts";
import { verifyEpoch } from "../../../keeper/chain/verify.ts";
import { stateHash } from "../../../keeper/core/index.ts";
import { createKeeperService } from "../../../keeper/service/index.ts";
import { createWorld, keeperKeys, prng } from "../../../scripts/lib/keeper-world.ts";
import { drive, settlementEvents } from "./harness.ts";

describe("keeper: limits of the settlement contract, and the state cache", function () {
  this.timeout(600_000);

  it("holds back a report with more payouts than finaliseEpoch accepts, and settles it once maxValidators allows", async () => {
    // No stake behind the owner's weights: epoch 1 has no consensus, and Yuma pays dividends by stake to all four
    // staked validators, more than maxValidators (2) + 1. Submitted, such a report could never be finalised.
    const w = await createWorld({ seed: "limits" });
    const s = await w.addSubnet({ name: "Apex", validators: 4, miners: 2 });
    const hp = await w.economy.registry.read.hyperparameters([s.netuid]);
    await w.wait(await s.owner.registry.write.setHyperparameters([s.netuid, { ...hp, maxValidators: 2 }]));
    for (const [i, v] of s.validators.entries()) await w.stake(v, v.coldkey, s.netuid, String(10 + i));
    await w.setWeights(s, s.owner, prng(1));
    const lines: string[] = [];
    const log = pino({ level: "warn" }, { write: (line: string) => void lines.push(line) });
    const service = await createKeeperService({
      transport: w.transport,
      chainId: w.chainId,
      addresses: w.addresses,
      keys: keeperKeys(),
      log,
      graceMs: 0,
    });
    const progress = () => w.economy.settlement.read.progress([s.netuid]);
    await drive(
      w,
      () => service.tickAll(),
      async () => (await progress())[1] === 1 && lines.length > 3,
      {
        maxRounds: 50,
      },
    );
    for (let i = 0; i < 3; i++) await service.tickAll();
    expect((await progress())[2]).to.equal(0);
    expect((await settlementEvents(w)).some((e) => e.eventName === "SubmitReport")).to.equal(false);
    expect(lines.join("")).to.match(/pays dividends to 4 uids, more than the 3 finaliseEpoch accepts/);

    await w.wait(await s.owner.registry.write.setHyperparameters([s.netuid, { ...hp, maxValidators: 3 }]));
    for (let i = 0; i < 4; i++) await service.tickAll();
    expect((await progress())[2]).to.equal(1);
  });

  it("uses a cached state only when its hash is the one the chain accepted", async () => {
    const w = await createWorld({ seed: "cache" });
    const s = await w.addSubnet({ name: "Apex", validators: 2, miners: 3 });
    for (const v of s.validators) await w.stake(v, v.coldkey, s.netuid, "20");
    await w.stake(s.owner, s.owner.coldkey, s.netuid, "10");
    await w.setWeights(s, s.owner, prng(2));
    const service = await createKeeperService({
      transport: w.transport,
      chainId: w.chainId,
      addresses: w.addresses,
      keys: keeperKeys(),
      log: pino({ level: "silent" }),
      graceMs: 0,
    });
    const rand = prng(3);
    await drive(
      w,
      () => service.tickAll(),
      async () => (await w.economy.settlement.read.progress([s.netuid]))[2] >= 3,
      {
        between: async () => {
          for (const v of [s.owner, ...s.validators]) {
            const uid = await w.uidOf(s.netuid, v.coldkey);
            if (await w.economy.metagraph.read.hasValidatorPermit([s.netuid, uid])) await w.setWeights(s, v, rand);
          }
        },
      },
    );
    const reader = new ChainReader({
      client: w.publicClient,
      addresses: w.addresses,
      abis: await loadKeeperAbis(),
      chainId: BigInt(w.chainId),
    });
    const honest = new MemoryStateCache();
    const good = await stateAfter({ reader, cache: honest }, s.netuid, 1, 2);
    // A poisoned cache: every stored state flipped. It must be ignored and replaced by the replayed one.
    const poisoned = new MemoryStateCache();
    const key = (epoch: number) => `${w.chainId}:${w.addresses.settlement.toLowerCase()}:${s.netuid}:1:${epoch}`;
    for (const epoch of [1, 2]) {
      const real = honest.get(key(epoch))!;
      poisoned.set(key(epoch), { ...real, validatorPermit: real.validatorPermit.map((p) => !p) });
    }
    const v = await verifyEpoch({ reader, cache: poisoned }, s.netuid, 3);
    expect(v.match).to.equal(true);
    expect(stateHash(poisoned.get(key(2))!)).to.equal(stateHash(good));
  });
});
