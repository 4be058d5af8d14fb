import {
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  UserRejectedRequestError,
  encodeErrorResult,
} from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";

import { DEV_WALLET_ADDRESS, DEV_WALLET_PRIVATE_KEY } from "../src/config/devWallet.ts";
import { alphaPoolsAbi } from "../src/generated.ts";
import {
  coldkeyOf,
  deadlineFromChain,
  describeError,
  parseAmount9Exact,
  quoteStake,
  quoteUnstake,
  sqrtDown,
  stakeLimitPriceRao,
  unstakeLimitPriceRao,
} from "../src/lib/units.ts";
import { evmToAccountId } from "../../keeper/chain/accountId.ts";

const pool = { taoReserveRao: 1_000n * 10n ** 9n, alphaReserveAlphaRao: 500n * 10n ** 9n, feeRateOf65535: 33n };

describe("amounts", () => {
  it("parses 9-decimal amounts exactly and refuses a 10th decimal", () => {
    expect(parseAmount9Exact("1.5", "TAO")).toEqual({ ok: true, value: 1_500_000_000n });
    expect(parseAmount9Exact(" 0,000000001 ", "TAO")).toEqual({ ok: true, value: 1n });
    expect(parseAmount9Exact(".25", "TAO")).toEqual({ ok: true, value: 250_000_000n });
    const tenth = parseAmount9Exact("0.0000000001", "TAO");
    expect(!tenth.ok && tenth.reason).toMatch(/TAO has at most 9/);
    expect(parseAmount9Exact("1e3", "TAO")).toMatchObject({ ok: false });
    expect(parseAmount9Exact("-1", "TAO")).toMatchObject({ ok: false });
    expect(parseAmount9Exact("", "alpha")).toMatchObject({ ok: false, reason: "Enter an amount of alpha" });
  });

  it("takes integer square roots exactly", () => {
    for (const v of [0n, 1n, 2n, 3n, 4n, 99n, 100n, 10n ** 30n + 7n, (10n ** 20n + 1n) ** 2n - 1n]) {
      const r = sqrtDown(v);
      expect(r * r <= v && (r + 1n) * (r + 1n) > v).toBe(true);
    }
  });
});

describe("quotes and limit prices", () => {
  it("quotes a stake as the pool computes it (fee first, output down)", () => {
    const q = quoteStake(pool, 10n * 10n ** 9n);
    const fee = (10n * 10n ** 9n * 33n + 65_534n) / 65_535n;
    expect(q.fee).toBe(fee);
    const net = 10n * 10n ** 9n - fee;
    expect(q.amountOut).toBe((pool.alphaReserveAlphaRao * net) / (pool.taoReserveRao + net));
    expect(q.spotPriceRao).toBe(2n * 10n ** 9n);
    expect(q.endPriceRaoUp).toBeGreaterThan(q.spotPriceRao);
    expect(q.priceImpactPpm).toBeGreaterThan(0n);
  });

  it("puts a stake's limit above the quoted end price and an unstake's below it", () => {
    const stake = quoteStake(pool, 10n * 10n ** 9n);
    expect(stakeLimitPriceRao(stake, 0n)).toBe(stake.endPriceRaoUp);
    // The client library's rule: the tolerance applied, rounded toward the trader's protection.
    expect(stakeLimitPriceRao(stake, 50n)).toBe((stake.endPriceRaoUp * 10_050n) / 10_000n);
    const unstake = quoteUnstake(pool, 10n * 10n ** 9n);
    expect(unstake.endPriceRaoUp).toBeLessThan(unstake.spotPriceRao);
    expect(unstakeLimitPriceRao(unstake, 0n)).toBe(unstake.endPriceRaoUp - 1n);
    expect(unstakeLimitPriceRao(unstake, 100n)).toBeLessThan(unstake.endPriceRaoUp);
    expect(() => unstakeLimitPriceRao(unstake, 10_000n)).toThrow(/protects nothing/);
  });

  it("counts the deadline from the chain's clock", () => {
    expect(deadlineFromChain(1_700_000_000n, 1200)).toBe(1_700_001_200n);
  });
});

describe("accounts", () => {
  it("maps an EVM address to the same coldkey as the keeper", () => {
    for (const address of [DEV_WALLET_ADDRESS, "0x0000000000000000000000000000000000000001"] as const) {
      expect(coldkeyOf(address)).toBe(evmToAccountId(address));
    }
  });

  it("uses Hardhat's account #0 of the test mnemonic as the dev wallet", () => {
    const fromMnemonic = mnemonicToAccount("test test test test test test test test test test test junk", {
      addressIndex: 0,
    });
    expect(privateKeyToAccount(DEV_WALLET_PRIVATE_KEY).address).toBe(fromMnemonic.address);
    expect(DEV_WALLET_ADDRESS).toBe(fromMnemonic.address);
  });
});

describe("errors in one line", () => {
  it("decodes a custom error with its values in TAO", () => {
    const data = encodeErrorResult({ abi: alphaPoolsAbi, errorName: "AmountTooLow", args: [1_000n, 2_000_000n] });
    const revert = new ContractFunctionRevertedError({ abi: alphaPoolsAbi, data, functionName: "addStakeLimit" });
    const error = new ContractFunctionExecutionError(revert, {
      abi: alphaPoolsAbi,
      functionName: "addStakeLimit",
      args: [],
      contractAddress: "0x0000000000000000000000000000000000000001",
    });
    const line = describeError(error);
    expect(line).toBe("Amount below the minimum: AmountTooLow(amountRao 0.000001 TAO, minimumRao 0.002 TAO)");
    expect(line).not.toContain("\n");
  });

  it("says a rejected signature plainly, also when a wallet only sets code 4001", () => {
    expect(describeError(new UserRejectedRequestError(new Error("no")))).toBe(
      "You rejected the request in your wallet.",
    );
    expect(describeError(Object.assign(new Error("User denied"), { code: 4001 }))).toBe(
      "You rejected the request in your wallet.",
    );
  });
});
