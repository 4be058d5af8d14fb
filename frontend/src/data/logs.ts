/**
 * Log reads shared by the pages: `eth_getLogs` sent as a plain request (filters by topic position, several event
 * selectors at once; viem batches concurrent ones into one HTTP request), and the chain order to fold logs in.
 */
import { type Address, type Log, type PublicClient, numberToHex } from "viem";

export interface LogFilter {
  address: Address | readonly Address[];
  fromBlock: bigint;
  /** The last block to read; "latest" when left out. */
  toBlock?: bigint;
  /** Per position: a topic, any of several, or null for any. */
  topics: readonly unknown[];
}

export async function getLogs(client: PublicClient, filter: LogFilter): Promise<Log[]> {
  return client.request<{ Method: "eth_getLogs"; Parameters: unknown[]; ReturnType: Log[] }>({
    method: "eth_getLogs",
    params: [
      {
        address: typeof filter.address === "string" ? filter.address : [...filter.address],
        fromBlock: numberToHex(filter.fromBlock),
        toBlock: filter.toBlock === undefined ? "latest" : numberToHex(filter.toBlock),
        topics: filter.topics,
      },
    ],
  });
}

/** Sorts logs (or events carrying their position) in chain order, in place. */
export function chainOrder<T extends { blockNumber: bigint | null; logIndex: number | null }>(logs: T[]): T[] {
  return logs.sort(
    (a, b) => Number((a.blockNumber ?? 0n) - (b.blockNumber ?? 0n)) || (a.logIndex ?? 0) - (b.logIndex ?? 0),
  );
}
