import { expect } from "chai";
import { network } from "hardhat";

import * as m from "../../keeper/model/math.ts";

/** A small seeded generator (xorshift64*) so every run checks the same inputs. */
function rng(seed: bigint) {
  let s = seed;
  const next = () => {
    s ^= s >> 12n;
    s ^= (s << 25n) & 0xffff_ffff_ffff_ffffn;
    s ^= s >> 27n;
    return (s * 0x2545f4914f6cdd1dn) & 0xffff_ffff_ffff_ffffn;
  };
  /** An integer in [lo, hi], often at the edges and spread over magnitudes. */
  return (lo: bigint, hi: bigint): bigint => {
    const r = next();
    if (r % 10n === 0n) return lo;
    if (r % 10n === 1n) return hi;
    const bits = BigInt((hi - lo).toString(2).length);
    const width = 1n + (next() % bits);
    const span = 1n << width < hi - lo + 1n ? 1n << width : hi - lo + 1n;
    return lo + (next() % span);
  };
}

const CASES = 60;
const U64 = 2n ** 64n - 1n;
const MIN_RESERVE = 1_000_000n;

describe("model math: TypeScript mirror equals the Solidity libraries", function () {
  this.timeout(120_000);
  let harness: Awaited<ReturnType<typeof deployHarness>>;
  const pick = rng(0x9e3779b97f4a7c15n);

  async function deployHarness() {
    const { viem } = await network.create();
    return viem.deployContract("ModelMathHarness");
  }

  before(async () => {
    harness = await deployHarness();
  });

  it("PoolMath: fees, outputs, prices and limits", async () => {
    for (let i = 0; i < CASES; i++) {
      const fee = pick(0n, 10_000n);
      const amount = pick(0n, U64);
      const x = pick(MIN_RESERVE, U64);
      const y = pick(MIN_RESERVE, U64);
      const limit = pick(1n, 10n ** 15n);
      expect(await harness.read.feeOnGross([amount, fee])).to.equal(m.feeOnGross(amount, fee));
      expect(await harness.read.grossForNet([amount, fee])).to.equal(m.grossForNet(amount, fee));
      expect(await harness.read.amountOutDown([amount, x, y])).to.equal(m.amountOutDown(amount, x, y));
      expect(await harness.read.spotPriceRao([x, y])).to.equal(m.spotPriceRao(x, y));
      expect(await harness.read.spotPriceWad([x, y])).to.equal(m.spotPriceWad(x, y));
      expect(await harness.read.maxNetTaoInForLimit([x, y, limit])).to.equal(m.maxNetTaoInForLimit(x, y, limit));
      expect(await harness.read.maxNetAlphaInForLimit([x, y, limit])).to.equal(m.maxNetAlphaInForLimit(x, y, limit));
    }
  });

  it("EmissionMath: the halving schedule, block by block and over intervals", async () => {
    const boundaries = [0n, 1n, 2n, 3n].map((k) => m.nextHalvingIssuance(k));
    const issuances = [...boundaries, ...boundaries.map((b) => b - 1n), m.TOTAL_SUPPLY, m.TOTAL_SUPPLY - 1n];
    for (let i = 0; i < CASES; i++) issuances.push(pick(0n, m.TOTAL_SUPPLY + 10n));
    for (const issuance of issuances) {
      const blocks = pick(0n, 50_000_000n);
      expect(await harness.read.blockEmission([issuance])).to.equal(m.blockEmission(issuance));
      expect(await harness.read.emissionOver([issuance, blocks])).to.equal(m.emissionOver(issuance, blocks));
    }
  });

  it("MovingPriceLib: the EMA over many blocks", async () => {
    for (let i = 0; i < CASES; i++) {
      const args = [
        pick(0n, m.WAD),
        pick(0n, 10n * m.WAD),
        pick(0n, m.WAD),
        pick(0n, 1_000_000n),
        pick(1n, 10_000_000n),
        pick(0n, 100_000n),
      ] as const;
      expect(await harness.read.advanceMovingPrice([...args])).to.equal(m.advanceMovingPrice(...args));
    }
  });

  it("SharesMath and LockCostLib", async () => {
    for (let i = 0; i < CASES; i++) {
      const alpha = pick(0n, U64);
      const totalAlpha = pick(0n, U64);
      const totalShares = pick(0n, U64 * m.VIRTUAL_SHARES);
      expect(await harness.read.toSharesDown([alpha, totalAlpha, totalShares])).to.equal(
        m.toSharesDown(alpha, totalAlpha, totalShares),
      );
      expect(await harness.read.toSharesUp([alpha, totalAlpha, totalShares])).to.equal(
        m.toSharesUp(alpha, totalAlpha, totalShares),
      );
      expect(await harness.read.toAlphaDown([totalShares, totalAlpha, totalShares])).to.equal(
        m.toAlphaDown(totalShares, totalAlpha, totalShares),
      );
      const lastBlock = pick(0n, 1_000_000n);
      const lock = [
        pick(0n, U64 / 4n),
        pick(0n, U64 / 4n),
        lastBlock,
        lastBlock + pick(0n, 1_000_000n),
        pick(0n, 200_000n),
      ] as const;
      expect(await harness.read.lockCost([...lock])).to.equal(m.lockCost(...lock));
    }
  });

  it("quotes equal the lens's quotes of the deployed pools", async () => {
    const { deployEconomy, loadParameters } = await import("../../scripts/lib/economy.ts");
    const connection = await network.create();
    const e = await deployEconomy(connection, await loadParameters("local"));
    const [wallet] = await connection.viem.getWalletClients();
    const cost = await e.registry.read.lockCost();
    const hotkey = await e.pools.read.coldkeyOf([wallet!.account.address]);
    await e.registry.write.registerNetwork([hotkey, "Apex", cost], { value: cost * 10n ** 9n });
    // Before the start call nothing accrues, so the stored pool is the pool the quotes see.
    const [pool] = await e.pools.read.storedSubnet([1]);
    const fee = BigInt((await e.pools.read.subnetConfig([1])).feeRateOf65535);
    for (let i = 0; i < 20; i++) {
      const amount = pick(1n, 10n ** 13n);
      expect(await e.lens.read.quoteStake([1, amount])).to.equal(
        m.quoteTaoForAlpha(amount, pool.taoRao, pool.alphaRao, fee),
      );
      expect(await e.lens.read.quoteUnstake([1, amount])).to.equal(
        m.quoteAlphaForTao(amount, pool.taoRao, pool.alphaRao, fee),
      );
    }
  });
});
