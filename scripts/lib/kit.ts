/**
 * The plumbing every part of the seed shares: actors (accounts of the standard Hardhat mnemonic with typed
 * contracts), sending a transaction with a one-line failure, deadlines from the chain's clock, and small helpers
 * (a seeded PRNG, TAO amounts).
 *
 * Every actor signs locally, so accounts beyond the node's 20 unlocked ones work the same; balances come from
 * `hardhat_setBalance`.
 */
import type { NetworkConnection } from "hardhat/types/network";
import { createWalletClient, custom, getContract, toHex, type Abi, type Hex, type TransactionReceipt } from "viem";
import { mnemonicToAccount } from "viem/accounts";

import { describeError, errorAbi, raoToWei, type AbiError } from "../../client/index.ts";
import type { Economy } from "./economy.ts";

export const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";

export const RAO_PER_TAO = 1_000_000_000n;

/** A whole number of TAO (or a decimal with at most 9 places) as the wei to send. */
export function taoWei(amountTao: number): bigint {
  return raoToWei(taoRao(amountTao));
}

/** A TAO amount given as a JavaScript number, in rao (rounded to the nearest rao). */
export function taoRao(amountTao: number): bigint {
  return BigInt(Math.round(amountTao * 1e9));
}

/** Deterministic PRNG (mulberry32): the same seed gives the same economy. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Gas limit of every seed transaction: far above what any of them uses, far below the block gas limit. */
const SEED_GAS_LIMIT = 4_000_000n;

/**
 * The node's provider for the seed's signers, with three shortcuts that halve the round trips of each transaction
 * (a seed sends hundreds) without changing what is sent:
 *   - a fixed gas limit instead of an estimate: interval mining can put a block between an estimate and its
 *     transaction, and the lazy catch-up then needs more than estimated; a revert still fails the send, since the
 *     node refuses failing transactions when it mines them;
 *   - the fee inputs (the latest block's base fee and the priority fee) read once per second: the local chain's
 *     blocks are far from full, so its base fee only falls.
 */
function seedTransport(connection: NetworkConnection) {
  const provider = connection.provider;
  const cache = new Map<string, { at: number; value: Promise<unknown> }>();
  const cached = (key: string, read: () => Promise<unknown>) => {
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < 1000) return hit.value;
    const value = read();
    cache.set(key, { at: Date.now(), value });
    value.catch(() => cache.delete(key));
    return value;
  };
  return custom({
    async request({ method, params }: { method: string; params?: unknown[] }): Promise<unknown> {
      if (method === "eth_estimateGas") return toHex(SEED_GAS_LIMIT);
      if (method === "eth_maxPriorityFeePerGas" || (method === "eth_getBlockByNumber" && params?.[0] === "latest")) {
        return cached(`${method}:${JSON.stringify(params)}`, () => provider.request({ method, params }));
      }
      return (await provider.request({ method, params })) as unknown;
    },
  });
}

type PublicClient = Awaited<ReturnType<NetworkConnection["viem"]["getPublicClient"]>>;

function contractsFor(connection: NetworkConnection, economy: Economy, index: number, publicClient: PublicClient) {
  const account = mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: index });
  const wallet = createWalletClient({ account, chain: publicClient.chain, transport: seedTransport(connection) });
  const client = { public: publicClient, wallet };
  return {
    account,
    address: account.address,
    index,
    pools: getContract({ address: economy.pools.address, abi: economy.pools.abi, client }),
    registry: getContract({ address: economy.registry.address, abi: economy.registry.abi, client }),
    metagraph: getContract({ address: economy.metagraph.address, abi: economy.metagraph.abi, client }),
    rootDividends: getContract({ address: economy.rootDividends.address, abi: economy.rootDividends.abi, client }),
  };
}

/** An account with its coldkey (its mapped Bittensor account id, which is also its own hotkey) and contracts. */
export type Actor = ReturnType<typeof contractsFor> & { label: string; coldkey: Hex };

/** Errors of every contract of the economy, for one-line failure messages. */
function economyErrors(economy: Economy): AbiError[] {
  const abis: Abi[] = [economy.pools.abi, economy.registry.abi, economy.metagraph.abi, economy.rootDividends.abi];
  return errorAbi(abis);
}

export async function makeKit(connection: NetworkConnection, economy: Economy) {
  const publicClient = await connection.viem.getPublicClient();
  const testClient = await connection.viem.getTestClient();
  const errors = economyErrors(economy);
  const actor = async (index: number, label: string): Promise<Actor> => {
    const c = contractsFor(connection, economy, index, publicClient);
    return { ...c, label, coldkey: await economy.pools.read.coldkeyOf([c.address]) };
  };
  /** Sends a transaction and waits for it; a failure is one line naming what was tried and the decoded error. */
  const send = async (what: string, write: () => Promise<Hex>): Promise<TransactionReceipt> => {
    let hash: Hex;
    try {
      hash = await write();
    } catch (error) {
      throw new Error(`${what} failed: ${describeError(error, errors)}`, { cause: error });
    }
    const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    if (receipt.status !== "success") throw new Error(`${what} reverted (tx ${hash})`);
    return receipt;
  };
  /** A deadline an hour after the chain's latest block (unix seconds, as the contracts compare them). */
  const deadline = async (): Promise<bigint> => (await publicClient.getBlock()).timestamp + 3600n;
  /**
   * Mines `blocks` blocks at once, all at the latest block's timestamp: the model counts blocks, not seconds, and a
   * second apart they would push the chain's clock hours ahead of the wall clock, expiring every deadline a client
   * computes from its own clock. (The node allows blocks with the same timestamp: hardhat.config.ts.)
   */
  const mine = (blocks: number) => testClient.mine({ blocks, interval: 0 });
  return { publicClient, testClient, actor, send, deadline, mine, errors };
}

export type Kit = Awaited<ReturnType<typeof makeKit>>;
