import { expect } from "chai";
import pino from "pino";
import { decodeFunctionData, keccak256, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import { loadKeeperAbis } from "../../../keeper/chain/contracts.ts";
import { buildEpochReport, MemoryStateCache, stateAfter } from "../../../keeper/chain/epochs.ts";
import { ChainReader } from "../../../keeper/chain/reads.ts";
import { verifyEpoch } from "../../../keeper/chain/verify.ts";
import { dividendsOf, stateHash, type BuiltReport } from "../../../keeper/core/index.ts";
import { createKeeperService } from "../../../keeper/service/index.ts";
import { createWorld, keeperKeys, prng } from "../../../scripts/lib/keeper-world.ts";
import { drive, settlementEvents } from "./harness.ts";

describe("keeper: the validator bound, claims, and the state cache", function () {
  this.timeout(600_000);

  it("settles a report with more dividend uids than the validator bound: finalisation pays the bound's list, the others claim with their leaf", async () => {
    // No stake behind the owner's weights: epoch 1 has no consensus, and Yuma pays dividends by stake to all four
    // staked validators, more than maxValidators (2) + 1. Finalisation pays three; the fourth claims its dividends.
    const w = await createWorld({ seed: "limits" });
    const s = await w.addSubnet({ name: "Apex", validators: 4, miners: 2 });
    const hp = await w.economy.registry.read.hyperparameters([s.netuid]);
    await w.wait(await s.owner.registry.write.setHyperparameters([s.netuid, { ...hp, maxValidators: 2 }]));
    for (const [i, v] of s.validators.entries()) await w.stake(v, v.coldkey, s.netuid, String(10 + i));
    await w.setWeights(s, s.owner, prng(1));
    const service = await createKeeperService({
      transport: w.transport,
      chainId: w.chainId,
      addresses: w.addresses,
      keys: keeperKeys(),
      log: pino({ level: "silent" }),
      graceMs: 0,
    });
    const progress = () => w.economy.settlement.read.progress([s.netuid]);
    const pools0 = new Map<number, bigint>();
    await drive(
      w,
      () => service.tickAll(),
      async () => {
        if ((await progress())[2] === 0) {
          // Before finalisation: what vests in each validator's pool.
          for (const v of s.validators) {
            const pool = await w.economy.pools.read.hotkeyPool([v.coldkey, s.netuid]);
            pools0.set(await w.uidOf(s.netuid, v.coldkey), pool.unvestedAlphaRao);
          }
          return false;
        }
        // Finalised, and the claims done.
        return (await w.economy.settlement.read.epochRecord([s.netuid, 1, 1])).claimableAlphaRao === 0n;
      },
      { maxRounds: 60 },
    );

    const reader = new ChainReader({
      client: w.publicClient,
      addresses: w.addresses,
      abis: await loadKeeperAbis(),
      chainId: BigInt(w.chainId),
    });
    const built = await buildEpochReport({ reader, cache: new MemoryStateCache() }, s.netuid, 1, 1);
    const record = await w.economy.settlement.read.epochRecord([s.netuid, 1, 1]);
    expect(record.maxValidators).to.equal(2);
    const uidOf = (a: (typeof s.validators)[number]) => w.uidOf(s.netuid, a.coldkey);
    const validatorUids = await Promise.all(s.validators.map(uidOf));
    const withDividends = built.leaves.filter((l) => dividendsOf(l) > 0n).map((l) => l.uid);
    expect(withDividends).to.deep.equal(validatorUids);
    // The three largest dividends (the most stake) are listed, in uid order; the smallest is left to its leaf.
    const bySize = validatorUids
      .slice()
      .sort((a, b) => Number(dividendsOf(built.leaves[b]!) - dividendsOf(built.leaves[a]!)));
    const unlisted = bySize[3]!;
    expect(dividendsOf(built.leaves[unlisted]!) < dividendsOf(built.leaves[bySize[2]!]!)).to.equal(true);
    expect(built.validators.map((v) => v.uid)).to.deep.equal(bySize.slice(0, 3).sort((a, b) => a - b));
    for (const uid of validatorUids) {
      expect(await w.economy.settlement.read.isPaidAtFinalisation([s.netuid, 1, 1, uid]), `uid ${uid}`).to.equal(
        uid !== unlisted,
      );
    }
    const events = await settlementEvents(w);
    const finalise = events.find((e) => e.eventName === "FinaliseEpoch" && e.args.netuid === s.netuid);
    const listed = built.validators.reduce((sum, v) => sum + v.alphaDividendAlphaRao + v.rootDividendAlphaRao, 0n);
    expect(finalise?.eventName === "FinaliseEpoch" && finalise.args.creditedAlphaRao).to.equal(
      record.potOwnerCutAlphaRao + listed,
    );
    // The keepers claimed the fourth uid's dividends with its leaf: nothing is left claimable.
    const leaf = built.leaves[unlisted]!;
    const claims = events.filter((e) => e.eventName === "ClaimIncentive" && e.args.netuid === s.netuid);
    expect(claims.map((e) => e.eventName === "ClaimIncentive" && [e.args.uid, e.args.incentiveAlphaRao])).to.deep.equal(
      [[unlisted, 0n]],
    );
    expect(record.claimableAlphaRao).to.equal(0n);
    const [neuron] = await w.economy.metagraph.read.neurons([s.netuid, unlisted, 1]);
    expect(neuron!.emissionAlphaRao).to.equal(dividendsOf(leaf));
    const pool1 = await w.economy.pools.read.hotkeyPool([leaf.hotkey, s.netuid]);
    expect(pool1.unvestedAlphaRao > pools0.get(unlisted)!, "its alpha dividend vests").to.equal(true);
    expect((await verifyEpoch({ reader, cache: new MemoryStateCache() }, s.netuid, 1)).match).to.equal(true);
  });

  it("regression: claims a finalised epoch even when the next one is already open", async () => {
    // The keeper claimed only between a finalisation and the next close: an epoch whose next one another keeper
    // closed first was never claimed (its miners' incentive stayed owed).
    const w = await createWorld({ seed: "late-claims" });
    const s = await w.addSubnet({ name: "Apex", validators: 2, miners: 3 });
    for (const [i, v] of s.validators.entries()) await w.stake(v, v.coldkey, s.netuid, String(20 + 5 * i));
    await w.stake(s.owner, s.owner.coldkey, s.netuid, "10");
    await w.setWeights(s, s.owner, prng(4));
    const settling = await createKeeperService({
      transport: w.transport,
      chainId: w.chainId,
      addresses: w.addresses,
      keys: keeperKeys(),
      log: pino({ level: "silent" }),
      graceMs: 0,
      claimPolicy: "none",
    });
    const progress = () => w.economy.settlement.read.progress([s.netuid]);
    await drive(
      w,
      () => settling.tickAll(),
      async () => (await progress())[2] >= 1,
      { maxRounds: 60 },
    );
    // Someone closes epoch 2 before any claim of epoch 1.
    const due = Number((await progress())[3]);
    const now = Number(await w.publicClient.getBlockNumber());
    if (due > now) await w.testClient.mine({ blocks: due - now });
    await w.wait(await w.economy.settlement.write.closeEpoch([s.netuid]));
    expect((await progress()).slice(1, 3)).to.deep.equal([2, 1]);
    const before = await w.economy.settlement.read.epochRecord([s.netuid, 1, 1]);
    expect(before.claimableAlphaRao > 0n, "epoch 1 has incentive to claim").to.equal(true);

    const claiming = await createKeeperService({
      transport: w.transport,
      chainId: w.chainId,
      addresses: w.addresses,
      keys: [keeperKeys()[0]!],
      peers: 1,
      log: pino({ level: "silent" }),
    });
    await claiming.tickAll();
    expect((await w.economy.settlement.read.epochRecord([s.netuid, 1, 1])).claimableAlphaRao).to.equal(0n);
    const claims = (await settlementEvents(w)).filter((e) => e.eventName === "ClaimIncentive");
    expect(claims.length).to.be.greaterThan(0);
    expect(claims.every((e) => e.eventName === "ClaimIncentive" && e.args.epoch === 1)).to.equal(true);
  });

  it("finalises and claims with the accepted report from the submission's calldata when its own build differs", async () => {
    // The chain keeps only the accepted report's digest. A keeper whose own build differs (another view of the
    // chain, a bug) takes the report from the submitReport calldata, checked against the digest, and uses it only
    // when its recomputed payload (validator list, permits) is the one the report commits to.
    const w = await createWorld({ seed: "calldata" });
    const s = await w.addSubnet({ name: "Apex", validators: 2, miners: 3 });
    for (const [i, v] of s.validators.entries()) await w.stake(v, v.coldkey, s.netuid, String(20 + 5 * i));
    await w.stake(s.owner, s.owner.coldkey, s.netuid, "10");
    await w.setWeights(s, s.owner, prng(6));
    const honest = await createKeeperService({
      transport: w.transport,
      chainId: w.chainId,
      addresses: w.addresses,
      keys: keeperKeys(),
      log: pino({ level: "silent" }),
      graceMs: 0,
      claimPolicy: "none",
      hooks: {
        at(point) {
          if (point === "beforeFinalise") throw new Error("finalisation held back for the test");
        },
      },
    });
    const status = async (epoch: number) => (await w.economy.settlement.read.epochRecord([s.netuid, 1, epoch])).status;
    const SUBMITTED = 2;
    const FINALISED = 3;
    const lines: string[] = [];
    const other = (tamper: (built: BuiltReport) => BuiltReport) =>
      createKeeperService({
        transport: w.transport,
        chainId: w.chainId,
        addresses: w.addresses,
        keys: [keeperKeys()[2]!],
        peers: 1,
        log: pino({ level: "warn" }, { write: (line: string) => void lines.push(line) }),
        hooks: { tamper },
      });

    // Epoch 1: a build that differs in its state hash only; the payload is the accepted one.
    await drive(
      w,
      () => honest.tickAll(),
      async () => (await status(1)) === SUBMITTED,
      { maxRounds: 60 },
    );
    const stateOnly = await other((b) => ({ ...b, report: { ...b.report, stateHash: keccak256(toHex("elsewhere")) } }));
    await stateOnly.tickAll();
    expect(await status(1)).to.equal(FINALISED);
    expect(lines.join("")).to.match(/finalising it from its calldata/);
    // Its claims follow the chain's record of who finalisation paid.
    expect((await w.economy.settlement.read.epochRecord([s.netuid, 1, 1])).claimableAlphaRao).to.equal(0n);
    // It was this keeper's finalisation (the others are held back), with the accepted report, not its own build.
    const finalised = (await settlementEvents(w)).find((e) => e.eventName === "FinaliseEpoch")!;
    const tx = await w.publicClient.getTransaction({ hash: finalised.transactionHash });
    expect(tx.from.toLowerCase()).to.equal(privateKeyToAccount(keeperKeys()[2]!).address.toLowerCase());
    const call = decodeFunctionData({ abi: w.economy.settlement.abi, data: tx.input });
    const presented = call.args[0] as { stateHash: string };
    expect(presented.stateHash).to.not.equal(keccak256(toHex("elsewhere")));
    expect(await w.economy.settlement.read.reportDigest([call.args[0] as never])).to.equal(
      (await w.economy.settlement.read.epochRecord([s.netuid, 1, 1])).reportDigest,
    );

    // Epoch 2: a build whose validator list differs cannot supply the payload: it refuses, naming why.
    await drive(
      w,
      () => honest.tickAll(),
      async () => (await status(2)) === SUBMITTED,
      { maxRounds: 60 },
    );
    const payload = await other((b) => ({ ...b, validators: b.validators.slice(1) }));
    lines.length = 0;
    await payload.tickAll();
    expect(await status(2)).to.equal(SUBMITTED);
    expect(lines.join("")).to.match(/commits to another validator list or other permits than this keeper computes/);
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
