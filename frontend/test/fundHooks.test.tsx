/**
 * The funds' data hooks against a JSON-RPC node played in the test: it answers every read the hooks send (the
 * factory's list, the deployless probe of each fund's kind, the head read through Multicall3 placed by a state
 * override, the account's logs) from a small table of fund states, decoding each call with the contracts' ABIs. The
 * wallet is wagmi's mock connector.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import {
  type Abi,
  type Address,
  type Hex,
  decodeAbiParameters,
  decodeFunctionData,
  encodeAbiParameters,
  encodeEventTopics,
  encodeFunctionResult,
  getAddress,
  multicall3Abi,
  numberToHex,
  pad,
  RpcRequestError,
} from "viem";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { WagmiProvider, createConfig, custom } from "wagmi";
import { connect } from "wagmi/actions";
import { mock } from "wagmi/connectors/mock";

import { chains } from "../src/config/chains.ts";
import type { WagmiConfig } from "../src/config/wagmi.ts";
import { MULTICALL3_ADDRESS, multicall3ViewsAbi } from "../src/data/multicall3.ts";
import { allocatorFundAbi, miningFundAbi, subnetIndexFundAbi } from "../src/generated.funds.ts";
import { fundFactoryAbi } from "../src/generated.ts";
import { rpcBlock } from "./rpcBlock.ts";

const FACTORY = getAddress("0x00000000000000000000000000000000000fac70");
const MINING = getAddress("0x000000000000000000000000000000000000f001");
const ALLOC = getAddress("0x000000000000000000000000000000000000f002");
const ACCOUNT = getAddress("0x00000000000000000000000000000000000000a1");
const HOTKEY: Hex = `0x${"ab".repeat(32)}`;
const TAO = 10n ** 9n;
const SHARE = 10n ** 18n;
/** The node's head block; a test may move it. */
let HEAD = 500n;
/** When set, the node reverts every read (as a broken contract would). */
let failing = false;
const NOW = 1_700_000_000n;

// The contracts every page needs, at made-up addresses (the hooks only need them to exist), and the fund factory.
vi.mock("../src/generated.ts", async (original) => {
  const generated = await original<typeof import("../src/generated.ts")>();
  const at = (n: number) => ({ address: pad(numberToHex(n), { size: 20 }), startBlock: 1 });
  return {
    ...generated,
    deployments: {
      31337: {
        AlphaPools: at(1),
        EpochSettlement: at(2),
        MarketsLens: at(3),
        Metagraph: at(4),
        RootDividends: at(5),
        SubnetRegistry: at(6),
        FundFactory: { address: "0x00000000000000000000000000000000000fac70", startBlock: 7 },
      },
    },
  };
});

const { fundsQueryKey, useFunds } = await import("../src/data/funds.ts");
const { redemptionsOf, useFundActivity } = await import("../src/data/fundActivity.ts");

/** What each fund answers: its kind's ABI and a value per view (functions of another kind revert). */
const FUNDS: Record<string, { abi: Abi; views: Record<string, unknown> }> = {
  [MINING]: {
    abi: miningFundAbi,
    views: {
      phase: 1,
      positions: [{ netuid: 3, hotkey: HOTKEY, vault: "0x0000000000000000000000000000000000000000" }],
      name: "Miners",
      symbol: "MINE",
      navRao: 330n * TAO,
      sharePriceRaoPerShareWad: 1_100_000_000n,
      totalSupply: 300n * SHARE,
      managementFeeBps: 200,
      performanceFeeBps: 1000,
      noticePeriodSeconds: 3600,
      minRedemptionShares: SHARE / 100n,
      isShutDown: false,
      terms: {
        softCapRao: 100n * TAO,
        hardCapRao: 300n * TAO,
        startTime: NOW - 86_400n,
        endTime: NOW + 86_400n,
        minContributionRao: TAO,
        maxContributionRao: 150n * TAO,
        allowlistRoot: `0x${"00".repeat(32)}`,
        organization: ACCOUNT,
        organizationAllocationBps: 1000,
        vestingCliffSeconds: 0n,
        vestingDurationSeconds: 0n,
      },
      totalRaisedRao: 300n * TAO,
      finalizedAt: NOW - 100n,
      organizationShares: 0n,
      balanceOf: 100n * SHARE,
      claimableRao: 0n,
      contributedRao: 100n * TAO,
      sharesClaimed: true,
    },
  },
  [ALLOC]: {
    abi: allocatorFundAbi,
    views: {
      positions: [],
      name: "Allocator",
      symbol: "ALLOC",
      navRao: 100n * TAO,
      sharePriceRaoPerShareWad: TAO,
      totalSupply: 100n * SHARE,
      managementFeeBps: 0,
      performanceFeeBps: 0,
      noticePeriodSeconds: 0,
      minRedemptionShares: 0n,
      isShutDown: false,
      balanceOf: 0n,
      claimableRao: 2n * TAO,
    },
  },
};

