/**
 * Many reads in one `eth_call`: Multicall3 run deployless (its bytecode travels with the call), so it works on any
 * chain, the local one included, without a deployed Multicall3.
 *
 * A deployless call sends its reads as the init code of a contract and gets its results back as that contract's code,
 * so both must fit their limits (EIP-3860: 49,152 bytes of init code; EIP-170: 24,576 bytes of code); a node refuses
 * a larger call ("initcode size limit", "code is too large", "max code size exceeded"). Reads that do not fit
 * together are split in halves until each part fits, and the parts run side by side. The calls bypass the client's
 * own multicall batching (wagmi turns it on), which would merge the parts, and any other reads of the same moment,
 * back into one call.
 */
import {
  type Abi,
  type Address,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type ContractFunctionReturnType,
  BaseError,
  createPublicClient,
  custom,
  HttpRequestError,
  TimeoutError,
  type ContractFunctionParameters,
  type EIP1193RequestFn,
  type MulticallReturnType,
  type PublicClient,
} from "viem";

import { MULTICALL3_ADDRESS, MULTICALL3_RUNTIME_CODE, multicall3ViewsAbi } from "./multicall3.ts";

export async function readAll<const contracts extends readonly ContractFunctionParameters[]>(
  client: PublicClient,
  contracts: contracts,
  blockNumber?: bigint,
): Promise<MulticallReturnType<contracts, false>> {
  const result = await readSplit(withoutMulticallBatching(client), contracts, blockNumber, false);
  return result as MulticallReturnType<contracts, false>;
}

/** As `readAll`, but a read that reverts gives `{ status: "failure" }` in its place instead of failing them all. */
export async function readAllSettled<const contracts extends readonly ContractFunctionParameters[]>(
  client: PublicClient,
  contracts: contracts,
  blockNumber?: bigint,
): Promise<MulticallReturnType<contracts, true>> {
  const result = await readSplit(withoutMulticallBatching(client), contracts, blockNumber, true);
  return result as MulticallReturnType<contracts, true>;
}

async function readSplit(
  client: PublicClient,
  contracts: readonly ContractFunctionParameters[],
  blockNumber: bigint | undefined,
  allowFailure: boolean,
): Promise<unknown[]> {
  if (contracts.length === 0) return [];
  try {
    const result: unknown = await client.multicall({
      contracts: contracts as never,
      allowFailure,
      deployless: true,
      batchSize: 0,
      ...(blockNumber === undefined ? {} : { blockNumber }),
    });
    return result as unknown[];
  } catch (error) {
    if (contracts.length < 2 || !isResultTooLarge(error)) throw error;
    const half = Math.ceil(contracts.length / 2);
    const [first, second] = await Promise.all([
      readSplit(client, contracts.slice(0, half), blockNumber, allowFailure),
      readSplit(client, contracts.slice(half), blockNumber, allowFailure),
    ]);
    return [...first, ...second];
  }
}

/**
 * Collects reads for one multicall and hands back, for each, a typed getter of its result: a page that reads a
 * variable number of views (per fund, per position) keeps each result's type without counting indexes by hand.
 *
 *   const batch = callBatch();
 *   const nav = batch.add({ address, abi, functionName: "navRao" });
 *   const { results } = await readAtHead(client, batch.calls);
 *   nav(results); // bigint
 */
export function callBatch() {
  const calls: ContractFunctionParameters[] = [];
  function add<
    const abi extends Abi,
    name extends ContractFunctionName<abi, "view" | "pure">,
    const args extends ContractFunctionArgs<abi, "view" | "pure", name>,
  >(call: { address: Address; abi: abi; functionName: name; args?: args }) {
    const index = calls.push(call as unknown as ContractFunctionParameters) - 1;
    return (results: readonly unknown[]) =>
      results[index] as ContractFunctionReturnType<abi, "view" | "pure", name, args>;
  }
  return { calls, add };
}

/** Whether a deployless call failed because its reads or its results exceed a contract size limit. */
export function isResultTooLarge(error: unknown): boolean {
  const text = error instanceof BaseError ? `${error.message} ${error.details}` : String(error);
  return /code is too large|max code size exceeded|code size limit|initcode size limit|max initcode size/i.test(text);
}

