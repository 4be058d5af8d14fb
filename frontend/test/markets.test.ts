import { encodeErrorResult } from "viem";
import { describe, expect, it } from "vitest";

import { replayPool } from "../src/data/history.ts";
import { WINDOW_STEP_BLOCKS, buildSnapshot, toMarket, windowStart, type Market } from "../src/data/markets.ts";
import { metagraphAbi } from "../src/generated.ts";
import { describeError } from "../src/lib/units.ts";

const RAO = 10n ** 9n;

/** A lens `SubnetMarket` as viem decodes it (the lens's field names, units in every name). */
function lensMarket(netuid: number, overrides: Record<string, unknown> = {}) {
  return {
    netuid,
    name: `Subnet ${netuid}`,
    owner: "0x0000000000000000000000000000000000000001" as const,
    ownerHotkey: `0x${"11".repeat(32)}` as const,
    registeredAt: 10,
    firstEmissionBlock: 12,
    tempo: 30,
    neurons: 5,
    taoReserveRao: 100n * RAO,
    alphaReserveAlphaRao: 1000n * RAO,
    alphaOutstandingAlphaRao: 50n * RAO,
    spotPriceWad: 10n ** 17n,
    movingPriceWad: 9n * 10n ** 16n,
    emissionShareWad: 5n * 10n ** 17n,
    volumeRao: 400n * RAO,
    pendingOwnerCutAlphaRao: 1n,
    pendingServerAlphaRao: 2n,
    pendingValidatorAlphaRao: 3n,
    pendingRootAlphaRao: 4n,
    lastAccrualBlock: 99n,
    feeRateOf65535: 33,
    minerBurnOf65535: 7,
    minStakeRao: 2_000_000n,
    transfersEnabled: true,
    ...overrides,
  };
}

describe("markets", () => {
  it("maps every lens field to the dApp's names, units kept", () => {
    const m = toMarket(lensMarket(3));
    expect(m).toMatchObject({
      netuid: 3,
      registeredAtBlock: 10,
      firstEmissionBlock: 12,
      tempoBlocks: 30,
      alphaReserveAlphaRao: 1000n * RAO,
      alphaOutstandingAlphaRao: 50n * RAO,
      volumeTotalRao: 400n * RAO,
      feeRateOf65535: 33n,
      minerBurnOf65535: 7n,
      pendingRootAlphaRao: 4n,
      transfersEnabled: true,
    });
  });

  it("sums a wallet's positions per subnet and takes the window's volume from the cumulative one", () => {
    const now: Market[] = [toMarket(lensMarket(1)), toMarket(lensMarket(2, { registeredAt: 500, volumeRao: 7n }))];
    const then: Market[] = [toMarket(lensMarket(1, { volumeRao: 150n * RAO })), toMarket(lensMarket(2))];
    const hotkey = `0x${"22".repeat(32)}` as const;
    const snapshot = buildSnapshot({
      blockNumber: 1000n,
      windowStartBlock: 600n,
      now,
      then,
      positions: [
        { key: { netuid: 1, hotkey }, alphaRao: 3n },
        { key: { netuid: 1, hotkey: `0x${"33".repeat(32)}` }, alphaRao: 4n },
        { key: { netuid: 0, hotkey }, alphaRao: 99n }, // root: no market row
      ],
    });
    expect(snapshot.windowBlocks).toBe(400n);
    expect(snapshot.rows.map((r) => r.positionAlphaRao)).toEqual([7n, 0n]);
    expect(snapshot.rows[0]!.volumeWindowRao).toBe(250n * RAO);
    // Netuid 2 was registered again inside the window: its whole cumulative volume is the window's.
    expect(snapshot.rows[1]!.volumeWindowRao).toBe(7n);
    // Before the older read arrives, the window's volume is unknown, not zero.
    const early = buildSnapshot({ blockNumber: 1000n, windowStartBlock: 600n, now, then: undefined, positions: [] });
    expect(early.rows.every((r) => r.volumeWindowRao === undefined)).toBe(true);
  });

  it("moves the volume window's start in steps, never before the lens was deployed", () => {
    const day = 7200n;
    const start = windowStart(100_000n, day, 10n);
    expect(start % WINDOW_STEP_BLOCKS).toBe(0n);
    expect(start <= 100_000n - day && start > 100_000n - day - WINDOW_STEP_BLOCKS).toBe(true);
    // The same start for every block of a step: the older state is read once per step.
    expect(windowStart(100_001n, day, 10n)).toBe(start);
    expect(windowStart(5_000n, day, 10n)).toBe(10n);
  });
});

describe("price history", () => {
  const base = { blockNumber: 1n, logIndex: 0 };
  type Log = Parameters<typeof replayPool>[0][number];
  const log = (eventName: string, args: Record<string, bigint | number | boolean | string>, block: number) =>
    ({ ...base, blockNumber: BigInt(block), eventName, args }) as unknown as Log;

  it("replays trades, registration burns and root claims, and takes each catch-up's reserves as they are", () => {
    const history = replayPool(
      [
        log("OpenSubnet", { netuid: 1, generation: 1, taoRao: 100n * RAO, alphaRao: 100n * RAO }, 1),
        log("Stake", { taoRao: 10n * RAO, alphaRao: 9n * RAO, feeRao: 5n }, 2),
        log("BuyAndBurnAlpha", { taoRao: RAO, alphaRao: RAO / 2n }, 3),
        log("Unstake", { alphaRao: 2n * RAO, taoRao: 2n * RAO, feeAlphaRao: 1n }, 4),
        // Kept as alpha: no trade with the pool.
        log("PayRootDividend", { alphaRao: 5n * RAO, taoRao: 0n }, 5),
        // Claimed as TAO: the alpha was sold into the pool.
        log("PayRootDividend", { alphaRao: RAO, taoRao: RAO / 10n }, 5),
        log("Accrue", { taoReserveRao: 120n * RAO, alphaReserveAlphaRao: 80n * RAO, movingPriceWad: 10n ** 18n }, 6),
      ],
      6n,
    );
    expect(history.taoReserveRao).toBe(120n * RAO);
    expect(history.alphaReserveAlphaRao).toBe(80n * RAO);
    expect(history.points.map((p) => p.block)).toEqual([1, 2, 3, 4, 5, 6]);
    // After block 5: 100 + 10 + 1 − 2 − 0.1 TAO against 100 − 9 − 0.5 + 2 + 1 alpha.
    expect(history.points[4]!.spotPriceWad).toBe((108_900_000_000n * 10n ** 18n) / 93_500_000_000n);
    expect(history.points[5]!.movingPriceWad).toBe(10n ** 18n);
  });
});

describe("errors", () => {
  it("names an error another contract raised (the Metagraph's, passed through the registry)", () => {
    const data = encodeErrorResult({
      abi: metagraphAbi,
      errorName: "HotkeyNotControlled",
      args: [`0x${"44".repeat(32)}`, `0x${"55".repeat(32)}`],
    });
    expect(describeError({ data })).toBe("Reverted: HotkeyNotControlled(hotkey 0x44444444…, coldkey 0x55555555…)");
  });
});