/** One call of a read: its return data, or undefined when the contract reverts (an unknown function). */
function answer(to: Address, data: Hex): Hex | undefined {
  if (to.toLowerCase() === FACTORY.toLowerCase()) {
    return encodeFunctionResult({ abi: fundFactoryAbi, functionName: "funds", result: [MINING, ALLOC] });
  }
  if (to.toLowerCase() === MULTICALL3_ADDRESS.toLowerCase()) {
    const { functionName } = decodeFunctionData({ abi: multicall3ViewsAbi, data });
    return encodeFunctionResult({
      abi: multicall3ViewsAbi,
      functionName,
      result: functionName === "getBlockNumber" ? HEAD : NOW,
    });
  }
  const fund = FUNDS[getAddress(to)];
  if (!fund) return undefined;
  let functionName: string;
  try {
    ({ functionName } = decodeFunctionData({ abi: fund.abi, data }));
  } catch {
    return undefined; // no such function on this kind of fund: it reverts
  }
  if (!(functionName in fund.views)) throw new Error(`the test's ${to} has no value for ${functionName}`);
  return encodeFunctionResult({ abi: fund.abi, functionName, result: fund.views[functionName] });
}

function aggregate3(data: Hex): Hex {
  const { args } = decodeFunctionData({ abi: multicall3Abi, data });
  const calls = args[0] as readonly { target: Address; callData: Hex }[];
  return encodeFunctionResult({
    abi: multicall3Abi,
    functionName: "aggregate3",
    result: calls.map((c) => {
      const out = answer(c.target, c.callData);
      return { success: out !== undefined, returnData: out ?? "0x" };
    }),
  });
}

// Each test's hooks stop polling when it ends.
afterEach(cleanup);

/** The size of viem's deployless wrapper, whose constructor takes (code, data) after it. */
let deploylessBytecodeLength = 0;
beforeAll(() => {
  const viemDir = path.dirname(createRequire(import.meta.url).resolve("viem/package.json"));
  const source = readFileSync(path.join(viemDir, "constants", "contracts.ts"), "utf8");
  const match = /deploylessCallViaBytecodeBytecode =\s*["'](0x[0-9a-f]+)["']/.exec(source);
  if (!match) throw new Error("viem no longer ships its deployless wrapper where this test reads it");
  deploylessBytecodeLength = match[1]!.length;
});

/** A revert as an HTTP node reports it (JSON-RPC error 3), which the client does not retry. */
function reverted(): Error {
  return new RpcRequestError({ body: {}, url: "http://node", error: { code: 3, message: "execution reverted" } });
}

const logs: unknown[] = [];
const requests: string[] = [];

function request({ method, params }: { method: string; params?: unknown }): unknown {
  const list = (params ?? []) as unknown[];
  const to = (list[0] as { to?: string } | undefined)?.to?.toLowerCase();
  requests.push(method === "eth_call" && to === MULTICALL3_ADDRESS.toLowerCase() ? "eth_call:head" : method);
  switch (method) {
    case "eth_chainId":
      return numberToHex(31_337);
    case "eth_blockNumber":
      return numberToHex(HEAD);
    case "eth_getBlockByNumber":
      return rpcBlock(HEAD, NOW);
    case "eth_getLogs": {
      // As a node filters: each topic position is null (any), one topic, or a list of alternatives.
      const filter = list[0] as { topics: (Hex | Hex[] | null)[] };
      return logs.filter((log) =>
        filter.topics.every((wanted, i) => {
          const topic = (log as { topics: Hex[] }).topics[i]?.toLowerCase();
          if (wanted === null) return true;
          return (Array.isArray(wanted) ? wanted : [wanted]).some((w) => w.toLowerCase() === topic);
        }),
      );
    }
    case "eth_call": {
      if (failing) throw reverted();
      const call = list[0] as { to?: Address; data: Hex };
      if (call.to === undefined) {
        // A deployless multicall: the wrapper's constructor gets Multicall3's code and the aggregate3 call.
        const [, data] = decodeAbiParameters(
          [{ type: "bytes" }, { type: "bytes" }],
          `0x${call.data.slice(deploylessBytecodeLength)}`,
        );
        return aggregate3(data);
      }
      if (call.to.toLowerCase() === MULTICALL3_ADDRESS.toLowerCase()) return aggregate3(call.data);
      const out = answer(call.to, call.data);
      if (out === undefined) throw reverted();
      return out;
    }
    default:
      throw new Error(`the test node does not answer ${method}`);
  }
}

async function setUp() {
  // While failing, the node takes a little time to answer, as a real one does (the page renders in between).
  const transport = custom({
    request: async (args: { method: string; params?: unknown }) => {
      if (failing) await new Promise((r) => setTimeout(r, 20));
      return request(args);
    },
  });
  const config = createConfig({
    chains,
    // No storage: a connection restored from an earlier test's would race with this one's.
    storage: null,
    connectors: [mock({ accounts: [ACCOUNT] })],
    // Only the local chain is read; the others are there because the app's config type lists them.
    transports: { [chains[0].id]: transport, [chains[1].id]: transport, [chains[2].id]: transport },
    pollingInterval: 50,
  });
  await connect(config, { connector: config.connectors[0] });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <WagmiProvider config={config as unknown as WagmiConfig} reconnectOnMount={false}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </WagmiProvider>
  );
  return { wrapper, queryClient };
}

