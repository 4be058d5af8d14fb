/**
 * What the connected account did in the funds, from the events that name it, and what follows from them: its
 * redemption requests and their state, the cost of its shares and its profit or loss; and each fund's timelocked
 * changes still waiting. The reads are two `eth_getLogs` (one JSON-RPC batch) over every fund from the factory's
 * deployment block, cached and read again after the account's own writes or when the head shows a change; the rest is
 * pure and tested on its own.
 *
 * Events naming the account: as the 2nd topic `Contributed`, `SharesClaimed`, `Refunded`, `Claimed`, `StakeClaimed`;
 * as the 3rd `Deposit` (the receiver), `RedemptionRequested` and `RedemptionCancelled` (the owner) and
 * `RedemptionFilled` (the receiver).
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import {
  type Address,
  type Hex,
  type PublicClient,
  decodeFunctionData,
  encodeEventTopics,
  getAbiItem,
  parseEventLogs,
  toEventSelector,
} from "viem";
import { useConnection, usePublicClient } from "wagmi";

import { type CostBook, type Pnl, pnlOf } from "../lib/averageCost.ts";
import { RAO_PER_TAO } from "../lib/units.ts";
import { useContracts } from "./contracts.ts";
import { type FundKind, type QueuedRequest, SHARE_UNITS, fundAbis, fundsQueryKey, sharesValueRao } from "./funds.ts";
import { chainOrder, getLogs } from "./logs.ts";

const abi = fundAbis.mining; // a mining fund's ABI has the engine's events and the raise's
const BY_ACTOR = ["Contributed", "SharesClaimed", "Refunded", "Claimed", "StakeClaimed"] as const;
const BY_RECEIVER = ["Deposit", "RedemptionRequested", "RedemptionCancelled", "RedemptionFilled"] as const;

interface At {
  fund: Address;
  blockNumber: bigint;
  logIndex: number;
}

export type FundEvent = At &
  (
    | { type: "deposit"; taoRao: bigint; shares: bigint }
    | { type: "contributed"; taoRao: bigint }
    | { type: "sharesClaimed"; shares: bigint }
    | { type: "refunded"; taoRao: bigint }
    | { type: "claimed"; taoRao: bigint }
    | { type: "stakeClaimed"; position: bigint; alphaRao: bigint; sold: boolean }
    | { type: "requested"; id: bigint; shares: bigint; inKind: boolean; readyAt: bigint }
    | { type: "cancelled"; id: bigint; shares: bigint }
    | { type: "filled"; id: bigint; shares: bigint; taoRao: bigint }
  );

const selectors = (names: readonly string[]) =>
  names.map((name) => toEventSelector(getAbiItem({ abi, name: name as (typeof BY_ACTOR)[number] })));

/** The account's events in `funds`, oldest first. */
export async function readFundEvents(
  client: PublicClient,
  funds: readonly Address[],
  account: Address,
  fromBlock: bigint,
): Promise<FundEvent[]> {
  if (funds.length === 0) return [];
  const accountTopic = encodeEventTopics({ abi, eventName: "Claimed", args: { account } })[1]!;
  const [byActor, byReceiver] = await Promise.all([
    getLogs(client, { address: [...funds], fromBlock, topics: [selectors(BY_ACTOR), accountTopic] }),
    getLogs(client, { address: [...funds], fromBlock, topics: [selectors(BY_RECEIVER), null, accountTopic] }),
  ]);
  const parsed = parseEventLogs({ abi, logs: [...byActor, ...byReceiver], eventName: [...BY_ACTOR, ...BY_RECEIVER] });
  const events = parsed.flatMap((log): FundEvent[] => {
    const at: At = { fund: log.address, blockNumber: log.blockNumber, logIndex: log.logIndex };
    switch (log.eventName) {
      case "Deposit":
        return [{ ...at, type: "deposit", taoRao: log.args.taoRao, shares: log.args.shares }];
      case "Contributed":
        return [{ ...at, type: "contributed", taoRao: log.args.taoRao }];
      case "SharesClaimed":
        return [{ ...at, type: "sharesClaimed", shares: log.args.shares }];
      case "Refunded":
        return [{ ...at, type: "refunded", taoRao: log.args.taoRao }];
      case "Claimed":
        return [{ ...at, type: "claimed", taoRao: log.args.taoRao }];
      case "StakeClaimed":
        return [
          {
            ...at,
            type: "stakeClaimed",
            position: log.args.position,
            alphaRao: log.args.alphaRao,
            sold: /^0x0+$/.test(log.args.coldkey),
          },
        ];
      case "RedemptionRequested":
        return [
          {
            ...at,
            type: "requested",
            id: log.args.id,
            shares: log.args.shares,
            inKind: log.args.inKind,
            readyAt: log.args.readyAt,
          },
        ];
      case "RedemptionCancelled":
        return [{ ...at, type: "cancelled", id: log.args.id, shares: log.args.shares }];
      case "RedemptionFilled":
        return [{ ...at, type: "filled", id: log.args.id, shares: log.args.shares, taoRao: log.args.taoRao }];
      default:
        return [];
    }
  });
  return chainOrder(events);
}

