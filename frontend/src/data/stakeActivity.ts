/**
 * The connected account's cost in each direct stake position (netuid, hotkey), from the AlphaPools events that name
 * its coldkey, for the Portfolio's P&L. Three `eth_getLogs` (one JSON-RPC batch), cached and read again after the
 * account's writes; the book keeping is pure and tested on its own.
 *
 * By average cost, in alpha: a `Stake` costs the TAO it paid; an `Unstake` sells its alpha for the TAO it brought; a
 * `CreditStake` (a settled incentive) is alpha earned at no cost; a move within a netuid (`MoveStake` with no swap)
 * carries its cost to the position it went to, or takes it out when the stake left the coldkey. A move across
 * netuids is booked through its two swap legs, which log `Unstake` and `Stake` too. A vault's redemption in kind to
 * the coldkey brings the cost of the shares it came from (`withInKind`). Alpha held beyond the books (validator
 * dividends as the hotkey's pool grows, stake received from another coldkey) counts at no cost.
 */
import { useQuery } from "@tanstack/react-query";
import { type Address, type Hex, type Log, type PublicClient, getAbiItem, parseEventLogs, toEventSelector } from "viem";
import { useConnection, usePublicClient } from "wagmi";

import { alphaPoolsAbi } from "../generated.ts";
import { type CostBook, EMPTY_BOOK, type Pnl, averageCostRao, pnlOf } from "../lib/averageCost.ts";
import { coldkeyOf } from "../lib/units.ts";
import { type Contracts, useContracts } from "./contracts.ts";
import { portfolioQueryKey } from "./portfolio.ts";
import { chainOrder, getLogs } from "./logs.ts";

const BY_COLDKEY = ["Stake", "Unstake", "CreditStake"] as const;

/** The key of a position's book. */
export const stakeKey = (netuid: number, hotkey: Hex) => `${netuid}/${hotkey.toLowerCase()}`;

interface At {
  blockNumber: bigint;
  logIndex: number;
}

export type StakeEvent = At &
  (
    | { type: "stake"; netuid: number; hotkey: Hex; alphaRao: bigint; taoRao: bigint }
    | { type: "unstake"; netuid: number; hotkey: Hex; alphaRao: bigint; taoRao: bigint }
    | { type: "credit"; netuid: number; hotkey: Hex; alphaRao: bigint }
    | {
        type: "move";
        fromMe: boolean;
        toMe: boolean;
        originNetuid: number;
        destinationNetuid: number;
        originHotkey: Hex;
        destinationHotkey: Hex;
        alphaRao: bigint;
        destinationAlphaRao: bigint;
      }
  );

const selector = (name: (typeof BY_COLDKEY)[number] | "MoveStake") =>
  toEventSelector(getAbiItem({ abi: alphaPoolsAbi, name }));

/** The AlphaPools events that name `coldkey`, as the books use them. */
export async function readStakeEvents(client: PublicClient, contracts: Contracts, coldkey: Hex) {
  const pools = { address: contracts.AlphaPools.address, fromBlock: contracts.AlphaPools.startBlock };
  const [own, movedOut, movedIn] = await Promise.all([
    getLogs(client, { ...pools, topics: [BY_COLDKEY.map(selector), null, null, coldkey] }),
    getLogs(client, { ...pools, topics: [selector("MoveStake"), coldkey] }),
    getLogs(client, { ...pools, topics: [selector("MoveStake"), null, coldkey] }),
  ]);
  // A move from the coldkey to itself is in both move reads: once is enough.
  const seen = new Set<string>();
  const logs = [...own, ...movedOut, ...movedIn].filter((l) => {
    const id = `${l.transactionHash}:${l.logIndex}`;
    return !seen.has(id) && (seen.add(id), true);
  });
  return toStakeEvents(logs, coldkey);
}

/** Parses AlphaPools logs into the events the books use, `coldkey` being the account's. Pure. */
export function toStakeEvents(logs: readonly Log[], coldkey: Hex): StakeEvent[] {
  const me = coldkey.toLowerCase();
  return parseEventLogs({ abi: alphaPoolsAbi, logs: [...logs], eventName: [...BY_COLDKEY, "MoveStake"] }).map(
    (log): StakeEvent => {
      const at: At = { blockNumber: log.blockNumber, logIndex: log.logIndex };
      switch (log.eventName) {
        case "Stake":
          return { ...at, type: "stake", netuid: log.args.netuid, hotkey: log.args.hotkey, ...amounts(log.args) };
        case "Unstake":
          return { ...at, type: "unstake", netuid: log.args.netuid, hotkey: log.args.hotkey, ...amounts(log.args) };
        case "CreditStake":
          return {
            ...at,
            type: "credit",
            netuid: log.args.netuid,
            hotkey: log.args.hotkey,
            alphaRao: log.args.alphaRao,
          };
        case "MoveStake":
          return {
            ...at,
            type: "move",
            fromMe: log.args.originColdkey.toLowerCase() === me,
            toMe: log.args.destinationColdkey.toLowerCase() === me,
            originNetuid: log.args.originNetuid,
            destinationNetuid: log.args.destinationNetuid,
            originHotkey: log.args.originHotkey,
            destinationHotkey: log.args.destinationHotkey,
            alphaRao: log.args.alphaRao,
            destinationAlphaRao: log.args.destinationAlphaRao,
          };
      }
    },
  );
}

