import { encodeFunctionData, keccak256, type Address, type Hex } from "viem";
import { describe, expect, it } from "vitest";

import { fundAbis } from "../src/data/funds.ts";
import { type FundEvent, costBasisOf, fundPnl, pendingChangesOf, redemptionsOf } from "../src/data/fundActivity.ts";
import { describeChange } from "../src/pages/FundDetail.tsx";

const TAO = 10n ** 9n;
const SHARE = 10n ** 18n;
const FUND: Address = "0x00000000000000000000000000000000000000f1";
const OTHER: Address = "0x00000000000000000000000000000000000000f2";

let logIndex = 0;
function at(blockNumber: bigint, fund: Address = FUND) {
  return { fund, blockNumber, logIndex: logIndex++ };
}

describe("the account's redemptions", () => {
  const events: FundEvent[] = [
    { ...at(10n), type: "requested", id: 0n, shares: 4n * SHARE, inKind: false, readyAt: 1000n },
    { ...at(11n), type: "requested", id: 3n, shares: 2n * SHARE, inKind: true, readyAt: 2000n },
    { ...at(12n), type: "requested", id: 5n, shares: SHARE, inKind: false, readyAt: 2500n },
    { ...at(13n, OTHER), type: "requested", id: 0n, shares: 9n * SHARE, inKind: false, readyAt: 1n },
    { ...at(20n), type: "filled", id: 0n, shares: 4n * SHARE, taoRao: 4_100_000_000n },
    { ...at(21n), type: "cancelled", id: 5n, shares: SHARE },
  ];

  it("follows each request: in notice, ready, paid, cancelled; newest first; one fund only", () => {
    const list = redemptionsOf(
      events,
      FUND,
      [{ id: 3n, owner: FUND, receiver: FUND, readyAt: 2000n, inKind: true, shares: 2n * SHARE }],
      1500n,
    );
    expect(list.map((r) => [r.id, r.status])).toEqual([
      [5n, "cancelled"],
      [3n, "notice"],
      [0n, "paid"],
    ]);
    expect(list[2]).toMatchObject({ paidTaoRao: 4_100_000_000n, filledShares: 4n * SHARE, remainingShares: 0n });
    // The notice ends: ready for anyone to process.
    expect(redemptionsOf(events, FUND, [], 2000n).find((r) => r.id === 3n)?.status).toBe("ready");
  });

  it("takes what is left from the queue as read at the head (a fill the events have not shown yet)", () => {
    const list = redemptionsOf(
      events,
      FUND,
      [{ id: 3n, owner: FUND, receiver: FUND, readyAt: 2000n, inKind: true, shares: 0n }],
      3000n,
    );
    // Nothing left, and no fill or cancellation in the events yet: it says so until they are read again.
    expect(list.find((r) => r.id === 3n)).toMatchObject({ remainingShares: 0n, status: "updating" });
    const partly = redemptionsOf(
      [...events, { ...at(30n), type: "filled", id: 3n, shares: SHARE, taoRao: 0n }],
      FUND,
      [{ id: 3n, owner: FUND, receiver: FUND, readyAt: 2000n, inKind: true, shares: SHARE }],
      3000n,
    );
    expect(partly.find((r) => r.id === 3n)).toMatchObject({
      status: "ready",
      filledShares: SHARE,
      remainingShares: SHARE,
    });
  });
});

