import { expect } from "chai";

import {
  alphaRaoToRaoDown,
  bpsToOf65535Down,
  formatAlphaRaoAsAlpha,
  formatBpsAsPercent,
  formatFractionAsPercentDown,
  formatOf65535AsPercent,
  formatPriceWadAsTaoPerAlpha,
  formatRaoAsTao,
  formatUnitsDown,
  formatWadAsPercent,
  formatWeiAsTao,
  of65535ToBpsDown,
  of65535ToWadDown,
  parseAlphaToAlphaRao,
  parseDecimalUnits,
  parsePercentToBps,
  parseTaoToRao,
  parseTaoToWei,
  priceWadToRaoPerAlphaDown,
  priceWadToRaoPerAlphaUp,
  raoPerAlphaToPriceWad,
  raoToAlphaRaoDown,
  raoToWei,
  UnitError,
  WAD,
  weiToRaoDown,
  weiToRaoExact,
  weiToRaoUp,
} from "../../../client/index.ts";

const RAO = 1_000_000_000n;

describe("client: units", () => {
  describe("wei ↔ rao", () => {
    it("weiToRaoDown drops the sub-rao remainder", () => {
      expect(weiToRaoDown(0n)).to.equal(0n);
      expect(weiToRaoDown(RAO - 1n)).to.equal(0n);
      expect(weiToRaoDown(RAO)).to.equal(1n);
      expect(weiToRaoDown(2n * RAO + 999_999_999n)).to.equal(2n);
    });

    it("weiToRaoUp rounds a sub-rao remainder up", () => {
      expect(weiToRaoUp(0n)).to.equal(0n);
      expect(weiToRaoUp(1n)).to.equal(1n);
      expect(weiToRaoUp(RAO)).to.equal(1n);
      expect(weiToRaoUp(RAO + 1n)).to.equal(2n);
    });

    it("weiToRaoExact returns whole rao and throws on any remainder, naming it", () => {
      expect(weiToRaoExact(5n * RAO)).to.equal(5n);
      expect(weiToRaoExact(0n)).to.equal(0n);
      expect(() => weiToRaoExact(5n * RAO + 1n)).to.throw(
        UnitError,
        /5000000001 wei is not a whole number of rao \(remainder 1 wei/,
      );
      expect(() => weiToRaoExact(RAO - 1n)).to.throw(UnitError, /NotWholeRao/);
    });

    it("raoToWei is exact and round-trips", () => {
      expect(raoToWei(0n)).to.equal(0n);
      expect(raoToWei(1n)).to.equal(RAO);
      expect(weiToRaoExact(raoToWei(123_456_789_012n))).to.equal(123_456_789_012n);
    });

    it("rejects negative amounts", () => {
      expect(() => weiToRaoDown(-1n)).to.throw(UnitError, /amountWei must not be negative, got -1/);
      expect(() => weiToRaoUp(-1n)).to.throw(UnitError, /amountWei/);
      expect(() => weiToRaoExact(-RAO)).to.throw(UnitError, /amountWei/);
      expect(() => raoToWei(-1n)).to.throw(UnitError, /amountRao must not be negative/);
    });
  });

  describe("prices", () => {
    it("a price wad is rao per alpha × 1e9, rounded as named", () => {
      expect(priceWadToRaoPerAlphaDown(WAD)).to.equal(RAO); // 1 TAO per alpha
      expect(priceWadToRaoPerAlphaDown(1_500_000_000_999_999_999n)).to.equal(1_500_000_000n);
      expect(priceWadToRaoPerAlphaUp(1_500_000_000_000_000_001n)).to.equal(1_500_000_001n);
      expect(priceWadToRaoPerAlphaUp(1_500_000_000_000_000_000n)).to.equal(1_500_000_000n);
      expect(priceWadToRaoPerAlphaDown(999_999_999n)).to.equal(0n);
      expect(priceWadToRaoPerAlphaUp(1n)).to.equal(1n);
      expect(raoPerAlphaToPriceWad(1_500_000_000n)).to.equal(1_500_000_000_000_000_000n);
      expect(priceWadToRaoPerAlphaDown(raoPerAlphaToPriceWad(7n))).to.equal(7n);
      expect(() => priceWadToRaoPerAlphaDown(-1n)).to.throw(UnitError, /priceWad/);
      expect(() => raoPerAlphaToPriceWad(-1n)).to.throw(UnitError, /raoPerAlpha/);
    });

    it("values alpha in TAO and TAO in alpha at a rao-per-alpha price, rounding down", () => {
      // 2.5 alpha at 0.4 TAO/alpha = 1 TAO
      expect(alphaRaoToRaoDown(2_500_000_000n, 400_000_000n)).to.equal(RAO);
      expect(alphaRaoToRaoDown(1n, 400_000_000n)).to.equal(0n); // 0.4 rao
      expect(raoToAlphaRaoDown(RAO, 400_000_000n)).to.equal(2_500_000_000n);
      expect(raoToAlphaRaoDown(1n, 3n * RAO)).to.equal(0n); // a third of an alpha-rao
      expect(() => raoToAlphaRaoDown(RAO, 0n)).to.throw(UnitError, /raoPerAlpha must be positive, got 0/);
      expect(() => alphaRaoToRaoDown(-1n, RAO)).to.throw(UnitError, /amountAlphaRao/);
    });
  });

  describe("fractions", () => {
    it("converts fractions of 65,535 to wad and bps, rounding down", () => {
      expect(of65535ToWadDown(65_535)).to.equal(WAD);
      expect(of65535ToWadDown(0n)).to.equal(0n);
      expect(of65535ToWadDown(1)).to.equal(WAD / 65_535n);
      expect(of65535ToBpsDown(65_535)).to.equal(10_000n);
      expect(of65535ToBpsDown(33)).to.equal(5n); // 5.03 bps
      expect(bpsToOf65535Down(10_000)).to.equal(65_535n);
      expect(bpsToOf65535Down(1)).to.equal(6n); // 6.5535
      expect(() => of65535ToWadDown(-1)).to.throw(UnitError, /valueOf65535/);
      expect(() => bpsToOf65535Down(-1n)).to.throw(UnitError, /valueBps/);
    });
  });

  describe("parsing user text", () => {
    it("parses TAO to rao exactly, up to 9 decimals", () => {
      expect(parseTaoToRao("1")).to.equal(RAO);
      expect(parseTaoToRao("1.5")).to.equal(1_500_000_000n);
      expect(parseTaoToRao("0.000000001")).to.equal(1n);
      expect(parseTaoToRao(" 12.25 ")).to.equal(12_250_000_000n);
      expect(parseTaoToRao(".5")).to.equal(500_000_000n);
      expect(parseTaoToRao("2.")).to.equal(2n * RAO);
      expect(parseTaoToRao("0")).to.equal(0n);
      expect(parseTaoToRao("123456789.123456789")).to.equal(123_456_789_123_456_789n);
    });

    it("parses alpha to alpha-rao and TAO to wei", () => {
      expect(parseAlphaToAlphaRao("0.25")).to.equal(250_000_000n);
      expect(parseTaoToWei("1.000000001")).to.equal(1_000_000_001n * RAO);
    });

    it("rejects more decimals than the unit has, naming the count", () => {
      expect(() => parseTaoToRao("0.0000000001")).to.throw(
        UnitError,
        /"0.0000000001" has 10 decimals; TAO has at most 9/,
      );
      expect(() => parseAlphaToAlphaRao("1.1234567891")).to.throw(UnitError, /alpha has at most 9/);
    });

    for (const junk of ["", " ", ".", "abc", "1,000", "1e3", "-1", "+1", "1.2.3", "0x10", "1 000", "NaN", "∞"]) {
      it(`rejects ${JSON.stringify(junk)} as not an amount`, () => {
        expect(() => parseTaoToRao(junk)).to.throw(UnitError, /is not an amount of TAO: write a decimal number/);
      });
    }

    it("parseDecimalUnits works for any decimals and names the unit", () => {
      expect(parseDecimalUnits("1.5", 18, "ETH")).to.equal(1_500_000_000_000_000_000n);
      expect(parseDecimalUnits("7", 0, "apples")).to.equal(7n);
      expect(() => parseDecimalUnits("7.5", 0, "apples")).to.throw(UnitError, /apples has at most 0/);
    });

    it("parses a percentage to basis points", () => {
      expect(parsePercentToBps("0.5")).to.equal(50n);
      expect(parsePercentToBps("1")).to.equal(100n);
      expect(parsePercentToBps(2.25)).to.equal(225n);
      expect(parsePercentToBps("100")).to.equal(10_000n);
      expect(parsePercentToBps("0")).to.equal(0n);
      expect(() => parsePercentToBps("0.125")).to.throw(
        UnitError,
        /"0.125" is not a percentage with at most two decimals/,
      );
      expect(() => parsePercentToBps("half")).to.throw(UnitError, /not a percentage/);
      expect(() => parsePercentToBps("-1")).to.throw(UnitError, /not a percentage/);
      expect(() => parsePercentToBps("100.01")).to.throw(UnitError, /more than 100 %/);
    });
  });

  describe("formatting for people", () => {
    it("shows TAO with up to 4 decimals, truncated, thousands grouped", () => {
      expect(formatRaoAsTao(1_234_567_800_000n)).to.equal("1,234.5678");
      expect(formatRaoAsTao(1_234_567_899_999n)).to.equal("1,234.5678"); // truncated, not rounded up
      expect(formatRaoAsTao(2n * RAO)).to.equal("2");
      expect(formatRaoAsTao(1_500_000_000n)).to.equal("1.5");
      expect(formatRaoAsTao(0n)).to.equal("0");
      expect(formatRaoAsTao(1_000_000n * RAO)).to.equal("1,000,000");
    });

    it("keeps significant digits of amounts below 1", () => {
      expect(formatRaoAsTao(1n)).to.equal("0.000000001");
      expect(formatRaoAsTao(1_234n)).to.equal("0.000001234");
      expect(formatRaoAsTao(123_456_789n)).to.equal("0.1234");
      expect(formatRaoAsTao(500_000_000n)).to.equal("0.5");
      expect(formatRaoAsTao(12_345n, { significant: 2 })).to.equal("0.000012");
    });

    it("honours maxDecimals and formats negatives", () => {
      expect(formatRaoAsTao(1_234_567_800_000n, { maxDecimals: 2 })).to.equal("1,234.56");
      expect(formatRaoAsTao(-1_500_000_000n)).to.equal("-1.5");
      expect(formatUnitsDown(-1n, 9, { maxDecimals: 0, significant: 0 })).to.equal("0");
      expect(formatUnitsDown(123_456n, 3, { grouping: false })).to.equal("123.456");
    });

    it("formats alpha, wei and prices", () => {
      expect(formatAlphaRaoAsAlpha(12_250_000_000n)).to.equal("12.25");
      expect(formatWeiAsTao(1_500_000_000_000_000_000n)).to.equal("1.5");
      expect(formatWeiAsTao(1n)).to.equal("0.000000000000000001");
      expect(formatPriceWadAsTaoPerAlpha(123_456_789_000_000_000n)).to.equal("0.123456");
      expect(formatPriceWadAsTaoPerAlpha(WAD)).to.equal("1");
    });

    it("formats fractions as percentages, truncated", () => {
      expect(formatOf65535AsPercent(33)).to.equal("0.05 %");
      expect(formatOf65535AsPercent(65_535)).to.equal("100 %");
      expect(formatOf65535AsPercent(32_767, 3)).to.equal("49.999 %");
      expect(formatBpsAsPercent(50)).to.equal("0.5 %");
      expect(formatBpsAsPercent(0)).to.equal("0 %");
      expect(formatWadAsPercent(WAD / 20n)).to.equal("5 %");
      expect(formatFractionAsPercentDown(1n, 3n)).to.equal("33.33 %");
      expect(formatFractionAsPercentDown(2n, 3n)).to.equal("66.66 %");
      expect(() => formatFractionAsPercentDown(1n, 0n)).to.throw(UnitError, /denominator must be positive/);
    });
  });
});
