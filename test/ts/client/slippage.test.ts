import { expect } from "chai";

import {
  buyLimitPriceRaoDown,
  checkLimitPriceRao,
  limitPriceFromSlippage,
  MAX_LIMIT_PRICE_FACTOR,
  minOutUp,
  sellLimitPriceRaoUp,
  UnitError,
} from "../../../client/index.ts";

const RAO = 1_000_000_000n;

describe("client: limit prices and minimum outputs", () => {
  it("a buy limit is spot × (1 + slippage), rounded down", () => {
    expect(buyLimitPriceRaoDown(RAO, 50n)).to.equal(1_005_000_000n);
    expect(buyLimitPriceRaoDown(RAO, 0n)).to.equal(RAO);
    expect(buyLimitPriceRaoDown(3n, 5_000n)).to.equal(4n); // 4.5 → 4: never wider than asked
    expect(buyLimitPriceRaoDown(199n, 50n)).to.equal(199n); // 199.995 → 199
  });

  it("a sell limit is spot × (1 − slippage), rounded up", () => {
    expect(sellLimitPriceRaoUp(RAO, 50n)).to.equal(995_000_000n);
    expect(sellLimitPriceRaoUp(3n, 5_000n)).to.equal(2n); // 1.5 → 2
    expect(sellLimitPriceRaoUp(1n, 9_999n)).to.equal(1n); // never 0, which the contract reads as "no limit"
    expect(sellLimitPriceRaoUp(RAO, 0n)).to.equal(RAO);
  });

  it("a minimum output is quote × (1 − slippage), rounded up", () => {
    expect(minOutUp(1_000_000n, 50n)).to.equal(995_000n);
    expect(minOutUp(1_001n, 100n)).to.equal(991n); // 990.99 → 991
    expect(minOutUp(0n, 50n)).to.equal(0n);
    expect(minOutUp(7n, 0n)).to.equal(7n);
    expect(() => minOutUp(-1n, 50n)).to.throw(UnitError, /quotedOut must not be negative/);
  });

  it("rejects a slippage of 100 % or more, or below 0", () => {
    for (const bad of [10_000n, 20_000n, -1n]) {
      expect(() => buyLimitPriceRaoDown(RAO, bad)).to.throw(UnitError, new RegExp(`got ${bad} bps`));
      expect(() => sellLimitPriceRaoUp(RAO, bad)).to.throw(UnitError, /below 100 %/);
      expect(() => minOutUp(RAO, bad)).to.throw(UnitError, /protects nothing/);
    }
  });

  it("rejects a spot price of zero", () => {
    expect(() => buyLimitPriceRaoDown(0n, 50n)).to.throw(UnitError, /spotRaoPerAlpha must be positive, got 0/);
    expect(() => sellLimitPriceRaoUp(-5n, 50n)).to.throw(UnitError, /spotRaoPerAlpha/);
  });

  it("limitPriceFromSlippage converts the chain's price wad to rao per alpha", () => {
    const spotPriceWad = 1_234_567_890_123_456_789n; // 1.234567890… TAO per alpha
    const buy = limitPriceFromSlippage({ side: "buy", spotPriceWad, slippageBps: 100n });
    expect(buy.spotRaoPerAlpha).to.equal(1_234_567_890n);
    expect(buy.limitPriceRao).to.equal(1_246_913_568n); // 1_234_567_890 × 1.01 = 1_246_913_568.9
    const sell = limitPriceFromSlippage({ side: "sell", spotPriceWad, slippageBps: 100n });
    expect(sell.limitPriceRao).to.equal(1_222_222_212n); // 1_222_222_211.1 → up
    expect(() => limitPriceFromSlippage({ side: "buy", spotPriceWad: 999_999_999n, slippageBps: 50n })).to.throw(
      UnitError,
      /below 1 rao per alpha/,
    );
  });

  describe("checkLimitPriceRao (a limit in the wrong unit)", () => {
    const spotRaoPerAlpha = 2_000_000_000n; // 2 TAO per alpha

    it("accepts limits within a sane multiple of the spot price", () => {
      for (const limitPriceRao of [spotRaoPerAlpha, spotRaoPerAlpha * 2n, spotRaoPerAlpha / 2n, 2_000_000_000_000n]) {
        checkLimitPriceRao({ side: "buy", limitPriceRao, spotRaoPerAlpha });
        checkLimitPriceRao({ side: "sell", limitPriceRao, spotRaoPerAlpha });
      }
      checkLimitPriceRao({ side: "sell", limitPriceRao: spotRaoPerAlpha / MAX_LIMIT_PRICE_FACTOR, spotRaoPerAlpha });
    });

    it("rejects a price wad passed as rao per alpha, naming both units", () => {
      const wad = spotRaoPerAlpha * 1_000_000_000n; // the same price × 1e18
      expect(() => checkLimitPriceRao({ side: "buy", limitPriceRao: wad, spotRaoPerAlpha })).to.throw(
        UnitError,
        /buy limit price 2000000000000000000 rao per alpha is 1000000000× the spot price 2000000000 rao per alpha: limit prices are rao per alpha \(TAO per alpha × 1e9\), not a price wad \(TAO per alpha × 1e18/,
      );
      expect(() =>
        checkLimitPriceRao({
          side: "sell",
          limitPriceRao: spotRaoPerAlpha * MAX_LIMIT_PRICE_FACTOR + 1n,
          spotRaoPerAlpha,
        }),
      ).to.throw(UnitError, /sell limit price .* priceWadToRaoPerAlphaDown/);
    });

    it("rejects a whole number of TAO per alpha passed as rao per alpha", () => {
      expect(() => checkLimitPriceRao({ side: "sell", limitPriceRao: 2n, spotRaoPerAlpha })).to.throw(
        UnitError,
        /sell limit price 2 rao per alpha is below 1\/1000 of the spot price 2000000000 rao per alpha: limit prices are rao per alpha \(TAO per alpha × 1e9\), not TAO per alpha/,
      );
      expect(() => checkLimitPriceRao({ side: "buy", limitPriceRao: 0n, spotRaoPerAlpha })).to.throw(
        UnitError,
        /buy limit/,
      );
    });

    it("needs a positive spot price", () => {
      expect(() => checkLimitPriceRao({ side: "buy", limitPriceRao: 1n, spotRaoPerAlpha: 0n })).to.throw(
        UnitError,
        /spotRaoPerAlpha must be positive/,
      );
    });
  });
});
