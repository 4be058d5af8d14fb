/**
 * dApp benchmarks, written into bench/results.json (other keys kept):
 *   dapp_initial_js_gzip_bytes              gzip (level 9) of the JS that index.html loads up front (entry + preloads)
 *   dapp_markets_rpc_requests_128_subnets   JSON-RPC calls the markets page sends, from load until all 128 subnets
 *                                           and the connected wallet's 3 positions are shown (counted in the page
 *                                           at the moment they show)
 *   dapp_markets_http_requests_128_subnets  …the HTTP requests carrying them (JSON-RPC batching)
 *   dapp_markets_rpc_requests_with_volume_128_subnets  …and until the 24 h volume column is filled too (its older
 *                                           read follows the table; counted in the page at that moment)
 *   dapp_markets_rpc_requests_per_block     JSON-RPC calls of one refresh after a new block
 * Counted at the page's transport (every request to the RPC URL), in Chromium, against a Hardhat node with 128
 * registered subnets. Both load counts are taken inside the page at the moment the page shows what they wait for:
 * read from outside after the fact, the volume count could include a block poll sent after that moment, and it
 * changed from run to run. Run from the root: `npm run bench` (or `npm run bench -w alpha-markets-dapp`).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";

import { chromium, type Request } from "playwright-core";
import { createPublicClient, createWalletClient, http, parseEther, toHex, type Hex } from "viem";
import { mnemonicToAccount } from "viem/accounts";

import { CHROMIUM_ARGS, ensureChromium } from "../e2e/chromium.ts";
import { WALLET_NAME, installWallet } from "../e2e/wallet.ts";
import { evmToAccountId } from "../../keeper/chain/accountId.ts";
import type { CoreContractName } from "../src/data/contracts.ts";
import { alphaPoolsAbi, marketsLensAbi, subnetRegistryAbi } from "../src/generated.ts";
import { DIST_DIR, buildDapp, serveDapp } from "./dapp.ts";

const FRONTEND = path.resolve(import.meta.dirname, "..");
const ROOT = path.resolve(FRONTEND, "..");
const SUBNETS = 128;
const POSITIONS = 3;
const RAO = 10n ** 9n;
const MNEMONIC = "test test test test test test test test test test test junk";
const log = (line: string) => console.log(`[bench:dapp] ${line}`);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0 }, () => {
      const a = server.address();
      server.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
}

/** gzip of the JS index.html loads before anything is lazy-loaded. */
function initialJsGzipBytes(): number {
  const html = readFileSync(path.join(DIST_DIR, "index.html"), "utf8");
  const files = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="([^"]+\.js)"/g)].map(
    (m) => m[1]!,
  );
  if (files.length === 0) throw new Error("no script in dist/index.html");
  return files.reduce(
    (sum, f) => sum + gzipSync(readFileSync(path.join(DIST_DIR, f.replace(/^\//, ""))), { level: 9 }).length,
    0,
  );
}

// 1. A node with no interval mining during the measurement (blocks only from transactions and evm_mine).
const port = await freePort();
const rpcUrl = `http://127.0.0.1:${port}`;
const hardhatCli = path.join(
  path.dirname(createRequire(import.meta.url).resolve("hardhat/package.json")),
  "dist",
  "src",
  "cli.js",
);
const node = spawn(process.execPath, [hardhatCli, "node", "--hostname", "127.0.0.1", "--port", String(port)], {
  cwd: ROOT,
  detached: true,
  stdio: "ignore",
  env: { ...process.env, BLOCK_INTERVAL_MS: "3600000" },
});
const stopNode = () => {
  try {
    process.kill(-node.pid!, "SIGKILL");
  } catch {
    // gone
  }
};
process.once("exit", stopNode);
const tmp = mkdtempSync(path.join(tmpdir(), "alpha-markets-bench-"));

try {
  for (let i = 0; ; i++) {
    try {
      await fetch(rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}',
      });
      break;
    } catch {
      if (i > 300) throw new Error(`the node did not answer on ${rpcUrl}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  // 2. The economy with 128 subnets, and a wallet with positions on 3 of them.
  process.chdir(ROOT);
  const { network } = await import("hardhat");
  const { deployEconomy } = await import("../../scripts/lib/economy.ts");
  const connection = await network.create({ network: "localhost", override: { url: rpcUrl } });
  // deployEconomy's typed contracts come from the root project's Hardhat types; only the addresses are used here.
  const economy = (await deployEconomy(
    connection,
    {
      minTempo: 1n,
      minLockRao: 100n * RAO,
      lockReductionInterval: 1n,
      networkRateLimit: 0n,
      subnetLimit: BigInt(SUBNETS),
      initialBurnRao: 10n ** 8n,
    },
    { deploymentId: `bench-dapp-${process.pid}` },
  )) as unknown as Record<
    "pools" | "extension" | "registry" | "lens" | "metagraph" | "rootDividends" | "settlement",
    { address: Hex }
  >;
  const { pools, registry, lens, metagraph } = economy;
  // Reads and writes through the generated ABIs (the frontend's own typing of the contracts).
  const publicClient = createPublicClient({ transport: http(rpcUrl) });
  // Every contract exists from here on: a lower bound of their deployment blocks, where reads of older state and
  // log scans may start.
  const deployedBy = Number(await publicClient.getBlockNumber());
  const rpc = (method: string, params: unknown[]) =>
    fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
  const funder = mnemonicToAccount(MNEMONIC, { addressIndex: 0 });
  const account = mnemonicToAccount(MNEMONIC, { addressIndex: 50 });
  await rpc("hardhat_setBalance", [funder.address, toHex(parseEther("100000000"))]);
  await rpc("hardhat_setBalance", [account.address, toHex(parseEther("1000"))]);
  const send = async (
    from: typeof funder,
    request: Parameters<ReturnType<typeof createWalletClient>["writeContract"]>[0],
  ) => {
    const wallet = createWalletClient({ account: from, transport: http(rpcUrl) });
    const hash = await wallet.writeContract({ ...request, account: from, chain: null });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${request.functionName} reverted`);
  };
  await send(funder, {
    address: pools.address,
    abi: alphaPoolsAbi,
    functionName: "fundEmissionReserve",
    value: parseEther("1000000"),
  } as never);
  // Every subnet's owner hotkey is the funder's own account id (a hotkey proves control; one may own many uids 0).
  const ownerHotkey = evmToAccountId(funder.address);
  const deadline = 2n ** 40n;
  log(`registering ${SUBNETS} subnets`);
  const activeNetuids = () =>
    publicClient.readContract({ address: registry.address, abi: subnetRegistryAbi, functionName: "activeNetuids" });
  for (let i = 0; i < SUBNETS; i++) {
    const cost = await publicClient.readContract({
      address: registry.address,
      abi: subnetRegistryAbi,
      functionName: "lockCost",
    });
    await send(funder, {
      address: registry.address,
      abi: subnetRegistryAbi,
      functionName: "registerNetwork",
      args: [ownerHotkey, `Subnet ${i + 1}`, cost],
      value: cost * RAO,
    } as never);
    const netuids = await activeNetuids();
    await send(funder, {
      address: registry.address,
      abi: subnetRegistryAbi,
      functionName: "startCall",
      args: [netuids[netuids.length - 1]!],
    } as never);
  }
  const netuids = await activeNetuids();
  for (let i = 0; i < POSITIONS; i++) {
    await send(account, {
      address: pools.address,
      abi: alphaPoolsAbi,
      functionName: "addStake",
      args: [ownerHotkey, netuids[i]!, 0n, deadline],
      value: parseEther("10"),
    } as never);
  }
  const markets = await publicClient.readContract({
    address: lens.address,
    abi: marketsLensAbi,
    functionName: "markets",
  });
  log(`${markets.length} subnets registered; ${POSITIONS} positions for ${account.address}`);
  const contracts = {
    AlphaPools: pools,
    AlphaPoolsExtension: economy.extension,
    SubnetRegistry: registry,
    Metagraph: metagraph,
    RootDividends: economy.rootDividends,
    EpochSettlement: economy.settlement,
    MarketsLens: lens,
  } satisfies Record<CoreContractName, { address: Hex }> & Record<string, { address: Hex }>;
  await mkdir(path.join(tmp, "deployments"), { recursive: true });
  writeFileSync(
    path.join(tmp, "deployments", "31337.json"),
    JSON.stringify({
      chainId: 31337,
      contracts: Object.fromEntries(
        Object.entries(contracts).map(([n, c]) => [n, { address: c.address, startBlock: deployedBy }]),
      ),
    }),
  );
  await connection.close();

  // 3. The dApp for this chain, in Chromium, with a wallet that connected on an earlier visit.
  log("building the dApp");
  await buildDapp({ rpcUrl, deploymentsDir: path.join(tmp, "deployments"), blockSeconds: 12 });
  const gzipBytes = initialJsGzipBytes();
  const served = await serveDapp({ port: 0 });
  const browser = await chromium.launch({ executablePath: ensureChromium(log), headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await installWallet(context, { account, rpcUrl, chainId: 31337, knownChains: [31337] });
  const page = await context.newPage();
  await page.goto(served.url);
  await page.getByTestId("connect").click();
  await page.getByRole("dialog").getByRole("button", { name: WALLET_NAME }).click();
  await page.getByRole("button", { name: `Copy address ${account.address}` }).waitFor();

  let calls = 0;
  const methods: string[] = [];
  const onRequest = (request: Request) => {
    if (!request.url().startsWith(rpcUrl) || request.method() !== "POST") return;
    const body = JSON.parse(request.postData() ?? "null") as { method: string } | { method: string }[];
    const list = Array.isArray(body) ? body : [body];
    calls += list.length;
    methods.push(...list.map((c) => c.method));
  };
  page.on("request", onRequest);
  // The load is counted in the page itself: its JSON-RPC calls as it sends them (a wrapper of fetch, which viem's
  // HTTP transport uses), read at the moment the table shows every subnet and the wallet's positions (a
  // MutationObserver). A read the page starts after that moment (the volume column's) is not part of the load, however
  // soon it follows; polling the page from here could count it or not, by a few milliseconds.
  await context.addInitScript(
    ({ url, subnets, positions }) => {
      interface Counter {
        calls: number;
        http: number;
        methods: string[];
        atTable?: { calls: number; http: number; methods: string[] };
        atVolume?: { calls: number; http: number; methods: string[] };
      }
      const w = window as unknown as { __rpc: Counter };
      w.__rpc = { calls: 0, http: 0, methods: [] };
      const original = window.fetch.bind(window);
      window.fetch = (input, init) => {
        const target = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
        if (target.startsWith(url) && typeof init?.body === "string") {
          const body = JSON.parse(init.body) as { method: string } | { method: string }[];
          const list = Array.isArray(body) ? body : [body];
          w.__rpc.http++;
          w.__rpc.calls += list.length;
          w.__rpc.methods.push(...list.map((c) => c.method));
        }
        return original(input, init);
      };
      const shown = () =>
        document.querySelectorAll("tbody tr[data-netuid]").length === subnets &&
        [...document.querySelectorAll('[data-testid="position"]')].filter((e) => e.textContent?.includes("α"))
          .length === positions;
      const volumeShown = () =>
        [...document.querySelectorAll("tbody tr[data-netuid]")].filter((r) =>
          /τ/.test(r.children[7]?.textContent ?? ""),
        ).length === subnets;
      const now = () => ({ calls: w.__rpc.calls, http: w.__rpc.http, methods: [...w.__rpc.methods] });
      new MutationObserver(() => {
        if (w.__rpc.atTable === undefined && shown()) w.__rpc.atTable = now();
        if (w.__rpc.atTable !== undefined && w.__rpc.atVolume === undefined && volumeShown()) w.__rpc.atVolume = now();
      }).observe(document, { subtree: true, childList: true, characterData: true });
    },
    { url: rpcUrl, subnets: SUBNETS, positions: POSITIONS },
  );
  await page.reload();
  const rows = page.locator("tbody tr[data-netuid]");
  const positions = page.locator('[data-testid="position"]').filter({ hasText: "α" });
  const atTable = await page
    .waitForFunction(
      () =>
        (window as unknown as { __rpc: { atTable?: { calls: number; http: number; methods: string[] } } }).__rpc
          .atTable,
      undefined,
      { timeout: 60_000 },
    )
    .then((handle) => handle.jsonValue())
    .catch(async (error: unknown) => {
      await page.screenshot({ path: path.join(FRONTEND, "test-results", "bench-timeout.png") });
      console.log(await page.locator("main").textContent(), methods.join(","));
      throw error;
    });
  if (!atTable) throw new Error("the page did not record the moment its table showed");
  const loadMethods = atTable.methods;
  const loadCalls = atTable.calls;
  const loadHttp = atTable.http;
  log(`rendered ${await rows.count()} rows, ${await positions.count()} positions`);
  // The 24 h volume column: its older read follows the table.
  const atVolume = await page
    .waitForFunction(
      () => (window as unknown as { __rpc: { atVolume?: { calls: number; methods: string[] } } }).__rpc.atVolume,
      undefined,
      { timeout: 60_000 },
    )
    .then((handle) => handle.jsonValue());
  if (!atVolume) throw new Error("the page did not record the moment its volume column filled");
  const withVolumeCalls = atVolume.calls;
  log(`with the volume: ${withVolumeCalls} JSON-RPC calls (${atVolume.methods.join(", ")})`);

  // One refresh: a new block, until the summary shows it.
  calls = 0;
  await rpc("evm_mine", []);
  const head = await publicClient.getBlockNumber();
  await page
    .getByTestId("markets-summary")
    .filter({ hasText: `block ${head}` })
    .waitFor({ timeout: 30_000 });
  const perBlock = calls;
  await page.screenshot({ path: path.join(FRONTEND, "test-results", "markets-128.png"), fullPage: false });
  await browser.close();
  await served.close();

  const results = {
    dapp_initial_js_gzip_bytes: gzipBytes,
    dapp_markets_rpc_requests_128_subnets: loadCalls,
    dapp_markets_http_requests_128_subnets: loadHttp,
    dapp_markets_rpc_requests_with_volume_128_subnets: withVolumeCalls,
    dapp_markets_rpc_requests_per_block: perBlock,
  };
  log(`load: ${loadCalls} JSON-RPC calls in ${loadHttp} HTTP requests (${loadMethods.join(", ")})`);
  for (const [k, v] of Object.entries(results)) console.log(`${k.padEnd(40)} ${v}`);
  const out = path.join(ROOT, "bench", "results.json");
  const previous = await readFile(out, "utf8")
    .then((t) => JSON.parse(t) as Record<string, unknown>)
    .catch(() => ({}));
  await writeFile(out, `${JSON.stringify({ ...previous, ...results }, null, 2)}\n`);
  log(`wrote ${path.relative(ROOT, out)}`);
} finally {
  stopNode();
  rmSync(tmp, { recursive: true, force: true });
  rmSync(path.join(ROOT, "ignition", "deployments", `bench-dapp-${process.pid}`), { recursive: true, force: true });
}
process.exit(0);
