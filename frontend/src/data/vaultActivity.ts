/**
 * The connected account's cost in each liquid vault, from the vault events that name it, for the Portfolio's P&L.
 * Three `eth_getLogs` over every vault (data/logs.ts; one JSON-RPC batch), cached and read again after the account's own writes;
 * the book keeping is pure and tested on its own.
 *
 * Events naming the account: as the receiver (2nd indexed) `Deposit`, `DepositStake` and `AcceptMigration`; as the
 * owner (3rd indexed) `Redeem` and `RedeemInKind`; as the owner (1st indexed) `Migrate`.
 *
 * The books, by average cost: a deposit costs the TAO it paid; a redemption in TAO, or a move through TAO, sells its
 * shares for the TAO they brought; a redemption in kind takes its shares out at their average cost; a move in kind
 * carries that cost to the vault it went to. Shares deposited as alpha stake, or received by transfer, have no
 * recorded cost.
 */
import { useQuery } from "@tanstack/react-query";
import {
  type Address,
  type Hex,
  type Log,
  type PublicClient,
  getAbiItem,
  pad,
  parseEventLogs,
  toEventSelector,
} from "viem";
import { useConnection, usePublicClient } from "wagmi";

import { type CostBook, EMPTY_BOOK, averageCostRao } from "../lib/averageCost.ts";
import { useContracts, vaultAbi } from "./contracts.ts";
import { portfolioQueryKey } from "./portfolio.ts";
import { getLogs } from "./logs.ts";

const BY_RECEIVER = ["Deposit", "DepositStake", "AcceptMigration"] as const;
const BY_OWNER = ["Redeem", "RedeemInKind"] as const;

interface At {
  vault: Address;
  transactionHash: Hex;
  blockNumber: bigint;
  transactionIndex: number;
  logIndex: number;
}

export type VaultEvent = At &
  (
    | { type: "deposit"; shares: bigint; taoRao: bigint }
    | { type: "depositStake"; shares: bigint }
    | { type: "accepted"; fromVault: Address; shares: bigint }
    | { type: "redeem"; shares: bigint; taoRao: bigint }
    | { type: "redeemInKind"; shares: bigint; alphaRao: bigint; receiverColdkey: Hex }
    | { type: "migrate"; toVault: Address; shares: bigint; taoRao: bigint }
  );

const selector = (name: (typeof BY_RECEIVER)[number] | (typeof BY_OWNER)[number] | "Migrate") =>
  toEventSelector(getAbiItem({ abi: vaultAbi, name }));

/** The vault events that name `account` (parsed, unsorted). */
export async function readVaultEvents(
  client: PublicClient,
  vaults: readonly Address[],
  account: Address,
  fromBlock: bigint,
): Promise<VaultEvent[]> {
  if (vaults.length === 0) return [];
  const who = pad(account, { size: 32 }).toLowerCase() as Hex;
  const logs = (
    await Promise.all([
      getLogs(client, { address: vaults, fromBlock, topics: [BY_RECEIVER.map(selector), null, who] }),
      getLogs(client, { address: vaults, fromBlock, topics: [BY_OWNER.map(selector), null, null, who] }),
      getLogs(client, { address: vaults, fromBlock, topics: [selector("Migrate"), who] }),
    ])
  ).flat();
  return toVaultEvents(logs);
}

/** Parses vault logs into the events the books use. Pure. */
export function toVaultEvents(logs: readonly Log[]): VaultEvent[] {
  return parseEventLogs({ abi: vaultAbi, logs: [...logs], eventName: [...BY_RECEIVER, ...BY_OWNER, "Migrate"] }).map(
    (log): VaultEvent => {
      const at: At = {
        vault: log.address,
        transactionHash: log.transactionHash,
        blockNumber: log.blockNumber,
        transactionIndex: log.transactionIndex,
        logIndex: log.logIndex,
      };
      switch (log.eventName) {
        case "Deposit":
          return { ...at, type: "deposit", shares: log.args.shares, taoRao: log.args.taoRao };
        case "DepositStake":
          return { ...at, type: "depositStake", shares: log.args.shares };
        case "AcceptMigration":
          return { ...at, type: "accepted", fromVault: log.args.fromVault, shares: log.args.shares };
        case "Redeem":
          return { ...at, type: "redeem", shares: log.args.shares, taoRao: log.args.taoRao };
        case "RedeemInKind":
          return {
            ...at,
            type: "redeemInKind",
            shares: log.args.shares,
            alphaRao: log.args.alphaRao,
            receiverColdkey: log.args.receiverColdkey,
          };
        case "Migrate":
          return {
            ...at,
            type: "migrate",
            toVault: log.args.toVault,
            shares: log.args.shares,
            taoRao: log.args.taoRao,
          };
      }
    },
  );
}

