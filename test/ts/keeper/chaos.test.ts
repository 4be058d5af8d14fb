import { expect } from "chai";
import pino from "pino";
import { custom, HttpRequestError, parseEventLogs, type Transport } from "viem";

import { loadKeeperAbis } from "../../../keeper/chain/contracts.ts";
import { MemoryStateCache } from "../../../keeper/chain/epochs.ts";
import { ChainReader } from "../../../keeper/chain/reads.ts";
import { verifyEpoch } from "../../../keeper/chain/verify.ts";
import { reportDigest } from "../../../keeper/core/index.ts";
import {
  createKeeperService,
  KeeperCrash,
  MemoryBoard,
  type KeeperService,
  type StepPoint,
} from "../../../keeper/service/index.ts";
import { activity, drive, expectCleanHistory, settlementEvents } from "./harness.ts";
import { createWorld, keeperKeys, prng, type World } from "../../../scripts/lib/keeper-world.ts";

const quiet = pino({ level: process.env.KEEPER_TEST_LOG ?? "silent" });

async function smallWorld(overrides: Record<string, unknown> = {}, seed = "chaos"): Promise<World> {
  const w = await createWorld({ overrides, seed });
  const rand = prng(3);
  for (const [i, name] of ["Apex", "Dippy"].entries()) {
    const s = await w.addSubnet({ name, validators: 2, miners: 3 });
    for (const [j, v] of s.validators.entries()) await w.stake(v, v.coldkey, s.netuid, String(30 + 10 * i + 5 * j));
    await w.stake(s.owner, s.owner.coldkey, s.netuid, "10");
    await w.setWeights(s, s.owner, rand);
  }
  return w;
}

async function verifyAll(w: World, netuid: number, epochs: number): Promise<void> {
  const reader = new ChainReader({
    client: w.publicClient,
    addresses: w.addresses,
    abis: await loadKeeperAbis(),
    chainId: BigInt(w.chainId),
  });
  const ctx = { reader, cache: new MemoryStateCache() };
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const v = await verifyEpoch(ctx, netuid, epoch);
    expect(v.match, `netuid ${netuid} epoch ${epoch}`).to.equal(true);
  }
}

/** Each uid's leaf of each epoch claimed at most once, and every epoch fully claimed (nothing left claimable). */
async function expectClaimsOnce(w: World, netuid: number, epochs: number): Promise<void> {
  const claims = (await settlementEvents(w)).filter(
    (e) => e.eventName === "ClaimIncentive" && e.args.netuid === netuid,
  );
  const keys = claims.map((e) => (e.eventName === "ClaimIncentive" ? `${e.args.epoch}:${e.args.uid}` : ""));
  expect(keys.length).to.equal(new Set(keys).size);
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const record = await w.economy.settlement.read.epochRecord([netuid, 1, epoch]);
    expect(record.claimableAlphaRao, `claims of ${netuid}/${epoch}`).to.equal(0n);
  }
}

const finalisedAtLeast = (w: World, n: number) => async () => {
  for (const s of w.subnets) if ((await w.economy.settlement.read.progress([s.netuid]))[2] < n) return false;
  return true;
};

