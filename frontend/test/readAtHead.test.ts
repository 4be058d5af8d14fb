import {
  createPublicClient,
  custom,
  decodeFunctionData,
  encodeFunctionData,
  encodeFunctionResult,
  multicall3Abi,
  numberToHex,
  RpcRequestError,
  type Hex,
} from "viem";
import { beforeEach, describe, expect, it } from "vitest";

import { readAtHead, resetStateOverrideSupport } from "../src/data/multicall.ts";
import { MULTICALL3_ADDRESS, MULTICALL3_RUNTIME_CODE, multicall3ViewsAbi } from "../src/data/multicall3.ts";
import { marketsLensAbi } from "../src/generated.ts";
import { rpcBlock } from "./rpcBlock.ts";

const LENS = "0x00000000000000000000000000000000000000aa" as const;
const lensCall = { address: LENS, abi: marketsLensAbi, functionName: "quoteStake", args: [3, 1_000n] } as const;

/** A node as JSON-RPC sees it: each request is recorded; `overrides` says whether it honours a state override. */
function fakeNode(options: {
  overrides: "honoured" | "refused" | "ignored";
  head: bigint;
  time: bigint;
  quote: bigint;
}) {
  const requests: { method: string; params: unknown[] }[] = [];
  const answer = ({ method, params }: { method: string; params?: unknown }): unknown => {
    const list = (params ?? []) as unknown[];
    requests.push({ method, params: list });
    if (method === "eth_chainId") return numberToHex(31_337);
    if (method === "eth_getBlockByNumber") return rpcBlock(options.head, options.time);
    if (method !== "eth_call") throw new Error(`unexpected ${method}`);
    const [call, , override] = list as [{ to: Hex; data: Hex }, string, Record<string, { code?: Hex }> | undefined];
    const quoteResult = encodeFunctionResult({
      abi: marketsLensAbi,
      functionName: "quoteStake",
      result: options.quote,
    });
    if (call.to.toLowerCase() === LENS) return quoteResult;
    // A call to Multicall3's address: only the override gives it code.
    if (override !== undefined && options.overrides === "refused") {
      throw new RpcRequestError({ body: {}, url: "http://node", error: { code: -32602, message: "invalid params" } });
    }
    const code = options.overrides === "honoured" ? override?.[MULTICALL3_ADDRESS]?.code : undefined;
    if (code !== MULTICALL3_RUNTIME_CODE) return "0x";
    const { args } = decodeFunctionData({ abi: multicall3Abi, data: call.data });
    const calls = args[0] as readonly { target: Hex; callData: Hex }[];
    return encodeFunctionResult({
      abi: multicall3Abi,
      functionName: "aggregate3",
      result: calls.map((c) => ({
        success: true,
        returnData:
          c.target !== MULTICALL3_ADDRESS
            ? quoteResult
            : c.callData === encodeFunctionData({ abi: multicall3ViewsAbi, functionName: "getBlockNumber" })
              ? encodeFunctionResult({ abi: multicall3ViewsAbi, functionName: "getBlockNumber", result: options.head })
              : encodeFunctionResult({
                  abi: multicall3ViewsAbi,
                  functionName: "getCurrentBlockTimestamp",
                  result: options.time,
                }),
      })),
    });
  };
  const request = async (args: { method: string; params?: unknown }) => Promise.resolve().then(() => answer(args));
  const client = createPublicClient({ transport: custom({ request }, { retryCount: 0 }) });
  return { client, requests };
}

describe("readAtHead", () => {
  beforeEach(() => resetStateOverrideSupport());

  it("reads the block number and the results in one eth_call, with Multicall3 as a state override", async () => {
    const node = fakeNode({ overrides: "honoured", head: 1234n, time: 1_700_000_000n, quote: 77n });
    const { blockNumber, timestamp, results } = await readAtHead(node.client as never, [lensCall] as const);
    expect(blockNumber).toBe(1234n);
    expect(timestamp).toBe(1_700_000_000n);
    expect(results).toEqual([77n]);
    const calls = node.requests.filter((r) => r.method !== "eth_chainId");
    expect(calls.map((r) => r.method)).toEqual(["eth_call"]);
    expect(calls[0]!.params[1]).toBe("latest");
  });

  for (const overrides of ["refused", "ignored"] as const) {
    it(`falls back to the latest block and a read at that block when the node ${overrides} the override, once`, async () => {
      const node = fakeNode({ overrides, head: 99n, time: 1_700_000_123n, quote: 5n });
      const first = await readAtHead(node.client as never, [lensCall] as const);
      expect(first).toEqual({ blockNumber: 99n, timestamp: 1_700_000_123n, results: [5n] });
      const second = await readAtHead(node.client as never, [lensCall] as const);
      expect(second).toEqual({ blockNumber: 99n, timestamp: 1_700_000_123n, results: [5n] });
      const methods = node.requests.filter((r) => r.method !== "eth_chainId");
      // The first read tries the override, then falls back; the second goes straight to the two calls.
      expect(methods.map((r) => r.method)).toEqual([
        "eth_call",
        "eth_getBlockByNumber",
        "eth_call",
        "eth_getBlockByNumber",
        "eth_call",
      ]);
      expect(methods[2]!.params[1]).toBe(numberToHex(99n));
    });
  }
});
