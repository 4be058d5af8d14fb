/**
 * The subnet economy as Ignition deploys it, driven from TypeScript through viem: wiring and roles, registration,
 * the start call, stake with exact accounting, emission and its split, an epoch settled through the hooks, pruning
 * with refunds, hotkeys that prove control, and weights a keeper can rebuild from logs. The contracts' own rules are
 * covered in depth by the Solidity suites; these tests pin what a TypeScript client sees.
 */
import { expect } from "chai";
import { encodeAbiParameters, keccak256, parseAbiParameters, parseEventLogs, toHex } from "viem";

import { evmToAccountId } from "../../keeper/chain/accountId.ts";
import { blockEmission, quoteTaoForAlpha } from "../../keeper/model/math.ts";
import { DEADLINE, RAO, expectRevert, freshEconomy, hotkeyOf, tao } from "./helpers/economy.ts";

const role = (name: string) => keccak256(toHex(name));
const OWNER_CUT_OF_65535 = 11_796n;

describe("subnet economy (deployed through Ignition)", function () {
  this.timeout(120_000);

  it("wires the seven contracts and their roles; only EpochSettlement settles", async () => {
    const e = await freshEconomy();
    const deployer = e.wallets[0]!.account.address;
    expect(await e.pools.read.hasRole([role("REGISTRY_ROLE"), e.registry.address])).to.equal(true);
    expect(await e.pools.read.hasRole([role("METAGRAPH_ROLE"), e.metagraph.address])).to.equal(true);
    expect(await e.pools.read.hasRole([role("ROOT_DIVIDENDS_ROLE"), e.rootDividends.address])).to.equal(true);
    // Epochs are settled by EpochSettlement alone, from k-of-n keeper reports: the deployer (the admin) does not
    // hold the settler's role anywhere.
    for (const c of [e.pools, e.metagraph, e.rootDividends]) {
      expect(await c.read.hasRole([role("SETTLER_ROLE"), e.settlement.address])).to.equal(true);
      expect(await c.read.hasRole([role("SETTLER_ROLE"), deployer])).to.equal(false);
    }
    expect(await e.settlement.read.POOLS()).to.equal(e.pools.address);
    expect(await e.settlement.read.METAGRAPH()).to.equal(e.metagraph.address);
    expect(await e.pools.read.EXTENSION()).to.equal(e.extension.address);
    expect(await e.pools.read.hotkeys()).to.equal(e.metagraph.address);
    expect(await e.pools.read.rootDividends()).to.equal(e.rootDividends.address);
    expect(await e.registry.read.metagraph()).to.equal(e.metagraph.address);
    expect(await e.lens.read.markets()).to.deep.equal([]);
    // The extension runs only by delegatecall, on the pools' storage.
    await expectRevert(e.extension.write.approve([deployer, 1, 1n]), "OnlyDelegateCall");
  });

  it("maps EVM addresses to the same account ids as the chain", async () => {
    const e = await freshEconomy();
    for (const w of e.wallets.slice(0, 4)) {
      expect(await e.pools.read.coldkeyOf([w.account.address])).to.equal(evmToAccountId(w.account.address));
    }
  });

  it("registers subnets at the doubling lock cost, at the lowest free netuid, and refunds the excess", async () => {
    const e = await freshEconomy();
    const owner = e.wallets[1]!;
    const first = await e.registry.read.lockCost();
    expect(first).to.equal(100n * RAO);

    const before = await e.publicClient.getBalance({ address: owner.account.address });
    const receipt = await e.wait(
      await e.registry.write.registerNetwork([e.accountId(1), "Apex", first], {
        value: (first + 5n * RAO) * RAO,
        account: owner.account,
      }),
    );
    const after = await e.publicClient.getBalance({ address: owner.account.address });
    expect(before - after - receipt.gasUsed * receipt.effectiveGasPrice).to.equal(first * RAO);
    expect(await e.registry.read.activeNetuids()).to.deep.equal([1]);

    // The next lock is twice the last one, minus its linear decay over the blocks since.
    const second = await e.registry.read.lockCost();
    expect(second > first && second <= 2n * first).to.equal(true);

    await expectRevert(
      e.registry.write.registerNetwork([e.accountId(0), "Templar", first - 1n], { value: second * RAO }),
      "LockCostAboveMax",
    );
    await expectRevert(
      e.registry.write.registerNetwork([e.accountId(0), "", second * 2n], { value: second * 2n * RAO }),
      "InvalidName",
      [0n],
    );
    const market = await e.lens.read.market([1]);
    expect(market.name).to.equal("Apex");
    expect(market.ownerHotkey).to.equal(e.accountId(1));
    expect(market.taoReserveRao).to.equal(first);
    // The first subnet starts at 1 TAO per alpha; it emits nothing before its owner's start call.
    expect(market.spotPriceWad).to.equal(10n ** 18n);
    expect(market.firstEmissionBlock).to.equal(0);
    expect(market.emissionShareWad).to.equal(0n);
  });

  it("refuses stake before the owner's start call (SubtokenDisabled); root is always open", async () => {
    const e = await freshEconomy();
    const { netuid, hotkey } = await e.registerSubnet("Apex", 0, { start: false });
    const user = e.wallets[2]!.account;
    await expectRevert(
      e.pools.write.addStake([hotkey, netuid, 0n, DEADLINE], { value: tao("1"), account: user }),
      "SubtokenDisabled",
      [netuid],
    );
    await e.wait(await e.pools.write.addStake([hotkey, 0, 0n, DEADLINE], { value: tao("1"), account: user }));
    expect(await e.pools.read.getStake([hotkey, e.accountId(2), 0])).to.equal(RAO);

    const receipt = await e.wait(await e.registry.write.startCall([netuid]));
    const [started] = parseEventLogs({ abi: e.pools.abi, logs: receipt.logs, eventName: "StartEmission" });
    expect(started!.args.firstEmissionBlock).to.equal(receipt.blockNumber + 1n);
    await e.wait(await e.pools.write.addStake([hotkey, netuid, 0n, DEADLINE], { value: tao("1"), account: user }));
    expect((await e.pools.read.getStake([hotkey, e.accountId(2), netuid])) > 0n).to.equal(true);
  });

  it("stakes and unstakes through the pool with exact TAO accounting", async () => {
    const e = await freshEconomy();
    const { netuid, hotkey } = await e.registerSubnet("Apex");
    const user = e.wallets[2]!;
    const coldkey = evmToAccountId(user.account.address);

    // Poke and stake in one block, so the stake trades against the caught-up pool and nothing accrues after it.
    await e.testClient.setAutomine(false);
    const pokeHash = await e.pools.write.poke([netuid]);
    const stakeHash = await e.pools.write.addStake([hotkey, netuid, 0n, DEADLINE], {
      value: tao("10"),
      account: user.account,
    });
    await e.testClient.mine({ blocks: 1 });
    await e.testClient.setAutomine(true);
    await e.wait(pokeHash);
    const stakeReceipt = await e.wait(stakeHash);
    const [stakeLog] = parseEventLogs({ abi: e.pools.abi, logs: stakeReceipt.logs, eventName: "Stake" });
    const { taoRao, alphaRao: alphaOut, feeRao } = stakeLog!.args;
    expect(taoRao).to.equal(10n * RAO);
    // The pool before the stake, rebuilt from the pool after it (the fee stays in the pool): the swap is exactly
    // the quote formula.
    const [after] = await e.pools.read.storedSubnet([netuid]);
    const feeRate = BigInt((await e.pools.read.subnetConfig([netuid])).feeRateOf65535);
    const quote = quoteTaoForAlpha(10n * RAO, after.taoRao - 10n * RAO, after.alphaRao + alphaOut, feeRate);
    expect(alphaOut).to.equal(quote);
    expect(feeRao).to.equal((10n * RAO * feeRate + 65_534n) / 65_535n);
    // The first stake of a hotkey pool is worth exactly what it bought.
    expect(await e.pools.read.getStake([hotkey, coldkey, netuid])).to.equal(alphaOut);

    const before = await e.publicClient.getBalance({ address: user.account.address });
    const receipt = await e.wait(
      await e.pools.write.removeStakeFull([hotkey, netuid, 0n, DEADLINE], { account: user.account }),
    );
    const balanceAfter = await e.publicClient.getBalance({ address: user.account.address });
    const [log] = parseEventLogs({ abi: e.pools.abi, logs: receipt.logs, eventName: "Unstake" });
    const received = balanceAfter - before + receipt.gasUsed * receipt.effectiveGasPrice;
    expect(received).to.equal(log!.args.taoRao * RAO);
    expect(log!.args.alphaRao).to.equal(alphaOut);
    expect(await e.pools.read.getStake([hotkey, coldkey, netuid])).to.equal(0n);
  });

  it("rejects bad trades with named errors", async () => {
    const e = await freshEconomy();
    const { netuid, hotkey } = await e.registerSubnet("Apex");
    await expectRevert(e.pools.write.addStake([hotkey, netuid, 0n, 1n], { value: tao("1") }), "DeadlineExpired");
    await expectRevert(e.pools.write.addStake([hotkey, 42, 0n, DEADLINE], { value: tao("1") }), "UnknownSubnet", [42]);
    await expectRevert(e.pools.write.addStake([hotkey, netuid, 0n, DEADLINE], { value: 0n }), "ZeroAmount");
    await expectRevert(
      e.pools.write.addStake([hotkey, netuid, 0n, DEADLINE], { value: 1_000_000n * RAO }),
      "AmountTooLow",
    );
    await expectRevert(e.pools.write.addStake([hotkey, netuid, 0n, DEADLINE], { value: 1n }), "NotWholeRao", [1n]);
    await expectRevert(
      e.pools.write.addStake([hotkeyOf("nobody"), netuid, 0n, DEADLINE], { value: tao("1") }),
      "HotkeyNotRegistered",
      [hotkeyOf("nobody")],
    );
    await expectRevert(
      e.pools.write.addStakeLimit([hotkey, netuid, 1n, false, DEADLINE], { value: tao("1") }),
      "LimitPriceCrossed",
    );
    await expectRevert(e.pools.write.removeStake([hotkey, netuid, RAO, 0n, DEADLINE]), "InsufficientStake", [RAO, 0n]);
    await expectRevert(e.pools.write.moveStake([hotkey, hotkey, netuid, netuid, RAO, 0n, DEADLINE]), "SameNetuid", [
      netuid,
    ]);
  });

  it("emits alpha by the schedule, splits it 18/41/41 into the pending buckets, and shares TAO by moving price", async () => {
    const e = await freshEconomy();
    const { netuid } = await e.registerSubnet("Apex");
    const other = await e.registerSubnet("Templar", 1);
    await e.testClient.mine({ blocks: 50 });
    // Both caught up in the same block, so their emission shares are taken against the same total.
    await e.testClient.setAutomine(false);
    const hashes = [await e.pools.write.poke([netuid]), await e.pools.write.poke([other.netuid])];
    await e.testClient.mine({ blocks: 1 });
    await e.testClient.setAutomine(true);
    for (const hash of hashes) await e.wait(hash);

    const [pool, , books] = await e.pools.read.storedSubnet([netuid]);
    const config = await e.pools.read.subnetConfig([netuid]);
    const blocks = BigInt(pool.lastAccrualBlock) - BigInt(config.firstEmissionBlock) + 1n;
    // Without root stake the root proportion is 0: every emitted alpha waits for the epoch.
    expect(books.pendingAlphaOutRao).to.equal(blocks * blockEmission(0n));
    expect(books.pendingRootAlphaRao + books.pendingRecycledRootAlphaRao).to.equal(0n);
    const market = await e.lens.read.market([netuid]);
    const total = books.pendingAlphaOutRao;
    expect(market.pendingOwnerCutAlphaRao).to.equal((total * OWNER_CUT_OF_65535) / 65_535n);
    expect(market.pendingServerAlphaRao).to.equal((total - market.pendingOwnerCutAlphaRao) / 2n);
    expect(market.pendingOwnerCutAlphaRao + market.pendingServerAlphaRao + market.pendingValidatorAlphaRao).to.equal(
      total,
    );

    // TAO emission: the reserve paid out what the schedule asked, no more.
    const [, supply] = await e.pools.read.storedGlobal();
    expect(supply.unbackedRao).to.equal(0n);
    const markets = await e.lens.read.markets();
    const shares = markets.map((m) => m.emissionShareWad);
    const sum = shares.reduce((a, b) => a + b, 0n);
    expect(sum <= 10n ** 18n && sum >= 10n ** 18n - 2n, `shares add up to ${sum}`).to.equal(true);
    // A share is the subnet's weight (moving price × (1 − miner burn)) over the total.
    const [, emission] = await e.pools.read.storedSubnet([netuid]);
    const [global] = await e.pools.read.storedGlobal();
    expect(market.emissionShareWad).to.equal((BigInt(emission.weight) * 10n ** 18n) / BigInt(global.totalWeight));
  });

  it("settles an epoch through the hooks: incentive becomes stake, a dividend vests into the nominators' stake", async () => {
    const e = await freshEconomy();
    const { netuid, hotkey: ownerHotkey } = await e.registerSubnet("Apex");
    const validatorHotkey = await e.registerNeuron(netuid, 2);
    const minerHotkey = await e.registerNeuron(netuid, 4);
    const nominator = e.accountId(3);
    await e.wait(
      await e.pools.write.addStake([validatorHotkey, netuid, 0n, DEADLINE], {
        value: tao("20"),
        account: e.wallets[3]!.account,
      }),
    );
    const stakeBefore = await e.pools.read.getStake([validatorHotkey, nominator, netuid]);

    const tempo = (await e.pools.read.subnetConfig([netuid])).tempo;
    await e.testClient.mine({ blocks: tempo });
    // The deployment lets only EpochSettlement settle; this test drives the pools' hooks itself, so the admin grants
    // the deployer the settler's role here.
    await e.wait(await e.pools.write.grantRole([role("SETTLER_ROLE"), e.wallets[0]!.account.address]));
    const closed = await e.wait(await e.pools.write.closePending([netuid]));
    const [event] = parseEventLogs({ abi: e.pools.abi, logs: closed.logs, eventName: "ClosePending" });
    const { generation, pot } = event!.args;
    const owed = pot.ownerCutAlphaRao + pot.serverAlphaRao + pot.validatorAlphaRao + pot.rootAlphaRao;
    expect(owed > 0n).to.equal(true);
    const [owedNow] = await e.pools.read.owedAlpha([netuid, generation]);
    expect(owedNow).to.equal(owed);
    await expectRevert(
      e.pools.write.creditStake([netuid, generation, minerHotkey, e.accountId(4), owed + 1n]),
      "PayoutExceedsPot",
      [owed + 1n, owed],
    );
    await expectRevert(
      e.pools.write.creditStake([netuid, generation + 1, minerHotkey, e.accountId(4), 1n]),
      "StaleGeneration",
      [netuid, generation + 1, generation],
    );

    await e.wait(
      await e.pools.write.creditStake([netuid, generation, minerHotkey, e.accountId(4), pot.serverAlphaRao]),
    );
    await e.wait(
      await e.pools.write.creditStake([netuid, generation, ownerHotkey, e.accountId(0), pot.ownerCutAlphaRao]),
    );
    await e.wait(
      await e.pools.write.creditDividend([netuid, generation, validatorHotkey, e.accountId(2), pot.validatorAlphaRao]),
    );
    expect(await e.pools.read.getStake([minerHotkey, e.accountId(4), netuid])).to.equal(pot.serverAlphaRao);
    expect(await e.pools.read.getStake([ownerHotkey, e.accountId(0), netuid])).to.equal(pot.ownerCutAlphaRao);
    // The dividend vests over the next tempo: none of it at once, about half after half a tempo, all after it.
    expect(await e.pools.read.getStake([validatorHotkey, nominator, netuid])).to.equal(stakeBefore);
    await e.testClient.mine({ blocks: tempo / 2 });
    const halfway = (await e.pools.read.getStake([validatorHotkey, nominator, netuid])) - stakeBefore;
    expect(halfway > 0n && halfway < pot.validatorAlphaRao).to.equal(true);
    await e.testClient.mine({ blocks: tempo });
    const vested = (await e.pools.read.getStake([validatorHotkey, nominator, netuid])) - stakeBefore;
    // The nominator holds every share of the pool: it receives the whole dividend, rounded down.
    expect(vested <= pot.validatorAlphaRao && vested >= pot.validatorAlphaRao - 2n, `vested ${vested}`).to.equal(true);
    const [owedAfter] = await e.pools.read.owedAlpha([netuid, generation]);
    expect(owedAfter).to.equal(pot.rootAlphaRao);
  });

  it("prunes the lowest moving price at the subnet limit and refunds its stakers", async () => {
    // Issuance as on a chain that has run a while (the local parameters start at 0; see the regression test below).
    const e = await freshEconomy({ subnetLimit: 2n, networkImmunityPeriod: 5n, initialIssuanceRao: 10n ** 15n });
    const a = await e.registerSubnet("Apex");
    const b = await e.registerSubnet("Templar", 1);
    const user = e.wallets[3]!;
    // Stake lifts Apex's price, so Templar's moving price ends up the lowest.
    for (let i = 0; i < 3; i++) {
      await e.wait(
        await e.pools.write.addStake([a.hotkey, a.netuid, 0n, DEADLINE], { value: tao("40"), account: user.account }),
      );
    }
    await e.wait(
      await e.pools.write.addStake([b.hotkey, b.netuid, 0n, DEADLINE], { value: tao("1"), account: user.account }),
    );
    await e.testClient.mine({ blocks: 20 });
    const [candidate] = await e.registry.read.pruneCandidate();
    expect(candidate).to.equal(b.netuid);

    const coldkey = evmToAccountId(user.account.address);
    const stakeAlpha = await e.pools.read.getStake([b.hotkey, coldkey, b.netuid]);
    expect(await e.registry.read.refundOf([b.hotkey, coldkey, b.netuid, 1])).to.equal(0n); // not pruned yet
    const c = await e.registerSubnet("Targon", 2);
    expect(c.netuid).to.equal(b.netuid); // the netuid is reused

    const pot = await e.registry.read.refundPot([b.netuid, 1]);
    const claimable = await e.registry.read.refundOf([b.hotkey, coldkey, b.netuid, 1]);
    expect(claimable).to.equal((stakeAlpha * pot.potRao) / pot.stakedAlphaRao);
    expect(claimable > 0n).to.equal(true);
    const before = await e.publicClient.getBalance({ address: user.account.address });
    const receipt = await e.wait(
      await e.registry.write.claimRefund([b.hotkey, b.netuid, 1], { account: user.account }),
    );
    const after = await e.publicClient.getBalance({ address: user.account.address });
    expect(after - before + receipt.gasUsed * receipt.effectiveGasPrice).to.equal(claimable * RAO);
    await expectRevert(
      e.registry.write.claimRefund([b.hotkey, b.netuid, 1], { account: user.account }),
      "NothingToRefund",
      [b.netuid, 1],
    );
    // The new subnet's ledger starts empty.
    expect(await e.pools.read.getStake([b.hotkey, coldkey, b.netuid])).to.equal(0n);
  });

  it(
    "REGRESSION TEST, fails on the current contracts: pruning a subnet keeps the coinbase running when the TAO it " +
      "recycles is more than the TAO issued so far (issuance = issuancePlusReserve − reserve underflows in " +
      "CoinbaseLib.advanceGlobal and SubnetRegistry.lockCost: every catch-up, stake, unstake and registration then " +
      "panics; the local parameters start at issuance 0, so one pruning does it)",
    async () => {
      const e = await freshEconomy({ subnetLimit: 2n, networkImmunityPeriod: 5n });
      const a = await e.registerSubnet("Apex");
      await e.registerSubnet("Templar", 1);
      await e.testClient.mine({ blocks: 10 });
      // The third registration prunes one of the two; its pool's TAO (a lock of 100+ TAO) is mostly recycled,
      // while about 15 TAO have been issued.
      const cost = await e.registry.read.lockCost();
      await e.wait(
        await e.registry.write.registerNetwork([e.accountId(2), "Targon", cost], {
          value: cost * RAO,
          account: e.wallets[2]!.account,
        }),
      );
      const [, supply] = await e.pools.read.storedGlobal();
      expect(supply.recycledRao > 0n, "the pruning recycled TAO").to.equal(true);
      // The economy keeps working: the lock cost can be read, and a stake on the surviving subnet catches it up.
      await e.registry.read.lockCost();
      await e.wait(
        await e.pools.write.addStake([a.hotkey, a.netuid, 0n, DEADLINE], {
          value: tao("1"),
          account: e.wallets[3]!.account,
        }),
      );
    },
  );

  it("registers a hotkey only for the coldkey that controls it (its own account, or one it approved)", async () => {
    const e = await freshEconomy();
    const { netuid } = await e.registerSubnet("Apex");
    const operator = e.wallets[1]!;
    const hotkeyAccount = e.wallets[5]!;
    const hotkey = e.accountId(5);
    const burn = (await e.metagraph.read.burnCost([netuid])) * 2n;
    const register = (from: typeof operator) =>
      e.metagraph.write.burnedRegister([netuid, hotkey, burn], { value: burn * RAO, account: from.account });
    await expectRevert(register(operator), "HotkeyNotControlled", [hotkey, e.accountId(1)]);
    await e.wait(await e.metagraph.write.approveHotkeyOwner([e.accountId(1)], { account: hotkeyAccount.account }));
    expect(await e.metagraph.read.approvedOwnerOf([hotkey])).to.equal(e.accountId(1));
    await expectRevert(register(e.wallets[2]!), "HotkeyNotControlled", [hotkey, e.accountId(2)]);
    await e.wait(await register(operator));
    expect(await e.metagraph.read.ownerOf([hotkey])).to.equal(e.accountId(1));
    // Owned now: nobody else takes it, and the hotkey cannot hand itself to another owner.
    await expectRevert(
      e.metagraph.write.approveHotkeyOwner([e.accountId(2)], { account: hotkeyAccount.account }),
      "HotkeyOwnedByOther",
      [hotkey, e.accountId(1)],
    );
    // An arbitrary id that no account controls can never be registered.
    await expectRevert(
      e.metagraph.write.burnedRegister([netuid, hotkeyOf("nobody"), burn], { value: burn * RAO }),
      "HotkeyNotControlled",
    );
  });

  it("lets a keeper rebuild the weight matrix from logs and check it against the commitments", async () => {
    const e = await freshEconomy();
    const { netuid } = await e.registerSubnet("Apex");
    const validators = [1, 2, 3];
    for (const i of validators) {
      const hk = await e.registerNeuron(netuid, i);
      await e.wait(
        await e.pools.write.addStake([hk, netuid, 0n, DEADLINE], { value: tao("5"), account: e.wallets[i]!.account }),
      );
    }
    for (const i of [4, 5, 6, 7]) await e.registerNeuron(netuid, i);
    const n = await e.metagraph.read.neuronCount([netuid]);
    expect(n).to.equal(8);
    // Only the owner's uid 0 has a validator permit until an epoch records more.
    expect(await e.metagraph.read.hasValidatorPermit([netuid, 0])).to.equal(true);
    await expectRevert(
      e.metagraph.write.setWeights([netuid, [4], [1], 0n], { account: e.wallets[1]!.account }),
      "NoValidatorPermit",
      [netuid, 1],
    );
    // A neuron may always weigh itself.
    await e.wait(await e.metagraph.write.setWeights([netuid, [1], [1], 0n], { account: e.wallets[1]!.account }));
    const generation = await e.metagraph.read.generationOf([netuid]);
    // As an epoch's finalisation records them (the settler's role granted here: the test plays the settlement),
    // with the snapshot block the permits were computed at.
    await e.wait(await e.metagraph.write.grantRole([role("SETTLER_ROLE"), e.wallets[0]!.account.address]));
    const snapshotBlock = await e.publicClient.getBlockNumber();
    await e.wait(await e.metagraph.write.setValidatorPermits([netuid, generation, snapshotBlock, [0b1111n]]));
    for (let uid = 0; uid <= 3; uid++) expect(await e.metagraph.read.hasValidatorPermit([netuid, uid])).to.equal(true);
    expect(await e.metagraph.read.hasValidatorPermit([netuid, 4])).to.equal(false);

    await e.testClient.mine({ blocks: 10 }); // past the weights rate limit of the self-weights above
    const sent = new Map<number, { uids: number[]; values: number[] }>();
    for (const [k, i] of [0, ...validators].entries()) {
      const uids = [4, 5, 6, 7];
      const values = uids.map((u) => ((u + k) * 977) % 65_535);
      await e.wait(await e.metagraph.write.setWeights([netuid, uids, values, 0n], { account: e.wallets[i]!.account }));
      sent.set(k, { uids, values });
    }
    await expectRevert(
      e.metagraph.write.setWeights([netuid, [4, 4], [1, 2], 0n], { account: e.wallets[1]!.account }),
      "DuplicateUid",
    );
    await expectRevert(
      e.metagraph.write.setWeights([netuid, [9], [1], 0n], { account: e.wallets[1]!.account }),
      "UidOutOfRange",
      [9, 8n],
    );

    const logs = await e.metagraph.getEvents.WeightsSet({ netuid }, { fromBlock: 0n });
    const matrix = new Map<number, { uids: readonly number[]; values: readonly number[] }>();
    for (const log of logs) matrix.set(log.args.uid!, { uids: log.args.uids!, values: log.args.values! });
    expect(matrix.size).to.equal(4);
    for (const [uid, row] of matrix) {
      expect(row).to.deep.equal(sent.get(uid));
      const commitment = keccak256(
        encodeAbiParameters(parseAbiParameters("uint16[], uint16[]"), [row.uids, row.values]),
      );
      expect(await e.metagraph.read.weightsCommitment([netuid, uid])).to.equal(commitment);
    }
  });
});
