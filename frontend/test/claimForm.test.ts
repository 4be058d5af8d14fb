import { describe, expect, it } from "vitest";

import { coldkeyOf } from "../src/lib/units.ts";
import { type Credit, checkClaim, creditBatches, parseHotkey } from "../src/pages/claimForm.ts";

const ALPHA = 1_000_000_000n;

type Candidate = Credit & { epochClaimableAlphaRao: bigint };

function credit(netuid: number, epoch: number, uid: number, amount: bigint, claimable = 100n * ALPHA): Candidate {
  return {
    netuid,
    subnetName: `Subnet ${netuid}`,
    generation: 1,
    epoch,
    uid,
    hotkey: `0x${uid.toString(16).padStart(64, "0")}`,
    incentiveAlphaRao: amount,
    alphaDividendAlphaRao: 0n,
    rootDividendAlphaRao: 0n,
    dividendsDue: false,
    amountAlphaRao: amount,
    proof: [],
    ownerColdkey: `0x${"11".repeat(32)}`,
    epochClaimableAlphaRao: claimable,
  };
}

describe("parseHotkey", () => {
  it("takes an account id or an EVM address (its mapped account id), and names what is wrong otherwise", () => {
    const id = `0x${"Ab".repeat(32)}`;
    expect(parseHotkey(` ${id} `)).toEqual({ ok: true, hotkey: id.toLowerCase() });
    const address = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
    expect(parseHotkey(address)).toEqual({ ok: true, hotkey: coldkeyOf(address) });
    expect(parseHotkey("")).toEqual({ ok: false, reason: "Enter a hotkey" });
    expect(parseHotkey("0x1234")).toEqual({
      ok: false,
      reason: "A hotkey has 64 hex digits (or an EVM address 40); this has 4",
    });
    expect(parseHotkey("5GrwvaEF").ok).toBe(false);
  });
});

describe("checkClaim", () => {
  it("refuses a claimed credit, an empty one and one above what the epoch has left", () => {
    const c = credit(3, 7, 12, 5n * ALPHA);
    expect(checkClaim({ credit: c, claimed: false, epochClaimableAlphaRao: 5n * ALPHA })).toEqual({ ok: true });
    expect(checkClaim({ credit: c, claimed: true, epochClaimableAlphaRao: 5n * ALPHA })).toEqual({
      ok: false,
      reason: "Uid 12's credit of epoch 7 is already claimed",
    });
    expect(checkClaim({ credit: credit(3, 7, 12, 0n), claimed: false, epochClaimableAlphaRao: ALPHA }).ok).toBe(false);
    const above = checkClaim({ credit: c, claimed: false, epochClaimableAlphaRao: 4n * ALPHA });
    expect(above.ok === false && above.reason).toBe(
      "The epoch has 4 alpha left to claim, less than this credit's 5 alpha",
    );
  });
});

describe("creditBatches", () => {
  it("groups the credits of one subnet's epoch, in the list's order, and leaves a credit alone to its row", () => {
    const credits = [
      credit(3, 8, 4, ALPHA),
      credit(3, 7, 1, ALPHA),
      credit(3, 7, 9, 2n * ALPHA),
      credit(5, 7, 2, ALPHA),
    ];
    const batches = creditBatches(credits);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ netuid: 3, subnetName: "Subnet 3", epoch: 7, amountAlphaRao: 3n * ALPHA });
    expect(batches[0]!.credits.map((c) => c.uid)).toEqual([1, 9]);
  });

  it("keeps a batch within what the epoch has left to claim, since the contract refuses a whole call beyond it", () => {
    const left = 4n * ALPHA;
    const credits = [
      credit(3, 7, 1, 2n * ALPHA, left),
      credit(3, 7, 2, 3n * ALPHA, left),
      credit(3, 7, 3, 2n * ALPHA, left),
    ];
    const [batch] = creditBatches(credits);
    expect(batch!.credits.map((c) => c.uid)).toEqual([1, 3]);
    expect(batch!.amountAlphaRao).toBe(left);
  });

  it("leaves out what cannot be claimed, and puts at most the per-call bound in one call", () => {
    const credits = [credit(3, 7, 1, 0n), ...Array.from({ length: 5 }, (_, i) => credit(3, 7, 10 + i, ALPHA))];
    const [batch] = creditBatches(credits, 3);
    expect(batch!.credits.map((c) => c.uid)).toEqual([10, 11, 12]);
    expect(creditBatches([credit(3, 7, 1, 0n), credit(3, 7, 2, ALPHA)])).toEqual([]);
  });

  it("keeps generations of a reused netuid apart", () => {
    const old = { ...credit(3, 7, 1, ALPHA), generation: 0 };
    expect(creditBatches([old, credit(3, 7, 2, ALPHA)])).toEqual([]);
  });
});
