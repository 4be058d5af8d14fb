/**
 * Deadlines from the chain's clock.
 *
 * Every trade takes a `deadline` in unix seconds that the contract compares with `block.timestamp`. The chain's
 * clock is the only one that matters: a local node or a testnet can run minutes or hours away from this machine's
 * clock, so a deadline is always the latest block's timestamp plus a margin, never `Date.now()`.
 *
 * Pure apart from the one read it is given; works with viem and ethers through the two adapters below.
 */
import { UnitError } from "./units.ts";

/** Reads the latest block's timestamp, in unix seconds. */
export type ChainClock = () => Promise<bigint>;

/** What a viem public client offers (structurally, so this module needs no client of its own). */
export interface ViemBlockReader {
  getBlock(): Promise<{ timestamp: bigint }>;
}

/** What an ethers v6 provider offers. */
export interface EthersBlockReader {
  getBlock(blockTag: "latest"): Promise<{ timestamp: number } | null>;
}

/** The chain clock of a viem public client. */
export function viemChainClock(client: ViemBlockReader): ChainClock {
  return async () => (await client.getBlock()).timestamp;
}

/** The chain clock of an ethers v6 provider. */
export function ethersChainClock(provider: EthersBlockReader): ChainClock {
  return async () => {
    const block = await provider.getBlock("latest");
    if (block === null) throw new Error("the provider returned no latest block");
    return BigInt(block.timestamp);
  };
}

/** Default margin of a trade's deadline: 5 minutes. */
export const DEFAULT_DEADLINE_SECONDS = 300n;

/** A deadline `secondsAhead` after a block timestamp (both unix seconds). Pure. */
export function deadlineAfter(timestampSeconds: bigint, secondsAhead: bigint | number): bigint {
  const ahead = toWholeSeconds(secondsAhead);
  if (ahead <= 0n) throw new UnitError(`secondsAhead must be at least 1 second, got ${ahead}`);
  if (timestampSeconds < 0n) throw new UnitError(`timestampSeconds must not be negative, got ${timestampSeconds}`);
  return timestampSeconds + ahead;
}

/** A deadline (unix seconds) `secondsAhead` after the chain's latest block. */
export async function deadlineFromChain(
  clock: ChainClock,
  secondsAhead: bigint | number = DEFAULT_DEADLINE_SECONDS,
): Promise<bigint> {
  return deadlineAfter(await clock(), secondsAhead);
}

/** Seconds left before `deadline` at a block timestamp (negative once it has passed). */
export function secondsUntilDeadline(deadline: bigint, timestampSeconds: bigint): bigint {
  return deadline - timestampSeconds;
}

function toWholeSeconds(value: bigint | number): bigint {
  if (typeof value === "bigint") return value;
  if (!Number.isSafeInteger(value)) throw new UnitError(`secondsAhead must be a whole number of seconds, got ${value}`);
  return BigInt(value);
}
