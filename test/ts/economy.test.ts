import { expect } from "chai";
import { encodeAbiParameters, keccak256, parseAbiParameters } from "viem";

import { evmToAccountId } from "../../keeper/chain/accountId.ts";
import { quoteTaoForAlpha } from "../../keeper/model/math.ts";
import { DEADLINE, RAO, expectRevert, freshEconomy, hotkeyOf, tao } from "./helpers/economy.ts";

const EMISSION_SUPPLY = 21_000_000n * RAO;

/** Independent reference of the halving schedule: ⌊log2(S/(S−I))⌋ halvings, found by comparing powers of two. */
function blockEmissionReference(issuance: bigint): bigint {
  if (issuance >= EMISSION_SUPPLY) return 0n;
  let k = 0n;
  while ((EMISSION_SUPPLY - issuance) * 2n ** (k + 1n) <= EMISSION_SUPPLY) k++;
  return RAO >> k;
}

describe("subnet economy (deployed through Ignition)", function () {
  this.timeout(120_000);

  it("wires the contracts and their roles", async () => {
    const e = await freshEconomy();
    const role = (name: string) => keccak256(new TextEncoder().encode(name));
    expect(await e.pools.read.hasRole([role("REGISTRY_ROLE"), e.registry.address])).to.equal(true);
    expect(await e.pools.read.hasRole([role("METAGRAPH_ROLE"), e.metagraph.address])).to.equal(true);
    expect(await e.registry.read.metagraph()).to.equal(e.metagraph.address);
    expect(await e.lens.read.markets()).to.deep.equal([]);
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
      await e.registry.write.registerNetwork([hotkeyOf("a"), "Apex", first], {
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
      e.registry.write.registerNetwork([hotkeyOf("b"), "Templar", first - 1n], { value: second * RAO }),
      "LockCostAboveMax",
    );
    await expectRevert(
      e.registry.write.registerNetwork([hotkeyOf("b"), "", second * 2n], { value: second * 2n * RAO }),
      "InvalidName",
      [0n],
    );
    const market = await e.lens.read.market([1]);
    expect(market.name).to.equal("Apex");
    expect(market.taoReserveRao).to.equal(first);
    // The first subnet starts at 1 TAO per alpha.
    expect(market.spotPriceWad).to.equal(10n ** 18n);
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
    const [stakeLog] = await e.pools.getEvents.Stake({}, { blockHash: stakeReceipt.blockHash });
    const alphaOut = stakeLog!.args.alphaOut!;
    // The pool before the stake, rebuilt from the pool after it: the swap is exactly the quote formula.
    const after = await e.pools.read.poolState([netuid]);
    const feeRate = BigInt((await e.pools.read.subnetConfig([netuid])).feeRate);
    const quote = quoteTaoForAlpha(10n * RAO, after.taoReserve - 10n * RAO, after.alphaReserve + alphaOut, feeRate);
    expect(alphaOut).to.equal(quote);
    // The first stake of a hotkey pool is worth exactly what it bought.
    expect(await e.pools.read.getStake([hotkey, coldkey, netuid])).to.equal(alphaOut);

    const before = await e.publicClient.getBalance({ address: user.account.address });
    const receipt = await e.wait(
      await e.pools.write.removeStakeFull([hotkey, netuid, 0n, DEADLINE], { account: user.account }),
    );
    const balanceAfter = await e.publicClient.getBalance({ address: user.account.address });
    const [log] = await e.pools.getEvents.Unstake({}, { blockHash: receipt.blockHash });
    const received = balanceAfter - before + receipt.gasUsed * receipt.effectiveGasPrice;
    expect(received).to.equal(log!.args.taoOut! * RAO);
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
  });

  it("emits TAO and alpha by the schedule and splits alpha 18/41/41 into pending buckets", async () => {
    const e = await freshEconomy();
    const { netuid } = await e.registerSubnet("Apex");
    await e.registerSubnet("Templar", 1);
    await e.testClient.mine({ blocks: 50 });
    await e.wait(await e.pools.write.poke([netuid]));

    const pending = await e.pools.read.pendingEmission([netuid]);
    const alpha = pending.ownerCut + pending.server + pending.validator;
    const config = await e.pools.read.subnetConfig([netuid]);
    const pool = await e.pools.read.poolState([netuid]);
    const blocks = BigInt(pool.lastAccrualBlock) - BigInt(config.firstEmissionBlock) + 1n;
    expect(alpha).to.equal(blocks * blockEmissionReference(0n));
    expect(pending.ownerCut).to.equal((alpha * 11_796n) / 65_535n);
    expect(pending.server).to.equal((alpha - pending.ownerCut) / 2n);

    const g = await e.pools.read.globalEmission();
    const t = await e.pools.read.treasury();
    expect(t.taoIssuedRao <= g.scheduledIssuance).to.equal(true);
    const shares = await Promise.all(
      (await e.registry.read.activeNetuids()).map((n) => e.pools.read.emissionShareWad([n])),
    );
    const total = shares.reduce((a, b) => a + b, 0n);
    expect(total <= 10n ** 18n && total >= 10n ** 18n - 2n).to.equal(true);
  });

  it("settles an epoch: incentive becomes stake, dividends raise every nominator's share", async () => {
    const e = await freshEconomy();
    const { netuid, hotkey: ownerHotkey } = await e.registerSubnet("Apex");
    const [admin, , validatorAccount, nominatorAccount, minerAccount] = e.wallets;
    const validatorHotkey = evmToAccountId(validatorAccount!.account.address);
    const minerHotkey = hotkeyOf("miner");
    await e.wait(
      await e.metagraph.write.burnedRegister([netuid, validatorHotkey, tao("10") / RAO], {
        value: tao("1"),
        account: validatorAccount!.account,
      }),
    );
    await e.wait(
      await e.metagraph.write.burnedRegister([netuid, minerHotkey, tao("10") / RAO], {
        value: tao("1"),
        account: minerAccount!.account,
      }),
    );
    await e.wait(
      await e.pools.write.addStake([validatorHotkey, netuid, 0n, DEADLINE], {
        value: tao("20"),
        account: nominatorAccount!.account,
      }),
    );
    const nominator = evmToAccountId(nominatorAccount!.account.address);
    const stakeBefore = await e.pools.read.getStake([validatorHotkey, nominator, netuid]);

    const tempo = (await e.pools.read.subnetConfig([netuid])).tempo;
    await expectRevert(
      e.pools.write.settleEpoch([netuid, { hotkeys: [], incentive: [], dividends: [], minerBurn: 0 }]),
      "EpochNotDue",
    );
    await e.testClient.mine({ blocks: tempo });
    await e.wait(await e.pools.write.poke([netuid]));
    const pending = await e.pools.read.pendingEmission([netuid]);
    await expectRevert(
      e.pools.write.settleEpoch([
        netuid,
        { hotkeys: [minerHotkey], incentive: [pending.server * 2n + RAO], dividends: [0n], minerBurn: 0 },
      ]),
      "PayoutExceedsPending",
    );
    await e.wait(
      await e.pools.write.settleEpoch(
        [
          netuid,
          {
            hotkeys: [minerHotkey, validatorHotkey],
            incentive: [pending.server / 2n, 0n],
            dividends: [0n, pending.validator / 2n],
            minerBurn: 0,
          },
        ],
        { account: admin!.account },
      ),
    );
    const minerColdkey = evmToAccountId(minerAccount!.account.address);
    expect((await e.pools.read.getStake([minerHotkey, minerColdkey, netuid])) > 0n).to.equal(true);
    expect((await e.pools.read.getStake([validatorHotkey, nominator, netuid])) > stakeBefore).to.equal(true);
    const owner = evmToAccountId(admin!.account.address);
    expect((await e.pools.read.getStake([ownerHotkey, owner, netuid])) > 0n).to.equal(true);
    const after = await e.pools.read.pendingEmission([netuid]);
    expect(after.ownerCut + after.validator <= pending.validator).to.equal(true);
  });

  it("prunes the lowest moving price at the subnet limit and refunds its stakers", async () => {
    const e = await freshEconomy({ subnetLimit: 2n, networkImmunityPeriod: 5n });
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
    await e.wait(await e.pools.write.poke([a.netuid]));
    await e.wait(await e.pools.write.poke([b.netuid]));
    const [candidate] = await e.registry.read.pruneCandidate();
    expect(candidate).to.equal(b.netuid);

    const coldkey = evmToAccountId(user.account.address);
    const [stakeAlpha, owed] = await e.pools.read.getRefund([b.hotkey, coldkey, b.netuid, 1]);
    expect(owed).to.equal(0n); // not dissolved yet
    const c = await e.registerSubnet("Targon", 2);
    expect(c.netuid).to.equal(b.netuid); // the netuid is reused

    const refund = await e.pools.read.refundState([b.netuid, 1]);
    const [, claimable] = await e.pools.read.getRefund([b.hotkey, coldkey, b.netuid, 1]);
    expect(claimable).to.equal((stakeAlpha * refund.taoRao) / refund.alphaIssuance);
    const before = await e.publicClient.getBalance({ address: user.account.address });
    const receipt = await e.wait(await e.pools.write.claimRefund([b.hotkey, b.netuid, 1], { account: user.account }));
    const after = await e.publicClient.getBalance({ address: user.account.address });
    expect(after - before + receipt.gasUsed * receipt.effectiveGasPrice).to.equal(claimable * RAO);
    await expectRevert(
      e.pools.write.claimRefund([b.hotkey, b.netuid, 1], { account: user.account }),
      "NothingToRefund",
      [b.netuid, 1],
    );
    // The new subnet's ledger starts empty.
    expect(await e.pools.read.getStake([b.hotkey, coldkey, b.netuid])).to.equal(0n);
  });

  it("lets a keeper rebuild the weight matrix from logs and check it against the commitments", async () => {
    const e = await freshEconomy();
    const { netuid } = await e.registerSubnet("Apex");
    const validators = e.wallets.slice(1, 4);
    for (const v of validators) {
      const hk = evmToAccountId(v.account.address);
      await e.wait(
        await e.metagraph.write.burnedRegister([netuid, hk, 10n ** 12n], { value: tao("1"), account: v.account }),
      );
      await e.wait(await e.pools.write.addStake([hk, netuid, 0n, DEADLINE], { value: tao("5"), account: v.account }));
    }
    for (let i = 0; i < 4; i++) {
      await e.wait(
        await e.metagraph.write.burnedRegister([netuid, hotkeyOf(`miner${i}`), 10n ** 12n], { value: tao("1") }),
      );
    }
    const n = await e.metagraph.read.neuronCount([netuid]);
    expect(n).to.equal(8);
    await expectRevert(
      e.metagraph.write.setWeights([netuid, [4], [1], 0n], { account: validators[0]!.account }),
      "NoValidatorPermit",
      [netuid, 1],
    );
    await e.wait(await e.metagraph.write.updateValidatorPermits([netuid]));
    for (let uid = 1; uid <= 3; uid++) expect(await e.metagraph.read.hasValidatorPermit([netuid, uid])).to.equal(true);

    const sent = new Map<number, { uids: number[]; values: number[] }>();
    for (const [i, v] of validators.entries()) {
      const uids = [4, 5, 6, 7];
      const values = uids.map((u) => ((u + i) * 977) % 65_535);
      await e.wait(await e.metagraph.write.setWeights([netuid, uids, values, 0n], { account: v.account }));
      sent.set(i + 1, { uids, values });
    }
    await expectRevert(
      e.metagraph.write.setWeights([netuid, [4, 4], [1, 2], 0n], { account: validators[0]!.account }),
      "DuplicateUid",
    );
    await expectRevert(
      e.metagraph.write.setWeights([netuid, [9], [1], 0n], { account: validators[0]!.account }),
      "UidOutOfRange",
      [9, 8n],
    );

    const logs = await e.metagraph.getEvents.WeightsSet({ netuid }, { fromBlock: 0n });
    const matrix = new Map<number, { uids: readonly number[]; values: readonly number[] }>();
    for (const log of logs) matrix.set(log.args.uid!, { uids: log.args.uids!, values: log.args.values! });
    expect(matrix.size).to.equal(3);
    for (const [uid, row] of matrix) {
      expect(row).to.deep.equal(sent.get(uid));
      const commitment = keccak256(
        encodeAbiParameters(parseAbiParameters("uint16[], uint16[]"), [row.uids, row.values]),
      );
      expect(await e.metagraph.read.weightsCommitment([netuid, uid])).to.equal(commitment);
    }
  });
});
