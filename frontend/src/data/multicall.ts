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
  BaseError,
  createPublicClient,
  custom,
  type ContractFunctionParameters,
  type EIP1193RequestFn,
  type MulticallReturnType,
  type PublicClient,
} from "viem";

export async function readAll<const contracts extends readonly ContractFunctionParameters[]>(
  client: PublicClient,
  contracts: contracts,
  blockNumber?: bigint,
): Promise<MulticallReturnType<contracts, false>> {
  const result = await readSplit(withoutMulticallBatching(client), contracts, blockNumber);
  return result as MulticallReturnType<contracts, false>;
}

async function readSplit(
  client: PublicClient,
  contracts: readonly ContractFunctionParameters[],
  blockNumber: bigint | undefined,
): Promise<unknown[]> {
  if (contracts.length === 0) return [];
  try {
    const result: unknown = await client.multicall({
      contracts: contracts as never,
      allowFailure: false,
      deployless: true,
      batchSize: 0,
      ...(blockNumber === undefined ? {} : { blockNumber }),
    });
    return result as unknown[];
  } catch (error) {
    if (contracts.length < 2 || !isResultTooLarge(error)) throw error;
    const half = Math.ceil(contracts.length / 2);
    const [first, second] = await Promise.all([
      readSplit(client, contracts.slice(0, half), blockNumber),
      readSplit(client, contracts.slice(half), blockNumber),
    ]);
    return [...first, ...second];
  }
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
