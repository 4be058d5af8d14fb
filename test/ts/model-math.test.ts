import { expect } from "chai";
import { network } from "hardhat";
import { BaseError, ContractFunctionRevertedError } from "viem";

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
/** Reserves and amounts below 2^62 keep every pool field inside uint64 after a swap. */
const U62 = 2n ** 62n;
const MIN_RESERVE = 1_000_000n;

type Outcome<T> = { ok: true; value: T } | { ok: false; errorName: string; args: readonly unknown[] };

/** Runs a harness call and returns its value or the custom error it reverted with (name and arguments). */
async function solidity<T>(call: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    const reverted =
      error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : undefined;
    if (!(reverted instanceof ContractFunctionRevertedError) || reverted.data === undefined) throw error;
    return { ok: false, errorName: reverted.data.errorName, args: reverted.data.args ?? [] };
  }
}

/** Runs the mirror and returns its value or the `ModelMathError` it threw. */
function mirror<T>(call: () => T): Outcome<T> {
  try {
    return { ok: true, value: call() };
  } catch (error) {
    if (!(error instanceof m.ModelMathError)) throw error;
    return { ok: false, errorName: error.errorName, args: error.args };
  }
}

/** Both succeed with equal values (after `project`), or both revert with the same error and arguments. */
function expectSame<S, T>(sol: Outcome<S>, ts: Outcome<T>, project: (s: S) => unknown, what: string) {
  if (!sol.ok) {
    expect(ts.ok, `${what}: the mirror should revert with ${sol.errorName}`).to.equal(false);
    if (ts.ok) return;
    expect(ts.errorName, what).to.equal(sol.errorName);
    expect(ts.args.map(String), what).to.deep.equal(sol.args.map(String));
    return;
  }
  expect(ts.ok, `${what}: the mirror reverted${ts.ok ? "" : ` with ${ts.errorName}`}`).to.equal(true);
  if (ts.ok) expect(ts.value, what).to.deep.equal(project(sol.value));
}

