/**
 * Profit and loss by average cost, for any share token: every acquisition adds its shares and its TAO cost; shares
 * that leave take out the average cost; what is held is valued by the caller. Pure.
 */

export interface CostBook {
  /** Shares acquired with a known cost, and that cost. */
  acquiredShares: bigint;
  costRao: bigint;
  /** Shares that left for TAO, and the TAO received. */
  soldShares: bigint;
  soldTaoRao: bigint;
  /** Shares that left otherwise (in kind, moved elsewhere): at their average cost, with no gain counted here. */
  otherOutShares: bigint;
}

export const EMPTY_BOOK: CostBook = {
  acquiredShares: 0n,
  costRao: 0n,
  soldShares: 0n,
  soldTaoRao: 0n,
  otherOutShares: 0n,
};

export interface Pnl {
  valueRao: bigint;
  /** The cost of the held shares that have one (average cost), and their profit or loss at the value given. */
  costRao: bigint;
  unrealizedRao: bigint;
  /** TAO received for shares sold, less their average cost. */
  realizedRao: bigint;
  /** False when more shares are held than the book accounts for (shares received by transfer). */
  covered: boolean;
}

/** The average cost of `shares` in `book`, rounded down. */
export function averageCostRao(book: CostBook, shares: bigint): bigint {
  return book.acquiredShares === 0n ? 0n : (book.costRao * shares) / book.acquiredShares;
}

/** The P&L of holding `heldShares`, `valueOf` giving the value of a number of them. */
export function pnlOf(book: CostBook, heldShares: bigint, valueOf: (shares: bigint) => bigint): Pnl {
  const out = book.soldShares + book.otherOutShares;
  const withCost = book.acquiredShares > out ? book.acquiredShares - out : 0n;
  const costed = heldShares < withCost ? heldShares : withCost;
  const costRao = averageCostRao(book, costed);
  return {
    valueRao: valueOf(heldShares),
    costRao,
    unrealizedRao: valueOf(costed) - costRao,
    realizedRao: book.soldTaoRao - averageCostRao(book, book.soldShares),
    covered: heldShares <= withCost,
  };
}
