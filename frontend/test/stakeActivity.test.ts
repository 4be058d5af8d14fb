import { describe, expect, it } from "vitest";

import { type StakeEvent, stakeBooks, stakeKey, stakePnl } from "../src/data/stakeActivity.ts";

const TAO = 10n ** 9n;
const H1 = `0x${"11".repeat(32)}` as const;
const H2 = `0x${"22".repeat(32)}` as const;
let log = 0;
const at = (block: number) => ({ blockNumber: BigInt(block), logIndex: log++ });
const move = (
  fromMe: boolean,
  toMe: boolean,
  originNetuid: number,
  destinationNetuid: number,
  alphaRao: bigint,
  destinationAlphaRao: bigint,
): StakeEvent => ({
  ...at(5),
  type: "move",
  fromMe,
  toMe,
  originNetuid,
  destinationNetuid,
  originHotkey: H1,
  destinationHotkey: H2,
  alphaRao,
  destinationAlphaRao,
});

describe("stake books", () => {
  it("a stake costs its TAO, an unstake realises, a settled incentive is earned at no cost", () => {
    const books = stakeBooks([
      { ...at(1), type: "stake", netuid: 3, hotkey: H1, alphaRao: 10n * TAO, taoRao: 2n * TAO },
      { ...at(2), type: "credit", netuid: 3, hotkey: H1, alphaRao: 10n * TAO }, // the average is now 0.1 τ per alpha
      { ...at(3), type: "unstake", netuid: 3, hotkey: H1, alphaRao: 5n * TAO, taoRao: 1n * TAO },
    ]);
    const book = books.get(stakeKey(3, H1))!;
    // 15 alpha left, worth 0.3 τ each at the moving price.
    const pnl = stakePnl(book, 15n * TAO, (alpha) => (alpha * 3n) / 10n);
    expect(pnl.costRao).toBe((15n * TAO) / 10n);
    expect(pnl.unrealizedRao).toBe((45n * TAO) / 10n - (15n * TAO) / 10n);
    expect(pnl.realizedRao).toBe(1n * TAO - (5n * TAO) / 10n);
  });

  it("alpha beyond the books (dividends) is profit at no cost", () => {
    const books = stakeBooks([
      { ...at(1), type: "stake", netuid: 3, hotkey: H1, alphaRao: 10n * TAO, taoRao: 2n * TAO },
    ]);
    const pnl = stakePnl(books.get(stakeKey(3, H1)), 12n * TAO, (alpha) => alpha / 5n); // 0.2 τ per alpha
    expect(pnl).toMatchObject({ costRao: 2n * TAO, unrealizedRao: (4n * TAO) / 10n, covered: true });
  });

  it("a move within a netuid carries its cost; across netuids the swap legs book it; a transfer out takes it out", () => {
    const books = stakeBooks([
      { ...at(1), type: "stake", netuid: 3, hotkey: H1, alphaRao: 10n * TAO, taoRao: 4n * TAO },
      move(true, true, 3, 3, 5n * TAO, 5n * TAO), // to H2 on the same netuid
      move(true, true, 3, 7, 1n * TAO, 2n * TAO), // across netuids: ignored here
      move(true, false, 3, 3, 2n * TAO, 2n * TAO), // to another coldkey
    ]);
    expect(books.get(stakeKey(3, H2))).toMatchObject({ acquiredShares: 5n * TAO, costRao: 2n * TAO });
    expect(books.get(stakeKey(3, H1))).toMatchObject({ otherOutShares: 7n * TAO });
    expect(books.has(stakeKey(7, H2))).toBe(false);
  });
});