function amounts(args: { alphaRao: bigint; taoRao: bigint }) {
  return { alphaRao: args.alphaRao, taoRao: args.taoRao };
}

/** Each position's cost book (by `stakeKey`), alpha counted as shares. Pure. */
export function stakeBooks(events: readonly StakeEvent[]): Map<string, CostBook> {
  const sorted = chainOrder([...events]);
  const books = new Map<string, CostBook>();
  const book = (netuid: number, hotkey: Hex) => {
    const key = stakeKey(netuid, hotkey);
    let b = books.get(key);
    if (!b) books.set(key, (b = { ...EMPTY_BOOK }));
    return b;
  };
  for (const e of sorted) {
    switch (e.type) {
      case "stake": {
        const b = book(e.netuid, e.hotkey);
        b.acquiredShares += e.alphaRao;
        b.costRao += e.taoRao;
        break;
      }
      case "unstake": {
        const b = book(e.netuid, e.hotkey);
        b.soldShares += e.alphaRao;
        b.soldTaoRao += e.taoRao;
        break;
      }
      case "credit":
        book(e.netuid, e.hotkey).acquiredShares += e.alphaRao;
        break;
      case "move": {
        // Across netuids the swap legs' Unstake and Stake book it.
        if (e.originNetuid !== e.destinationNetuid) break;
        let carried = 0n;
        if (e.fromMe) {
          const origin = book(e.originNetuid, e.originHotkey);
          carried = averageCostRao(origin, e.alphaRao);
          origin.otherOutShares += e.alphaRao;
        }
        if (e.toMe && e.fromMe) {
          const destination = book(e.destinationNetuid, e.destinationHotkey);
          destination.acquiredShares += e.destinationAlphaRao;
          destination.costRao += carried;
        }
        break;
      }
    }
  }
  return books;
}

/**
 * The stake books with what vaults' redemptions in kind delivered to `coldkey` on their (netuid, hotkey), at the cost
 * of the shares they came from (`vaultBooks`' receipts). Pure; the books given are not changed.
 */
export function withInKind(
  books: ReadonlyMap<string, CostBook>,
  receipts: readonly { vault: Address; receiverColdkey: Hex; alphaRao: bigint; costRao: bigint }[],
  vaults: readonly { vault: Address; netuid: number; hotkey: Hex }[],
  coldkey: Hex,
): Map<string, CostBook> {
  const out = new Map([...books].map(([k, b]) => [k, { ...b }]));
  const byAddress = new Map(vaults.map((v) => [v.vault.toLowerCase(), v]));
  for (const r of receipts) {
    const v = byAddress.get(r.vault.toLowerCase());
    if (!v || r.receiverColdkey.toLowerCase() !== coldkey.toLowerCase()) continue;
    const key = stakeKey(v.netuid, v.hotkey);
    const b = out.get(key) ?? { ...EMPTY_BOOK };
    b.acquiredShares += r.alphaRao;
    b.costRao += r.costRao;
    out.set(key, b);
  }
  return out;
}

/**
 * A direct stake's P&L: like any position by average cost, except that alpha held beyond the book (dividends, stake
 * received from elsewhere) counts at no cost, so what the stake earned shows as profit.
 */
export function stakePnl(book: CostBook | undefined, heldAlphaRao: bigint, valueOf: (alphaRao: bigint) => bigint): Pnl {
  const pnl = pnlOf(book ?? EMPTY_BOOK, heldAlphaRao, valueOf);
  return { ...pnl, unrealizedRao: pnl.valueRao - pnl.costRao, covered: true };
}

/** The connected account's cost book per stake position (cached; the account's writes refresh it). */
export function useStakeBooks() {
  const { chainId, contracts } = useContracts();
  const client = usePublicClient({ chainId });
  const { address } = useConnection();
  const coldkey = address ? coldkeyOf(address) : undefined;
  return useQuery({
    queryKey: [...portfolioQueryKey(chainId), "stakeBooks", coldkey ?? "none"],
    enabled: Boolean(client && contracts && coldkey),
    staleTime: 60_000,
    queryFn: async () => {
      if (!client || !contracts || !coldkey) return new Map<string, CostBook>();
      return stakeBooks(await readStakeEvents(client, contracts, coldkey));
    },
  });
}
