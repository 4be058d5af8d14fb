import { describe, expect, it } from "vitest";

import { type VaultEvent, vaultBooks } from "../src/data/vaultActivity.ts";
import { stakeKey, withInKind } from "../src/data/stakeActivity.ts";
import { pnlOf } from "../src/lib/averageCost.ts";

const TAO = 10n ** 9n;
const SHARE = 10n ** 18n;
const A = "0x00000000000000000000000000000000000000aa" as const;
const B = "0x00000000000000000000000000000000000000bb" as const;
const COLDKEY = `0x${"cc".repeat(32)}` as const;

let log = 0;
const at = (vault: `0x${string}`, tx: number, blockNumber = BigInt(tx)) => ({
  vault,
  transactionHash: `0x${tx.toString(16).padStart(64, "0")}` as const,
  blockNumber,
  transactionIndex: 0,
  logIndex: log++,
});

describe("vault books", () => {
  it("a deposit costs its TAO; a redemption in TAO realises the TAO less the average cost", () => {
    const events: VaultEvent[] = [
      { ...at(A, 1), type: "deposit", shares: 10n * SHARE, taoRao: 10n * TAO },
      { ...at(A, 2), type: "deposit", shares: 10n * SHARE, taoRao: 30n * TAO }, // 2 τ a share on average
      { ...at(A, 3), type: "redeem", shares: 5n * SHARE, taoRao: 12n * TAO },
    ];
    const book = vaultBooks(events).books.get(A)!;
    const pnl = pnlOf(book, 15n * SHARE, (shares) => (shares * 3n * TAO) / SHARE); // worth 3 τ a share now
    expect(pnl.costRao).toBe(30n * TAO);
    expect(pnl.valueRao).toBe(45n * TAO);
    expect(pnl.unrealizedRao).toBe(15n * TAO);
    expect(pnl.realizedRao).toBe(2n * TAO); // 12 τ for 5 shares that cost 10 τ
    expect(pnl.covered).toBe(true);
  });

  it("a move in kind carries its cost to the vault it went to, booked before the target's shares in the same transaction", () => {
    // The target logs AcceptMigration before the origin logs Migrate.
    const accepted = { ...at(B, 2), type: "accepted" as const, fromVault: A, shares: 4n * SHARE };
    const migrate = { ...at(A, 2), type: "migrate" as const, toVault: B, shares: 5n * SHARE, taoRao: 0n };
    const { books } = vaultBooks([
      { ...at(A, 1), type: "deposit", shares: 10n * SHARE, taoRao: 20n * TAO },
      accepted,
      migrate,
    ]);
    const a = books.get(A)!;
    const b = books.get(B)!;
    expect(pnlOf(a, 5n * SHARE, () => 0n).costRao).toBe(10n * TAO);
    expect(pnlOf(a, 5n * SHARE, () => 0n).realizedRao).toBe(0n); // nothing sold
    expect(b.acquiredShares).toBe(4n * SHARE);
    expect(b.costRao).toBe(10n * TAO); // half of A's cost, now behind B's 4 shares
  });

  it("a move through TAO sells at the origin; the target's deposit of that TAO is its cost", () => {
    const { books } = vaultBooks([
      { ...at(A, 1), type: "deposit", shares: 10n * SHARE, taoRao: 10n * TAO },
      { ...at(A, 2), type: "migrate", toVault: B, shares: 10n * SHARE, taoRao: 11n * TAO },
      { ...at(B, 2), type: "deposit", shares: 7n * SHARE, taoRao: 11n * TAO },
    ]);
    expect(pnlOf(books.get(A)!, 0n, () => 0n).realizedRao).toBe(1n * TAO);
    expect(pnlOf(books.get(B)!, 7n * SHARE, () => 0n).costRao).toBe(11n * TAO);
  });

  it("shares with no recorded cost: alpha stake deposited, a move in kind by someone else, a redemption in kind", () => {
    const { books } = vaultBooks([
      { ...at(A, 1), type: "depositStake", shares: 3n * SHARE },
      { ...at(B, 2), type: "accepted", fromVault: A, shares: 2n * SHARE }, // no Migrate of this account
      { ...at(B, 3), type: "deposit", shares: 1n * SHARE, taoRao: 1n * TAO },
      { ...at(B, 4), type: "redeemInKind", shares: 1n * SHARE, alphaRao: 1n * TAO, receiverColdkey: COLDKEY },
    ]);
    expect(pnlOf(books.get(A)!, 3n * SHARE, () => 0n)).toMatchObject({ costRao: 0n, covered: false });
    const b = pnlOf(books.get(B)!, 2n * SHARE, () => 0n);
    expect(b).toMatchObject({ costRao: 0n, realizedRao: 0n, covered: false });
  });

  it("a redemption in kind hands the cost of its shares to the stake it became, on the coldkey it went to", () => {
    const HOTKEY = `0x${"11".repeat(32)}` as const;
    const { inKind } = vaultBooks([
      { ...at(A, 1), type: "deposit", shares: 10n * SHARE, taoRao: 6n * TAO },
      { ...at(A, 2), type: "redeemInKind", shares: 5n * SHARE, alphaRao: 4n * TAO, receiverColdkey: COLDKEY },
    ]);
    expect(inKind).toEqual([{ vault: A, receiverColdkey: COLDKEY, alphaRao: 4n * TAO, costRao: 3n * TAO }]);
    const vaults = [{ vault: A, netuid: 9, hotkey: HOTKEY }];
    const stake = withInKind(new Map(), inKind, vaults, COLDKEY).get(stakeKey(9, HOTKEY));
    expect(stake).toMatchObject({ acquiredShares: 4n * TAO, costRao: 3n * TAO });
    // Paid to another coldkey: not this account's stake.
    expect(withInKind(new Map(), inKind, vaults, `0x${"dd".repeat(32)}`).size).toBe(0);
  });
});