describe("keeper: crashes, faults, races, a faulty keeper", function () {
  this.timeout(1_800_000);

  it("chaos: killed and restarted at random points over 30+ epochs, no duplicate and no gap", async () => {
    const w = await smallWorld();
    const rand = prng(99);
    const crashes = new Map<StepPoint | "between ticks", number>();
    let service: KeeperService | undefined;
    let crashing = true;
    const restart = async () => {
      // A fresh process: new memory (signatures, built reports, cached states), same keys.
      service = await createKeeperService({
        transport: w.transport,
        chainId: w.chainId,
        addresses: w.addresses,
        keys: keeperKeys(),
        log: quiet,
        graceMs: 0,
        board: new MemoryBoard(),
        hooks: {
          at(point) {
            // The first time at each point always crashes, so every point is covered however the rounds fall (a
            // claim step is reached once per epoch, a batch at a time); after that, crashes are random.
            if (crashing && (!crashes.has(point) || rand() < 0.07)) {
              crashes.set(point, (crashes.get(point) ?? 0) + 1);
              throw new KeeperCrash(`crash at ${point}`);
            }
          },
        },
      });
    };
    await restart();
    let restarts = 0;
    await drive(
      w,
      async () => {
        try {
          await service!.tickAll();
          if (rand() < 0.05) {
            crashes.set("between ticks", (crashes.get("between ticks") ?? 0) + 1);
            await restart();
            restarts++;
          }
        } catch (error) {
          if (!(error instanceof KeeperCrash)) throw error;
          await restart();
          restarts++;
        }
      },
      finalisedAtLeast(w, 30),
      { maxRounds: 3_000, between: () => activity(w, { rand }) },
    );
    for (const point of [
      "beforeClose",
      "beforeSign",
      "afterSign",
      "beforeSubmit",
      "afterSubmitSent",
      "beforeFinalise",
      "afterFinaliseSent",
      "beforeClaim",
      "afterClaimSent",
    ] as const) {
      expect(crashes.get(point) ?? 0, `crashes at ${point}`).to.be.greaterThan(0);
    }
    expect(restarts).to.be.greaterThan(30);
    // The last crashes may have left the newest epochs' claims for later: one tick of a keeper that stays up claims
    // everything finalised within its lookback (a step claims after it advances), so then no epoch may be left.
    crashing = false;
    await restart();
    await service!.tickAll();
    for (const s of w.subnets) {
      const finalised = await expectCleanHistory(w, s.netuid);
      expect(finalised).to.be.at.least(30);
      await verifyAll(w, s.netuid, finalised);
      await expectClaimsOnce(w, s.netuid, finalised);
    }
  });

  it("injected RPC faults: a share of calls fail or time out; keepers retry and settle correctly", async () => {
    const w = await smallWorld({}, "faults");
    const rand = prng(5);
    let failed = 0;
    let slowed = 0;
    let lost = 0;
    const faulty: Transport = custom({
      async request({ method, params }: { method: string; params?: unknown }) {
        const r = rand();
        if (method === "eth_sendRawTransaction" && r < 0.1) {
          // The node takes the transaction but the answer is lost.
          await w.connection.provider.request({ method, params: params as unknown[] });
          lost++;
          throw new HttpRequestError({ url: "http://faulty", details: "connection reset after send" });
        }
        if (method !== "eth_sendRawTransaction" && r < 0.15) {
          failed++;
          throw new HttpRequestError({ url: "http://faulty", details: "injected failure" });
        }
        if (method !== "eth_sendRawTransaction" && r < 0.2) {
          slowed++;
          await new Promise((resolve) => setTimeout(resolve, 300)); // beyond the 150 ms per-try timeout
        }
        return (await w.connection.provider.request({ method, params: params as unknown[] })) as unknown;
      },
    });
    const service = await createKeeperService({
      transport: faulty,
      chainId: w.chainId,
      addresses: w.addresses,
      keys: keeperKeys(),
      log: quiet,
      graceMs: 0,
      retry: { retries: 8, baseDelayMs: 5, maxDelayMs: 50, timeoutMs: 150 },
    });
    await drive(w, () => service.tickAll(), finalisedAtLeast(w, 8), {
      maxRounds: 1_000,
      between: () => activity(w, { rand }),
    });
    await service.tickAll();
    expect(failed).to.be.greaterThan(20);
    expect(slowed).to.be.greaterThan(5);
    expect(lost).to.be.greaterThan(0);
    const retries = (await Promise.all(service.metrics.map((m) => m.retries.get()))).reduce(
      (s, m) => s + (m.values[0]?.value ?? 0),
      0,
    );
    expect(retries).to.be.greaterThan(20);
    for (const s of w.subnets) {
      const finalised = await expectCleanHistory(w, s.netuid);
      await verifyAll(w, s.netuid, finalised);
    }
  });

  it("two keeper services racing with quorum 1: exactly one report settles per epoch", async () => {
    const keys = keeperKeys();
    const { privateKeyToAccount } = await import("viem/accounts");
    const w = await smallWorld({ quorum: 1n }, "race");
    void privateKeyToAccount;
    const make = (key: `0x${string}`) =>
      createKeeperService({
        transport: w.transport,
        chainId: w.chainId,
        addresses: w.addresses,
        keys: [key],
        log: quiet,
        graceMs: 0,
        board: new MemoryBoard(),
        peers: 1,
      });
    const a = await make(keys[0]!);
    const b = await make(keys[1]!);
    const rand = prng(8);
    await drive(
      w,
      async () => {
        // Both act on every epoch; which one starts first changes from round to round.
        const [first, second] = rand() < 0.5 ? [a, b] : [b, a];
        await Promise.all([first.tickAll(), second.tickAll()]);
      },
      finalisedAtLeast(w, 10),
      { between: () => activity(w, { rand }) },
    );
    const events = await settlementEvents(w);
    const signers = new Set<string>();
    for (const s of w.subnets) {
      const finalised = await expectCleanHistory(w, s.netuid);
      await verifyAll(w, s.netuid, finalised);
      for (const e of events)
        if (e.eventName === "SubmitReport" && e.args.netuid === s.netuid) signers.add(e.args.signers[0]!);
    }
    // Both raced, and each won some epochs.
    expect(signers.size).to.equal(2);
    for (const service of [a, b]) {
      const attempts = (await service.metrics[0]!.transactions.get()).values.filter(
        (v) => v.labels.action === "submit",
      );
      expect(attempts.reduce((s, v) => s + v.value, 0)).to.be.greaterThan(0);
    }
  });

  it("a keeper that signs a wrong report is outvoted by the two honest ones", async () => {
    const w = await smallWorld({}, "outvoted");
    const wrongDigests = new Set<string>();
    const service = await createKeeperService({
      transport: w.transport,
      chainId: w.chainId,
      addresses: w.addresses,
      keys: keeperKeys(),
      log: quiet,
      graceMs: 0,
      hooks: (index) =>
        index !== 0
          ? undefined
          : {
              tamper(built) {
                // Pays one alpha-rao less to the root stakers: a different, self-consistent report.
                const report = { ...built.report, rootDividendsAlphaRao: built.report.rootDividendsAlphaRao + 1n };
                wrongDigests.add(reportDigest(report));
                return { ...built, report };
              },
            },
    });
    const rand = prng(21);
    await drive(w, () => service.tickAll(), finalisedAtLeast(w, 6), { between: () => activity(w, { rand }) });
    expect(wrongDigests.size).to.be.greaterThan(5);
    const events = await settlementEvents(w);
    const honest = keeperKeys().slice(1);
    const { privateKeyToAccount } = await import("viem/accounts");
    const honestAddresses = honest.map((k) => privateKeyToAccount(k).address);
    for (const s of w.subnets) {
      const finalised = await expectCleanHistory(w, s.netuid);
      await verifyAll(w, s.netuid, finalised);
    }
    for (const e of events) {
      if (e.eventName !== "SubmitReport") continue;
      expect(wrongDigests.has(e.args.reportDigest)).to.equal(false);
      expect([...e.args.signers].sort()).to.deep.equal([...honestAddresses].sort());
    }
  });

  it("re-sends a stuck transaction with the same nonce and higher fees", async () => {
    const w = await smallWorld({}, "stuck");
    const service = await createKeeperService({
      transport: w.transport,
      chainId: w.chainId,
      addresses: w.addresses,
      keys: [keeperKeys()[0]!],
      log: quiet,
      peers: 1,
      txPolicy: { stuckAfterMs: 400, maxBumps: 5, pollMs: 50 },
    });
    // Make the first epoch due, then stop mining: the close transaction waits in the mempool.
    const netuid = w.subnets[0]!.netuid;
    const due = Number((await w.economy.settlement.read.progress([netuid]))[3]);
    const now = Number(await w.publicClient.getBlockNumber());
    await w.testClient.mine({ blocks: Math.max(1, due - now) });
    await w.testClient.setAutomine(false);
    const keeper = service.keepers[0]!;
    const nonceBefore = await w.publicClient.getTransactionCount({ address: keeper.address });
    const feesBefore = await w.publicClient.estimateFeesPerGas();
    const stepping = keeper.step(netuid, Number(await w.publicClient.getBlockNumber()));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const pending = (await w.connection.provider.request({
      method: "eth_getBlockByNumber",
      params: ["pending", true],
    })) as {
      transactions: { hash: `0x${string}`; nonce: string; maxFeePerGas: string }[];
    };
    await w.testClient.mine({ blocks: 1 });
    await w.testClient.setAutomine(true);
    await stepping;
    const bumps = (await service.metrics[0]!.feeBumps.get()).values[0]?.value ?? 0;
    expect(bumps).to.be.greaterThan(0);
    // One transaction of that nonce was mined: the replacement, with the raised fee.
    expect(pending.transactions.length).to.equal(1);
    const block = await w.publicClient.getBlock({ includeTransactions: true });
    const mined = block.transactions.find(
      (t) => typeof t !== "string" && t.from.toLowerCase() === keeper.address.toLowerCase(),
    );
    expect(mined && typeof mined !== "string" && mined.hash).to.equal(pending.transactions[0]!.hash);
    expect(mined && typeof mined !== "string" && mined.nonce).to.equal(nonceBefore);
    expect(BigInt(pending.transactions[0]!.maxFeePerGas) > feesBefore.maxFeePerGas).to.equal(true);
    const receipt = await w.publicClient.getTransactionReceipt({ hash: pending.transactions[0]!.hash });
    const closes = parseEventLogs({ abi: w.economy.settlement.abi, logs: receipt.logs, eventName: "CloseEpoch" });
    expect(closes.length).to.equal(1);
    expect((await w.economy.settlement.read.progress([netuid]))[1]).to.equal(1);
  });

  it("rebuilds the report when a reorg replaces the snapshot block", async () => {
    const w = await smallWorld({}, "reorg");
    const netuid = w.subnets[0]!.netuid;
    let blockSubmit = true;
    const service = await createKeeperService({
      transport: w.transport,
      chainId: w.chainId,
      addresses: w.addresses,
      keys: keeperKeys(),
      log: quiet,
      graceMs: 0,
      netuids: [netuid],
      hooks: {
        at(point) {
          if (point === "beforeSubmit" && blockSubmit) throw new Error("held back for the test");
        },
      },
    });
    const due = Number((await w.economy.settlement.read.progress([netuid]))[3]);
    await w.testClient.mine({ blocks: Math.max(1, due - Number(await w.publicClient.getBlockNumber())) });
    const fork = await w.testClient.snapshot();
    await service.tickAll(); // closes epoch 1
    const first = await w.economy.settlement.read.epochRecord([netuid, 1, 1]);
    await service.tickAll(); // builds and signs, held back before submitting
    const firstHash = (await w.publicClient.getBlock({ blockNumber: BigInt(first.snapshotBlock) })).hash;
    // The chain reorganises: the close is undone, a stake lands first, the epoch closes at the same height.
    await w.testClient.revert({ id: fork });
    const v = w.subnets[0]!.validators[0]!;
    await w.testClient.setAutomine(false);
    await v.pools.write.addStake([v.coldkey, netuid, 0n, await w.deadline()], { value: 10n ** 19n });
    await w.economy.settlement.write.closeEpoch([netuid]);
    await w.testClient.mine({ blocks: 1 });
    await w.testClient.setAutomine(true);
    const second = await w.economy.settlement.read.epochRecord([netuid, 1, 1]);
    expect(second.snapshotBlock).to.equal(first.snapshotBlock);
    expect((await w.publicClient.getBlock({ blockNumber: BigInt(second.snapshotBlock) })).hash).to.not.equal(firstHash);
    blockSubmit = false;
    for (let i = 0; i < 4; i++) await service.tickAll();
    expect((await w.economy.settlement.read.progress([netuid]))[2]).to.equal(1);
    await verifyAll(w, netuid, 1);
  });
});