describe("useFunds", () => {
  it("lists the factory's funds with their kind, figures and the account's part, read at the head", async () => {
    const { wrapper } = await setUp();
    const { result } = renderHook(() => useFunds(), { wrapper });
    await waitFor(() => expect(result.current.snapshot).toBeDefined(), { timeout: 5000 });
    const { snapshot } = result.current;
    expect(snapshot!.blockNumber).toBe(HEAD);
    expect(snapshot!.timestamp).toBe(NOW);
    const [mining, alloc] = snapshot!.funds;
    expect(mining).toMatchObject({
      address: MINING,
      kind: "mining",
      name: "Miners",
      navRao: 330n * TAO,
      sharePriceRaoPerShareWad: 1_100_000_000n,
      positions: [{ index: 0, netuid: 3, hotkey: HOTKEY, vault: undefined }],
      account: { shares: 100n * SHARE, claimableRao: 0n, contributedRao: 100n * TAO, sharesClaimed: true },
    });
    expect(mining!.raise).toMatchObject({ phase: "succeeded", totalRaisedRao: 300n * TAO, hardCapRao: 300n * TAO });
    // An allocator answers neither `phase` nor `toleranceBps`; it has no raise.
    expect(alloc).toMatchObject({
      kind: "allocator",
      raise: undefined,
      account: { shares: 0n, claimableRao: 2n * TAO },
    });
    expect(fundsQueryKey(31_337)).toEqual(["funds", 31_337]);
  });
});

describe("a head read (useHeadQuery, through useFunds)", () => {
  it("reads again at each new block, and after a failure waits for the next block instead of retrying at once", async () => {
    HEAD = 500n;
    failing = false;
    const { wrapper } = await setUp();
    const { result } = renderHook(() => useFunds(), { wrapper });
    await waitFor(() => expect(result.current.snapshot?.blockNumber).toBe(500n), { timeout: 5000 });
    const headReads = () => requests.filter((m) => m === "eth_call:head").length;

    // A new block: one more read, which now fails; the page keeps the block it showed.
    failing = true;
    const before = headReads();
    HEAD = 501n;
    await waitFor(() => expect(headReads()).toBeGreaterThan(before), { timeout: 5000 });
    await new Promise((r) => setTimeout(r, 600)); // a dozen polls of the same head
    expect(headReads() - before).toBe(1);
    expect(result.current.snapshot?.blockNumber).toBe(500n);

    // The next block: tried once more, and it works again.
    failing = false;
    HEAD = 502n;
    await waitFor(() => expect(result.current.snapshot?.blockNumber).toBe(502n), { timeout: 5000 });
    expect(headReads() - before).toBe(2);
    HEAD = 500n;
  });
});

describe("useFundActivity", () => {
  it("reads the account's events in the funds and follows its requests", async () => {
    const { wrapper } = await setUp();
    const topic = (eventName: "RedemptionRequested" | "RedemptionFilled", args: Record<string, unknown>) =>
      encodeEventTopics({ abi: subnetIndexFundAbi, eventName, args });
    logs.length = 0;
    logs.push(
      {
        address: MINING,
        blockNumber: numberToHex(10n),
        logIndex: "0x0",
        transactionIndex: "0x0",
        transactionHash: `0x${"01".repeat(32)}`,
        blockHash: `0x${"02".repeat(32)}`,
        removed: false,
        topics: topic("RedemptionRequested", { id: 4n, owner: ACCOUNT }),
        data: encodeAbiParameters(
          [{ type: "address" }, { type: "uint256" }, { type: "bool" }, { type: "uint256" }],
          [ACCOUNT, 5n * SHARE, false, NOW + 60n],
        ),
      },
      {
        address: MINING,
        blockNumber: numberToHex(12n),
        logIndex: "0x1",
        transactionIndex: "0x0",
        transactionHash: `0x${"03".repeat(32)}`,
        blockHash: `0x${"04".repeat(32)}`,
        removed: false,
        topics: topic("RedemptionFilled", { id: 4n, receiver: ACCOUNT }),
        data: encodeAbiParameters([{ type: "uint256" }, { type: "uint256" }], [5n * SHARE, 5_400_000_000n]),
      },
    );
    requests.length = 0;
    const { result } = renderHook(() => useFundActivity([MINING, ALLOC]), { wrapper });
    await waitFor(() => expect(result.current.data).toBeDefined(), { timeout: 5000 });
    // Two log queries: the account as the 2nd topic (none here), and as the 3rd (the request and its fill).
    expect(requests.filter((m) => m === "eth_getLogs")).toHaveLength(2);
    expect(result.current.data!.map((e) => e.type)).toEqual(["requested", "filled"]);
    const [redemption] = redemptionsOf(result.current.data!, MINING, [], NOW);
    expect(redemption).toMatchObject({
      id: 4n,
      requestedShares: 5n * SHARE,
      filledShares: 5n * SHARE,
      paidTaoRao: 5_400_000_000n,
      status: "paid",
    });
  });
});