const unbatched = new WeakMap<PublicClient, PublicClient>();

/** The same client (its transport, JSON-RPC batching included) without multicall batching. */
export function withoutMulticallBatching(client: PublicClient): PublicClient {
  if (!client.batch?.multicall) return client;
  let plain = unbatched.get(client);
  if (plain === undefined) {
    const request = client.request as EIP1193RequestFn;
    plain = createPublicClient({
      chain: client.chain,
      // The client's own request already retries.
      transport: custom({ request: (args) => request(args as never) }, { retryCount: 0 }),
    });
    unbatched.set(client, plain);
  }
  return plain;
}

/** Chains whose node refused a state override: their head reads take two calls (see `readAtHead`). */
const noStateOverride = new Set<number>();

/** Reads at the head of the chain, with the head block's number and time (unix seconds, the chain's clock). */
export interface HeadRead<results> {
  blockNumber: bigint;
  timestamp: bigint;
  results: results;
}

/**
 * The latest block's number and time and the results of `contracts` at that block, in one `eth_call` at "latest":
 * Multicall3 is placed at its usual address for this call only (a state override, which Hardhat's node, geth and most
 * RPC nodes accept) and its `getBlockNumber` and `getCurrentBlockTimestamp` run with the reads. Its results are plain
 * return data, so unlike a deployless call they have no size limit (the lens's 128 markets are about 100 kB).
 *
 * A node that refuses the override (or ignores it: the call then returns no data) gets two rounds instead: the latest
 * block (`eth_getBlockByNumber`), then the reads at that block as one JSON-RPC batch; the chain is remembered so later
 * reads go there directly.
 */
export async function readAtHead<const contracts extends readonly ContractFunctionParameters[]>(
  client: PublicClient,
  contracts: contracts,
): Promise<HeadRead<MulticallReturnType<contracts, false>>> {
  const chainId = client.chain?.id ?? 0;
  if (!noStateOverride.has(chainId)) {
    try {
      const [blockNumber, timestamp, ...results] = (await withoutMulticallBatching(client).multicall({
        contracts: [
          { address: MULTICALL3_ADDRESS, abi: multicall3ViewsAbi, functionName: "getBlockNumber" },
          { address: MULTICALL3_ADDRESS, abi: multicall3ViewsAbi, functionName: "getCurrentBlockTimestamp" },
          ...contracts,
        ] as never,
        multicallAddress: MULTICALL3_ADDRESS,
        stateOverride: [{ address: MULTICALL3_ADDRESS, code: MULTICALL3_RUNTIME_CODE }],
        allowFailure: false,
        batchSize: 0,
      })) as unknown as [bigint, bigint, ...unknown[]];
      return { blockNumber, timestamp, results: results as MulticallReturnType<contracts, false> };
    } catch (error) {
      // The node could not be reached: nothing is learnt about state overrides.
      if (isTransportError(error)) throw error;
      const fallback = await readAtHeadInTwoRounds(client, contracts).catch(() => undefined);
      if (fallback === undefined) throw error;
      noStateOverride.add(chainId);
      return fallback;
    }
  }
  return readAtHeadInTwoRounds(client, contracts);
}

async function readAtHeadInTwoRounds<const contracts extends readonly ContractFunctionParameters[]>(
  client: PublicClient,
  contracts: contracts,
): Promise<HeadRead<MulticallReturnType<contracts, false>>> {
  const block = await client.getBlock({ blockTag: "latest" });
  if (block.number === null) throw new Error("the node returned a pending block as the latest");
  const blockNumber = block.number;
  const plain = withoutMulticallBatching(client);
  const results = await Promise.all(contracts.map((c) => plain.readContract({ ...c, blockNumber })));
  return { blockNumber, timestamp: block.timestamp, results: results as MulticallReturnType<contracts, false> };
}

function isTransportError(error: unknown): boolean {
  return (
    error instanceof BaseError && Boolean(error.walk((e) => e instanceof HttpRequestError || e instanceof TimeoutError))
  );
}

/** Forgets which chains refused a state override (tests). */
export function resetStateOverrideSupport(): void {
  noStateOverride.clear();
}