describe("model math: TypeScript mirror equals the Solidity libraries", function () {
  this.timeout(300_000);
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

  it("PoolMath: the cross-subnet limit of a stake swap", async () => {
    const reserves = 2n ** 56n; // the model's reserves stay below 2^56, where the library's products are exact
    for (let i = 0; i < CASES; i++) {
      const args = [
        pick(MIN_RESERVE, reserves),
        pick(MIN_RESERVE, reserves),
        pick(MIN_RESERVE, reserves),
        pick(MIN_RESERVE, reserves),
        pick(1n, 10n ** 24n),
      ] as const;
      expect(await harness.read.maxAlphaInForCrossLimit([...args])).to.equal(m.maxAlphaInForCrossLimit(...args));
    }
    // two 1:1 pools of 100/100 and a limit of a quarter: 50 alpha
    expect(
      m.maxAlphaInForCrossLimit(
        100n * 10n ** 9n,
        100n * 10n ** 9n,
        100n * 10n ** 9n,
        100n * 10n ** 9n,
        25n * 10n ** 7n,
      ),
    ).to.equal(50n * 10n ** 9n);
  });

  it("SwapLib: buys and sells with fees, limits and partial fills, their reverts, canSellAlpha and quotes", async () => {
    const seen = new Set<string>();
    const note = <T>(outcome: Outcome<T>) => {
      seen.add(outcome.ok ? "ok" : outcome.errorName);
      return outcome;
    };
    for (let i = 0; i < 3 * CASES; i++) {
      const pool: m.Pool = {
        taoRao: pick(MIN_RESERVE, U62),
        alphaRao: pick(MIN_RESERVE, U62),
        lastAccrualBlock: Number(pick(0n, 2n ** 32n - 1n)),
        volumeRao: pick(0n, 2n ** 64n),
      };
      const fee = pick(0n, 10_000n);
      const amount = pick(1n, U62);
      const spot = m.spotPriceRao(pool.taoRao, pool.alphaRao);
      // limits around the spot price: crossed, tight, loose, none
      const kind = Number(pick(0n, 3n));
      const buyLimit = [spot, spot + pick(1n, spot / 100n + 1n), spot * pick(2n, 10n) + 1n, m.NO_BUY_LIMIT][kind]!;
      const sellLimit = [spot + 1n, spot - spot / pick(2n, 1000n), spot / pick(2n, 10n), 0n][kind]!;
      const allowPartial = pick(0n, 1n) === 1n;
      const minNet = pick(0n, 10n ** 7n);

      expectSame(
        note(await solidity(() => harness.read.buyAlpha([pool, amount, fee, buyLimit, allowPartial, minNet]))),
        mirror(() => m.buyAlpha(pool, amount, fee, buyLimit, allowPartial, minNet)),
        ([alphaRao, usedRao, feeRao, after]) => ({ alphaRao, usedRao, feeRao, pool: after }),
        `buyAlpha #${i}`,
      );
      expectSame(
        note(await solidity(() => harness.read.sellAlpha([pool, amount, fee, sellLimit, allowPartial]))),
        mirror(() => m.sellAlpha(pool, amount, fee, sellLimit, allowPartial)),
        ([taoRao, soldAlphaRao, feeAlphaRao, after]) => ({ taoRao, soldAlphaRao, feeAlphaRao, pool: after }),
        `sellAlpha #${i}`,
      );
      expect(await harness.read.canSellAlpha([pool, amount, fee])).to.equal(m.canSellAlpha(pool, amount, fee));
      expect(await harness.read.quote([pool, amount, fee, true])).to.equal(m.quote(pool, amount, fee, true));
      expect(await harness.read.quote([pool, amount, fee, false])).to.equal(m.quote(pool, amount, fee, false));
    }
    // the inputs reach the successes and every kind of revert
    for (const outcome of ["ok", "LimitPriceCrossed", "SlippageTooHigh", "ReservesTooLow", "SwapInputTooLarge"]) {
      expect([...seen], outcome).to.include(outcome);
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

  it("SharesMath: shares, values and vesting", async () => {
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
      const unvested = pick(0n, 2n ** 48n - 1n);
      const left = pick(0n, 50_400n);
      const elapsed = pick(0n, left + 10n);
      expect(await harness.read.vestedDown([unvested, elapsed, left])).to.equal(m.vestedDown(unvested, elapsed, left));
    }
  });

  it("LockCostLib: the lock cost, with the division first", async () => {
    for (let i = 0; i < CASES; i++) {
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
    // where the order matters: ⌊100e9 / 999⌋ × 999 = 99_999_999_900 off 200e9, not 100e9
    const divisionFirst = [100n * 10n ** 9n, 100n * 10n ** 9n, 1n, 1000n, 999n] as const;
    expect(m.lockCost(...divisionFirst)).to.equal(100_000_000_100n);
    expect(await harness.read.lockCost([...divisionFirst])).to.equal(100_000_000_100n);
  });

  it("BurnMath: decay factor, truncating powers, the lazy decay and the bump", async () => {
    const halfLives = [0n, 1n, 2n, 3n, 60n, 360n, 7_200n, 36_100n];
    for (let i = 0; i < 10; i++) halfLives.push(pick(1n, 36_100n));
    for (const halfLife of halfLives) {
      expect(await harness.read.decayFactorQ32([halfLife])).to.equal(m.decayFactorQ32(halfLife));
    }
    expect(m.decayFactorQ32(360n)).to.equal(4_286_705_684n);
    for (let i = 0; i < CASES; i++) {
      const base = pick(0n, m.Q32);
      const exponent = pick(0n, 1_000_000n);
      expect(await harness.read.powQ32([base, exponent])).to.equal(m.powQ32(base, exponent));
      const minBurn = pick(1n, 10n ** 9n);
      const maxBurn = minBurn + pick(0n, 100n * 10n ** 9n);
      const burn = pick(0n, 200n * 10n ** 9n);
      const halfLife = pick(0n, 36_100n);
      const blocks = pick(0n, 100_000n);
      expect(await harness.read.decayed([burn, halfLife, blocks, minBurn, maxBurn])).to.equal(
        m.decayed(burn, halfLife, blocks, minBurn, maxBurn),
      );
      const mult = pick(0n, 3n * m.WAD);
      expect(await harness.read.bumped([burn, mult, minBurn, maxBurn])).to.equal(
        m.bumped(burn, mult, minBurn, maxBurn),
      );
    }
  });

  it("CoinbaseLib: the pending split and the injection", async () => {
    for (let i = 0; i < CASES; i++) {
      const total = pick(0n, 2n ** 55n);
      const validatorHalf =
        total -
        (total * m.OWNER_CUT_OF_65535) / m.FEE_DENOMINATOR -
        (total - (total * m.OWNER_CUT_OF_65535) / m.FEE_DENOMINATOR) / 2n;
      const root = pick(0n, validatorHalf);
      const recycled = pick(0n, validatorHalf - root);
      const books = {
        pendingAlphaOutRao: total,
        pendingRootAlphaRao: root,
        pendingRecycledRootAlphaRao: recycled,
        alphaIssuanceRao: pick(0n, U64),
      };
      const pot = await harness.read.splitPending([books]);
      expect(pot).to.deep.equal(m.splitPending(books));
      const pool: m.Pool = {
        taoRao: pick(MIN_RESERVE, U62),
        alphaRao: pick(MIN_RESERVE, U62),
        lastAccrualBlock: 0,
        volumeRao: 0n,
      };
      const emission = pick(0n, 10n ** 13n);
      const cap = pick(0n, 10n ** 13n);
      const [taoInRao, alphaInRao, chainBuyTaoRao, boughtAlphaRao] = await harness.read.injection([
        pool,
        emission,
        cap,
      ]);
      expect({ taoInRao, alphaInRao, chainBuyTaoRao, boughtAlphaRao }).to.deep.equal(m.injection(pool, emission, cap));
    }
  });

  it("quotes equal the markets lens on a deployed economy", async () => {
    const { deployEconomy, loadParameters } = await import("../../scripts/lib/economy.ts");
    const connection = await network.create();
    const e = await deployEconomy(connection, await loadParameters("local"));
    const [deployer] = await connection.viem.getWalletClients();
    const hotkey = await e.pools.read.coldkeyOf([deployer!.account.address]); // the caller's own account id
    const cost = await e.registry.read.lockCost();
    await e.registry.write.registerNetwork([hotkey, "Apex", cost], { value: cost * 10n ** 9n });
    // before the start call nothing accrues, so the stored pool is the pool as of now
    const [pool] = await e.pools.read.storedSubnet([1]);
    const fee = BigInt((await e.pools.read.subnetConfig([1])).feeRateOf65535);
    for (let i = 0; i < 20; i++) {
      const amount = pick(1n, 10n ** 13n);
      expect(await e.lens.read.quoteStake([1, amount])).to.equal(m.quote(pool, amount, fee, true));
      expect(await e.lens.read.quoteUnstake([1, amount])).to.equal(m.quote(pool, amount, fee, false));
    }
  });
});