export const fundActivityQueryKey = (chainId: number) => [...fundsQueryKey(chainId), "activity"] as const;

/**
 * The connected account's events in `funds` (cached). Read again after the account's own writes (the transaction
 * component invalidates every fund query) and on `useActivityRefresh`'s signal.
 */
export function useFundActivity(funds: readonly Address[] | undefined) {
  const { chainId, contracts } = useContracts();
  const client = usePublicClient({ chainId });
  const { address } = useConnection();
  const factory = contracts?.fundFactory;
  const sorted = [...(funds ?? [])].sort();
  const queryKey = [...fundActivityQueryKey(chainId), address ?? "none", sorted.join()];
  return useQuery({
    queryKey,
    enabled: Boolean(client && factory && address && funds),
    staleTime: 60_000,
    placeholderData: (previous) => previous,
    queryFn: async (): Promise<FundEvent[]> => {
      if (!client || !factory || !address) throw new Error("not ready");
      return readFundEvents(client, sorted, address, factory.startBlock);
    },
  });
}

/**
 * Reads the account's events again when `signal` changes: a summary of what the head read shows of the account (its
 * shares, claims and requests), so that a redemption someone else processed shows as paid.
 */
export function useActivityRefresh(signal: string | undefined) {
  const { chainId } = useContracts();
  const queryClient = useQueryClient();
  const last = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (signal === undefined) return;
    if (last.current !== undefined && last.current !== signal) {
      void queryClient.invalidateQueries({ queryKey: fundActivityQueryKey(chainId) });
    }
    last.current = signal;
  }, [signal, chainId, queryClient]);
}

/* REDEMPTIONS */

/** "updating": the queue shows the request done, and the events that say how (paid, cancelled) are being read. */
export type RedemptionStatus = "notice" | "ready" | "paid" | "cancelled" | "updating";

export interface Redemption {
  fund: Address;
  id: bigint;
  requestedShares: bigint;
  inKind: boolean;
  readyAt: bigint;
  /** Shares still waiting in the queue (from the chain when known, else from the events). */
  remainingShares: bigint;
  filledShares: bigint;
  /** TAO credited by the fills (claimed with `claim`); an in-kind request's positions are paid in kind besides. */
  paidTaoRao: bigint;
  cancelledShares: bigint;
  status: RedemptionStatus;
}

/**
 * The account's requests in `fund`, newest first: what the events say was requested, filled and cancelled, with
 * what is left from `queued` (the queue as read at the head). A request with shares left is in its notice period
 * until `readyAt`, then ready for anyone to process; one with nothing left was paid (some of it, at least) or
 * cancelled.
 */