/** Alpha stake a redemption in kind delivered to a coldkey, and the cost of the shares it came from. */
export interface InKindReceipt {
  vault: Address;
  receiverColdkey: Hex;
  alphaRao: bigint;
  costRao: bigint;
}

/**
 * Each vault's cost book (by lower-case address) from the account's events, and what its redemptions in kind
 * delivered (their cost goes on to the stake they became). Chronological; within a transaction a move in kind
 * (`Migrate`, logged after the target's `AcceptMigration`) is booked first, so the cost it carries is known when the
 * target's shares are booked. Pure.
 */
export function vaultBooks(events: readonly VaultEvent[]): { books: Map<string, CostBook>; inKind: InKindReceipt[] } {
  const order = (e: VaultEvent) => (e.type === "migrate" ? 0 : 1);
  const sorted = [...events].sort(
    (a, b) =>
      (a.blockNumber === b.blockNumber ? 0 : a.blockNumber < b.blockNumber ? -1 : 1) ||
      a.transactionIndex - b.transactionIndex ||
      order(a) - order(b) ||
      a.logIndex - b.logIndex,
  );
  const books = new Map<string, CostBook>();
  const book = (vault: Address) => {
    const key = vault.toLowerCase();
    let b = books.get(key);
    if (!b) books.set(key, (b = { ...EMPTY_BOOK }));
    return b;
  };
  const carried = new Map<string, bigint>(); // `${tx}:${target}` → the cost a move in kind carries
  const inKind: InKindReceipt[] = [];
  for (const e of sorted) {
    const b = book(e.vault);
    switch (e.type) {
      case "deposit":
        b.acquiredShares += e.shares;
        b.costRao += e.taoRao;
        break;
      case "redeem":
        b.soldShares += e.shares;
        b.soldTaoRao += e.taoRao;
        break;
      case "redeemInKind":
        inKind.push({
          vault: e.vault,
          receiverColdkey: e.receiverColdkey,
          alphaRao: e.alphaRao,
          costRao: averageCostRao(b, e.shares),
        });
        b.otherOutShares += e.shares;
        break;
      case "migrate":
        if (e.taoRao !== 0n) {
          // Through TAO: sold here; the target books its own deposit of that TAO.
          b.soldShares += e.shares;
          b.soldTaoRao += e.taoRao;
        } else {
          const key = `${e.transactionHash}:${e.toVault.toLowerCase()}`;
          carried.set(key, (carried.get(key) ?? 0n) + averageCostRao(b, e.shares));
          b.otherOutShares += e.shares;
        }
        break;
      case "accepted": {
        const key = `${e.transactionHash}:${e.vault.toLowerCase()}`;
        const cost = carried.get(key);
        if (cost === undefined) break; // not from this account's move: no recorded cost
        b.acquiredShares += e.shares;
        b.costRao += cost;
        carried.delete(key);
        break;
      }
      case "depositStake":
        break; // alpha stake brought in: no TAO cost recorded
    }
  }
  return { books, inKind };
}

/** The connected account's cost book per vault (cached; the Portfolio's writes refresh it). */
export function useVaultBooks(vaults: readonly Address[]) {
  const { chainId, contracts } = useContracts();
  const client = usePublicClient({ chainId });
  const { address } = useConnection();
  const factory = contracts?.liquid?.LiquidVaultFactory;
  return useQuery({
    queryKey: [...portfolioQueryKey(chainId), "vaultBooks", address ?? "none", vaults.length],
    enabled: Boolean(client && address && factory),
    staleTime: 60_000,
    queryFn: async () => {
      if (!client || !address || !factory) return { books: new Map<string, CostBook>(), inKind: [] };
      return vaultBooks(await readVaultEvents(client, vaults, address, factory.startBlock));
    },
  });
}