describe("cost basis and P&L (average cost)", () => {
  it("counts deposits at the TAO paid and raise shares at 1 TAO each; refunds leave no cost", () => {
    const basis = costBasisOf(
      [
        { ...at(1n), type: "contributed", taoRao: 5n * TAO },
        { ...at(2n), type: "sharesClaimed", shares: 5n * SHARE },
        { ...at(3n), type: "deposit", taoRao: 6n * TAO, shares: 5n * SHARE },
        { ...at(4n, OTHER), type: "deposit", taoRao: 100n * TAO, shares: 100n * SHARE },
      ],
      FUND,
    );
    expect(basis).toMatchObject({ acquiredShares: 10n * SHARE, costRao: 11n * TAO, pendingContributionRao: 0n });
    const refunded = costBasisOf(
      [
        { ...at(1n), type: "contributed", taoRao: 5n * TAO },
        { ...at(2n), type: "refunded", taoRao: 5n * TAO },
      ],
      FUND,
    );
    expect(refunded).toMatchObject({ acquiredShares: 0n, costRao: 0n, pendingContributionRao: 0n });
  });

  it("gives the unrealised P&L of the shares held and the realised P&L of TAO redemptions", () => {
    const basis = costBasisOf(
      [
        { ...at(1n), type: "deposit", taoRao: 10n * TAO, shares: 10n * SHARE }, // 1 TAO per share
        { ...at(2n), type: "requested", id: 7n, shares: 4n * SHARE, inKind: false, readyAt: 0n },
        { ...at(3n), type: "filled", id: 7n, shares: 4n * SHARE, taoRao: 4_400_000_000n }, // sold at 1.1
      ],
      FUND,
    );
    expect(basis).toMatchObject({ redeemedShares: 4n * SHARE, redeemedTaoRao: 4_400_000_000n });
    // 6 shares left, NAV per share 1.2 TAO: worth 7.2, cost 6.
    const pnl = fundPnl(basis, 6n * SHARE, 1_200_000_000n);
    expect(pnl).toEqual({
      valueRao: 7_200_000_000n,
      costRao: 6n * TAO,
      unrealizedRao: 1_200_000_000n,
      realizedRao: 400_000_000n,
      covered: true,
    });
  });

  it("says when shares came from elsewhere (a transfer): only the shares with a cost are in the P&L", () => {
    const basis = costBasisOf([{ ...at(1n), type: "deposit", taoRao: 2n * TAO, shares: 2n * SHARE }], FUND);
    const pnl = fundPnl(basis, 3n * SHARE, 900_000_000n);
    expect(pnl).toMatchObject({ valueRao: 2_700_000_000n, costRao: 2n * TAO, covered: false });
    expect(pnl.unrealizedRao).toBe(1_800_000_000n - 2n * TAO);
  });

  it("leaves in-kind redemptions out of the realised P&L but takes their shares out at cost", () => {
    const basis = costBasisOf(
      [
        { ...at(1n), type: "deposit", taoRao: 10n * TAO, shares: 10n * SHARE },
        { ...at(2n), type: "requested", id: 1n, shares: 5n * SHARE, inKind: true, readyAt: 0n },
        { ...at(3n), type: "filled", id: 1n, shares: 5n * SHARE, taoRao: 100_000_000n },
      ],
      FUND,
    );
    expect(basis).toMatchObject({ redeemedInKindShares: 5n * SHARE, redeemedShares: 0n, redeemedTaoRao: 0n });
    expect(fundPnl(basis, 5n * SHARE, TAO)).toMatchObject({ costRao: 5n * TAO, realizedRao: 0n, covered: true });
  });
});

describe("timelocked changes", () => {
  const setFees = encodeFunctionData({ abi: fundAbis.engine, functionName: "setFees", args: [300, 1500] });
  const setSlippage = encodeFunctionData({ abi: fundAbis.engine, functionName: "setMaxSlippage", args: [700] });
  const id = (data: Hex) => keccak256(data);

  it("keeps what was scheduled and neither vetoed nor executed, soonest first, decoded", () => {
    const pending = pendingChangesOf(
      [
        { eventName: "Scheduled", args: { id: id(setFees), data: setFees, eta: 5000n } },
        { eventName: "Scheduled", args: { id: id(setSlippage), data: setSlippage, eta: 4000n } },
        { eventName: "Vetoed", args: { id: id(setSlippage) } },
        { eventName: "Scheduled", args: { id: id(setSlippage), data: setSlippage, eta: 4500n } },
        { eventName: "Scheduled", args: { id: id("0x1234"), data: "0x1234", eta: 6000n } },
        { eventName: "Executed", args: { id: id("0x1234") } },
      ],
      "allocator",
    );
    expect(pending.map((c) => [c.call?.functionName, c.etaSeconds])).toEqual([
      ["setMaxSlippage", 4500n],
      ["setFees", 5000n],
    ]);
    expect(describeChange(pending[1]!)).toBe("setFees(300, 1500)");
  });

  it("shows a call the ABI does not decode as such", () => {
    const [change] = pendingChangesOf(
      [{ eventName: "Scheduled", args: { id: id("0xdeadbeef00"), data: "0xdeadbeef00", eta: 1n } }],
      "index",
    );
    expect(change?.call).toBeUndefined();
    expect(describeChange(change!)).toContain("does not decode");
  });
});