export function redemptionsOf(
  events: readonly FundEvent[],
  fund: Address,
  queued: readonly QueuedRequest[],
  nowSeconds: bigint,
): Redemption[] {
  const byId = new Map<bigint, Redemption>();
  const same = (a: Address, b: Address) => a.toLowerCase() === b.toLowerCase();
  for (const e of events) {
    if (!same(e.fund, fund)) continue;
    if (e.type === "requested") {
      byId.set(e.id, {
        fund,
        id: e.id,
        requestedShares: e.shares,
        inKind: e.inKind,
        readyAt: e.readyAt,
        remainingShares: e.shares,
        filledShares: 0n,
        paidTaoRao: 0n,
        cancelledShares: 0n,
        status: "notice",
      });
      continue;
    }
    const r = e.type === "filled" || e.type === "cancelled" ? byId.get(e.id) : undefined;
    if (!r) continue;
    if (e.type === "filled") {
      r.filledShares += e.shares;
      r.paidTaoRao += e.taoRao;
      r.remainingShares -= e.shares > r.remainingShares ? r.remainingShares : e.shares;
    } else if (e.type === "cancelled") {
      r.cancelledShares += e.shares;
      r.remainingShares = 0n;
    }
  }
  for (const q of queued) {
    const r = byId.get(q.id);
    if (r) r.remainingShares = q.shares;
  }
  return [...byId.values()]
    .map((r) => ({
      ...r,
      status:
        r.remainingShares > 0n
          ? r.readyAt > nowSeconds
            ? ("notice" as const)
            : ("ready" as const)
          : r.filledShares > 0n
            ? ("paid" as const)
            : r.cancelledShares > 0n
              ? ("cancelled" as const)
              : ("updating" as const),
    }))
    .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

/* COST AND PROFIT */

export interface CostBasis {
  /** Shares received from deposits and raise claims, and the TAO they cost. */
  acquiredShares: bigint;
  costRao: bigint;
  /** Shares redeemed for TAO, and the TAO paid for them. */
  redeemedShares: bigint;
  redeemedTaoRao: bigint;
  /** Shares redeemed in kind (paid in positions, not valued here). */
  redeemedInKindShares: bigint;
  /** TAO contributed to a raise and not yet turned into shares nor refunded. */
  pendingContributionRao: bigint;
}

/**
 * The account's cost in `fund` from its events: a deposit costs the TAO it paid; shares claimed after a raise cost the
 * TAO contributed for them (1 share per TAO); a redemption takes its shares out at the average cost.
 */
export function costBasisOf(events: readonly FundEvent[], fund: Address): CostBasis {
  const basis: CostBasis = {
    acquiredShares: 0n,
    costRao: 0n,
    redeemedShares: 0n,
    redeemedTaoRao: 0n,
    redeemedInKindShares: 0n,
    pendingContributionRao: 0n,
  };
  const inKind = new Map<bigint, boolean>();
  for (const e of events) {
    if (e.fund.toLowerCase() !== fund.toLowerCase()) continue;
    switch (e.type) {
      case "deposit":
        basis.acquiredShares += e.shares;
        basis.costRao += e.taoRao;
        break;
      case "contributed":
        basis.pendingContributionRao += e.taoRao;
        break;
      case "refunded":
        basis.pendingContributionRao -= e.taoRao;
        break;
      case "sharesClaimed": {
        // MiningFund: one share (1e18 units) per TAO (1e9 rao) contributed.
        const rao = e.shares / (SHARE_UNITS / RAO_PER_TAO);
        basis.acquiredShares += e.shares;
        basis.costRao += rao;
        basis.pendingContributionRao -= rao;
        break;
      }
      case "requested":
        inKind.set(e.id, e.inKind);
        break;
      case "filled":
        if (inKind.get(e.id)) {
          basis.redeemedInKindShares += e.shares;
        } else {
          basis.redeemedShares += e.shares;
          basis.redeemedTaoRao += e.taoRao;
        }
        break;
      default:
        break;
    }
  }
  if (basis.pendingContributionRao < 0n) basis.pendingContributionRao = 0n;
  return basis;
}

export type FundPnl = Pnl;

/** Profit or loss of holding `heldShares` (wallet plus queue) at `sharePriceRaoPerShareWad`, against `basis`. */
export function fundPnl(basis: CostBasis, heldShares: bigint, sharePriceRaoPerShareWad: bigint): FundPnl {
  const book: CostBook = {
    acquiredShares: basis.acquiredShares,
    costRao: basis.costRao,
    soldShares: basis.redeemedShares,
    soldTaoRao: basis.redeemedTaoRao,
    otherOutShares: basis.redeemedInKindShares,
  };
  return pnlOf(book, heldShares, (shares) => sharesValueRao(shares, sharePriceRaoPerShareWad));
}

/* TIMELOCKED CHANGES */

export interface PendingChange {
  id: Hex;
  data: Hex;
  /** When it may be executed (unix seconds). */
  etaSeconds: bigint;
  /** The call it makes, decoded with the fund's ABI (undefined when it does not decode). */
  call: { functionName: string; args: readonly unknown[] } | undefined;
}

type TimelockLog =
  | { eventName: "Scheduled"; args: { id: Hex; data: Hex; eta: bigint } }
  | { eventName: "Vetoed" | "Executed"; args: { id: Hex } };

/** The changes scheduled and neither vetoed nor executed since, in the order of `logs` (oldest first). */
export function pendingChangesOf(logs: readonly TimelockLog[], kind: FundKind): PendingChange[] {
  const pending = new Map<Hex, PendingChange>();
  for (const log of logs) {
    if (log.eventName === "Scheduled") {
      let call: PendingChange["call"];
      try {
        const decoded = decodeFunctionData({ abi: fundAbis[kind], data: log.args.data });
        call = { functionName: decoded.functionName, args: decoded.args ?? [] };
      } catch {
        call = undefined;
      }
      pending.set(log.args.id, { id: log.args.id, data: log.args.data, etaSeconds: log.args.eta, call });
    } else {
      pending.delete(log.args.id);
    }
  }
  return [...pending.values()].sort((a, b) => (a.etaSeconds < b.etaSeconds ? -1 : a.etaSeconds > b.etaSeconds ? 1 : 0));
}

/** A fund's pending timelocked changes, from its `Scheduled`, `Vetoed` and `Executed` events (every 30 s). */
export function useTimelock(fund: Address | undefined, kind: FundKind | undefined) {
  const { chainId, contracts } = useContracts();
  const client = usePublicClient({ chainId });
  const factory = contracts?.fundFactory;
  return useQuery({
    queryKey: [...fundsQueryKey(chainId), "timelock", fund],
    enabled: Boolean(client && factory && fund && kind),
    staleTime: 30_000,
    refetchInterval: 30_000,
    queryFn: async (): Promise<PendingChange[]> => {
      if (!client || !factory || !fund || !kind) throw new Error("not ready");
      const raw = await getLogs(client, {
        address: [fund],
        fromBlock: factory.startBlock,
        topics: [selectors(["Scheduled", "Vetoed", "Executed"])],
      });
      const logs = parseEventLogs({ abi, logs: raw, eventName: ["Scheduled", "Vetoed", "Executed"] });
      return pendingChangesOf(logs, kind);
    },
  });
}
