/**
 * End-to-end tests of the dApp in a real browser (Debian's Chromium through playwright-core) against a real local
 * chain: `scripts/start.ts --once` (the `npm start` path) starts a Hardhat node on a free port, deploys, seeds, builds
 * the dApp and serves it; the tests then drive the pages with a wallet that really signs (wallet.ts).
 *
 * Prints mocha-style results ("N passing", "N failing") for scripts/test-all.sh; screenshots of each page go to
 * frontend/test-results/e2e/. Run: `npm run test:e2e -w alpha-markets-dapp` (or `npm test` at the root).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import {
  createPublicClient,
  createWalletClient,
  decodeFunctionData,
  encodeFunctionData,
  http,
  keccak256,
  parseEther,
  parseEventLogs,
  toHex,
  zeroAddress,
  type Hex,
  type LocalAccount,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";

import { allocatorFundAbi, fundEngineAbi, miningFundAbi } from "../src/generated.funds.ts";
import {
  allocationRouterAbi,
  alphaPoolsAbi,
  epochSettlementAbi,
  fundFactoryAbi,
  liquidAlphaVaultAbi,
  liquidVaultFactoryAbi,
  marketsLensAbi,
} from "../src/generated.ts";
import { formatUnits18 } from "../src/lib/format.ts";
import { coldkeyOf } from "../src/lib/units.ts";
import { CHROMIUM_ARGS, ensureChromium } from "./chromium.ts";
import { createSettler } from "./settle.ts";
import { WALLET_NAME, installWallet, switchWalletChain } from "./wallet.ts";

const FRONTEND = path.resolve(import.meta.dirname, "..");
const ROOT = path.resolve(FRONTEND, "..");
const ARTIFACTS = path.join(FRONTEND, "test-results", "e2e");
const LOCAL_CHAIN_ID = 31_337;
const MNEMONIC = "test test test test test test test test test test test junk";

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const log = (line: string) => console.log(`  [e2e ${elapsed()}] ${line}`);

/* THE CHAIN AND THE DAPP (npm start, once-mode) */

interface Stack {
  rpcUrl: string;
  dappUrl: string;
  deploymentsFile: string;
  stop(): Promise<void>;
}

async function startStack(): Promise<Stack> {
  const tmp = mkdtempSync(path.join(tmpdir(), "alpha-markets-e2e-"));
  const deploymentId = `e2e-${process.pid}`;
  const child: ChildProcess = spawn(process.execPath, ["scripts/start.ts", "--once"], {
    cwd: ROOT,
    detached: true,
    stdio: ["pipe", "pipe", "pipe"],
    env: {
      ...process.env,
      RPC_PORT: String(await freePort()),
      DAPP_PORT: String(await freePort()),
      BLOCK_INTERVAL_MS: "1000",
      DEPLOYMENTS_DIR: path.join(tmp, "deployments"),
      IGNITION_DEPLOYMENT_ID: deploymentId,
      NODE_LOG: path.join(tmp, "node.log"),
      START_ONCE_WAIT_STDIN: "1",
      START_ONCE_WAIT_MS: "600000",
      // The keepers settle the seed's history, then leave the epochs to the tests' settler (settle.ts), so that
      // miners' credits stay unclaimed for the dApp.
      KEEPERS: "0",
    },
  });
  let output = "";
  const append = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    child.stdin?.end();
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // gone
      }
    }
    rmSync(path.join(ROOT, "ignition", "deployments", deploymentId), { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  };
  // npm start --once seeds the economy, liquid staking and funds: about a minute on an idle 2-core machine, several
  // when the machine is busy.
  const deadline = Date.now() + 480_000;
  while (!output.includes("[start] ready")) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`npm start --once did not get ready:\n${output.slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const rpcUrl = /answers on (http:\/\/[\d.:]+)/.exec(output)?.[1];
  const dappUrl = /serving the dApp on (http:\/\/\S+)/.exec(output)?.[1];
  if (!rpcUrl || !dappUrl) throw new Error(`no RPC or dApp URL in the output:\n${output.slice(-2000)}`);
  return { rpcUrl, dappUrl, deploymentsFile: path.join(tmp, "deployments", "31337.json"), stop };
}

async function freePort(): Promise<number> {
  const net = await import("node:net");
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port: 0 }, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/* A TINY MOCHA-STYLE HARNESS */

interface Case {
  name: string;
  run: () => Promise<void>;
}
const cases: Case[] = [];
/** E2E_GREP=<regular expression> runs only the tests whose name matches it (while working on one page; tests may
 * depend on earlier ones, e.g. the portfolio on the allocation). */
const only = process.env.E2E_GREP ? new RegExp(process.env.E2E_GREP) : undefined;
const it = (name: string, run: () => Promise<void>) => {
  if (!only || only.test(name)) cases.push({ name, run });
};

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/* THE TESTS */

const stackStarted = Date.now();
const chromiumPath = ensureChromium((line) => log(line));
log("starting the local chain and the dApp (npm start --once)");
const stack = await startStack();
log(`chain ${stack.rpcUrl}, dApp ${stack.dappUrl} (ready in ${((Date.now() - stackStarted) / 1000).toFixed(1)} s)`);
mkdirSync(ARTIFACTS, { recursive: true });

const deployments = JSON.parse(readFileSync(stack.deploymentsFile, "utf8")) as {
  contracts: Record<string, { address: Hex; startBlock: number }>;
  funds?: Record<string, { address: Hex; kind: string; startBlock: number }>;
};
const chain = createPublicClient({ transport: http(stack.rpcUrl) });
const pools = deployments.contracts.AlphaPools!.address;
const lens = deployments.contracts.MarketsLens!.address;
const markets = await chain.readContract({ address: lens, abi: marketsLensAbi, functionName: "markets" });
// The deepest pool: a 5 TAO stake there moves the price by well under the 10 % the stake test allows.
const subnet = markets.reduce((a, b) => (b.taoReserveRao > a.taoReserveRao ? b : a));

// The test wallet's own account (not one of the node's unlocked ones), funded by the node.
const account = mnemonicToAccount(MNEMONIC, { addressIndex: 50 });
await chain.request({
  method: "hardhat_setBalance" as never,
  params: [account.address, toHex(parseEther("1000"))] as never,
});

/** The page the running test opened last: on a failure its screenshot and text are kept. */
let lastPage: Page | undefined;

const browser: Browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });

async function openApp(
  options: {
    walletChainId?: number;
    hash?: string;
    viewport?: { width: number; height: number };
    account?: LocalAccount;
  } = {},
) {
  const context: BrowserContext = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 900 },
  });
  const wallet = await installWallet(context, {
    account: options.account ?? account,
    rpcUrl: stack.rpcUrl,
    chainId: options.walletChainId ?? LOCAL_CHAIN_ID,
    knownChains: [LOCAL_CHAIN_ID, 945, 964],
  });
  const page = await context.newPage();
  lastPage = page;
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${stack.dappUrl}${options.hash ?? ""}`);
  return { context, page, wallet, errors };
}

/**
 * The README's screenshots (docs/screenshots/<name>.png, the top 1280 × 800 of the page), written when
 * E2E_README_SCREENSHOTS=1 (`npm run screenshots -w alpha-markets-dapp`).
 */
const README_SHOTS = process.env.E2E_README_SCREENSHOTS === "1" ? path.join(ROOT, "docs", "screenshots") : undefined;
async function readmeShot(page: Page, name: string): Promise<void> {
  if (!README_SHOTS) return;
  mkdirSync(README_SHOTS, { recursive: true });
  // Without the toasts of the test's own transactions.
  const dismiss = page.getByRole("button", { name: "Dismiss" });
  while ((await dismiss.count()) > 0) await dismiss.first().click();
  await page.screenshot({
    path: path.join(README_SHOTS, `${name}.png`),
    clip: { x: 0, y: 0, width: 1280, height: 800 },
  });
}

async function connect(page: Page, as: LocalAccount = account): Promise<void> {
  await page.getByTestId("connect").click();
  await page.getByRole("dialog").getByRole("button", { name: WALLET_NAME }).click();
  await page.getByRole("button", { name: `Copy address ${as.address}` }).waitFor({ timeout: 10_000 });
}

async function stakeOf(hotkey: Hex): Promise<bigint> {
  return chain.readContract({
    address: pools,
    abi: alphaPoolsAbi,
    functionName: "getStake",
    args: [hotkey, coldkeyOf(account.address), subnet.netuid],
  });
}

async function selectedHotkey(page: Page): Promise<Hex> {
  return (await page.getByLabel("Hotkey to stake to").inputValue()) as Hex;
}

it("shows every seeded subnet on the markets page, on desktop and phone", async () => {
  const { page, context, errors } = await openApp();
  const rows = page.getByTestId("markets-table").locator("tbody tr[data-netuid]");
  await rows.first().waitFor({ timeout: 15_000 });
  check((await rows.count()) === markets.length, `expected ${markets.length} rows, saw ${await rows.count()}`);
  await page.getByLabel("Search subnets by name or netuid").fill(subnet.name);
  check((await rows.count()) === 1, `search for ${subnet.name} should leave one row`);
  await page.getByLabel("Search subnets by name or netuid").fill("");
  await page.screenshot({ path: path.join(ARTIFACTS, "markets.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(ARTIFACTS, "markets-phone.png"), fullPage: true });
  check(errors.length === 0, `page errors: ${errors.join("; ")}`);
  await context.close();
});

it("connects a wallet discovered with EIP-6963", async () => {
  const { page, context, wallet } = await openApp();
  await page.getByTestId("connect").click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: WALLET_NAME }).waitFor();
  check(
    await dialog.getByRole("button", { name: /Dev wallet/ }).isVisible(),
    "the dev wallet is offered on the local chain",
  );
  await page.screenshot({ path: path.join(ARTIFACTS, "connect.png") });
  await dialog.getByRole("button", { name: WALLET_NAME }).click();
  await page.getByRole("button", { name: `Copy address ${account.address}` }).waitFor({ timeout: 10_000 });
  await page.getByTestId("balance").filter({ hasText: "τ" }).waitFor();
  check(wallet.calls.includes("eth_requestAccounts"), "the page asked the wallet for accounts");
  await context.close();
});

it("stakes with a slippage limit, and the chain has the stake", async () => {
  const { page, context, wallet } = await openApp({ hash: `#/subnet/${subnet.netuid}` });
  await connect(page);
  const hotkey = await selectedHotkey(page);
  const before = await stakeOf(hotkey);
  await page.getByTestId("amount").fill("5");
  await page.getByTestId("slippage").fill("1");
  await page.getByTestId("quote-out").filter({ hasText: "α" }).waitFor();
  await page
    .getByTestId("tx-button")
    .filter({ hasText: /^Stake$/ })
    .click();
  await page.getByTestId("tx-status").filter({ hasText: "Confirmed in block" }).waitFor({ timeout: 30_000 });
  // Regression: the price history's replayed reserves must equal the pool as stored at its last catch-up (they
  // were compared with the reserves as of the block, which include the catch-up due since, and never matched).
  await page.locator('[data-testid="history-check"][data-matches="yes"]').waitFor({ timeout: 15_000 });
  await page.screenshot({ path: path.join(ARTIFACTS, "subnet-staked.png"), fullPage: true });
  await readmeShot(page, "subnet");

  check(wallet.sent.length === 1, `one transaction signed by the wallet, saw ${wallet.sent.length}`);
  const hash = wallet.sent[0]!;
  const [tx, receipt] = await Promise.all([chain.getTransaction({ hash }), chain.getTransactionReceipt({ hash })]);
  check(receipt.status === "success", "the stake was mined successfully");
  const call = decodeFunctionData({ abi: alphaPoolsAbi, data: tx.input });
  check(call.functionName === "addStakeLimit", `sent ${call.functionName}, expected addStakeLimit`);
  const [sentHotkey, sentNetuid, limitPriceRao, allowPartial, deadline] = call.args as [
    Hex,
    number,
    bigint,
    boolean,
    bigint,
  ];
  check(sentHotkey === hotkey && sentNetuid === subnet.netuid, "staked to the chosen hotkey and subnet");
  check(tx.value === parseEther("5"), `sent ${tx.value} wei, expected 5 TAO`);
  check(allowPartial === false, "all or nothing within the limit");
  const block = await chain.getBlock({ blockNumber: receipt.blockNumber - 1n });
  const marketBefore = await chain.readContract({
    address: lens,
    abi: marketsLensAbi,
    functionName: "market",
    args: [subnet.netuid],
    blockNumber: receipt.blockNumber - 1n,
  });
  const spotBefore = marketBefore.spotPriceWad / 10n ** 9n;
  check(limitPriceRao > spotBefore, `the limit ${limitPriceRao} is above the spot price ${spotBefore}`);
  check(
    limitPriceRao < (spotBefore * 110n) / 100n,
    `the limit ${limitPriceRao} is within 10 % of spot ${spotBefore} for a 5 TAO stake`,
  );
  check(
    deadline > block.timestamp && deadline <= block.timestamp + 20n * 60n + 120n,
    "deadline ≈ 20 min after the chain's clock",
  );
  const after = await stakeOf(hotkey);
  check(after > before, `stake grew on chain (${before} → ${after})`);

  // The markets page now shows the position.
  await page.goto(`${stack.dappUrl}#/`);
  const position = page.locator(`tbody tr[data-netuid="${subnet.netuid}"] [data-testid="position"]`);
  await position.filter({ hasText: "α" }).waitFor({ timeout: 15_000 });
  await page.screenshot({ path: path.join(ARTIFACTS, "markets-with-position.png"), fullPage: true });
  await readmeShot(page, "markets");
  await context.close();
});

it("reports a rejected signature and sends nothing", async () => {
  const { page, context, wallet } = await openApp({ hash: `#/subnet/${subnet.netuid}` });
  await connect(page);
  wallet.rejectTransactions = true;
  const hotkey = await selectedHotkey(page);
  const before = await stakeOf(hotkey);
  await page.getByTestId("amount").fill("2");
  await page
    .getByTestId("tx-button")
    .filter({ hasText: /^Stake$/ })
    .click();
  await page
    .getByTestId("tx-status")
    .filter({ hasText: "You rejected the request in your wallet." })
    .waitFor({ timeout: 15_000 });
  await page.getByTestId("toast-error").filter({ hasText: "rejected" }).waitFor();
  await page.screenshot({ path: path.join(ARTIFACTS, "rejected.png"), fullPage: true });
  check(wallet.sent.length === 0, "nothing was sent");
  check((await stakeOf(hotkey)) === before, "the stake did not change");
  await context.close();
});

it("catches form errors before sending: too many decimals, balance, minimum", async () => {
  const { page, context, wallet } = await openApp({ hash: `#/subnet/${subnet.netuid}` });
  await connect(page);
  const amount = page.getByTestId("amount");
  const formError = page.getByTestId("form-error");
  await amount.fill("0.0000000001");
  await formError.filter({ hasText: "has at most 9" }).waitFor();
  await amount.fill("5000");
  await formError.filter({ hasText: "Insufficient balance" }).waitFor();
  await amount.fill("0.000000001");
  await formError.filter({ hasText: "minimum stake" }).waitFor();
  check(await page.getByTestId("tx-button").isDisabled(), "the button is disabled while the form is invalid");
  check(
    wallet.calls.every((m) => m !== "eth_sendTransaction"),
    "nothing was sent",
  );
  await context.close();
});

it("offers a switch when the wallet is on another network, then stakes", async () => {
  const { page, context, wallet } = await openApp({ hash: `#/subnet/${subnet.netuid}` });
  await connect(page);
  await page.getByTestId("amount").fill("1");
  await switchWalletChain(page, wallet, 1); // the user picks Ethereum in the wallet
  const button = page.getByTestId("tx-button");
  await button.filter({ hasText: "Switch to Local chain" }).waitFor({ timeout: 10_000 });
  await page.getByRole("alert").filter({ hasText: "Your wallet is on chain 1" }).first().waitFor();
  await page.screenshot({ path: path.join(ARTIFACTS, "wrong-network.png"), fullPage: true });
  await button.click();
  await button.filter({ hasText: /^Stake$/ }).waitFor({ timeout: 10_000 });
  check(wallet.chainId === LOCAL_CHAIN_ID, `the wallet switched to ${LOCAL_CHAIN_ID}, it is on ${wallet.chainId}`);
  check(wallet.calls.includes("wallet_switchEthereumChain"), "the page asked the wallet to switch");
  await button.click();
  await page.getByTestId("tx-status").filter({ hasText: "Confirmed in block" }).waitFor({ timeout: 30_000 });
  check(wallet.sent.length === 1, "the stake was sent once the wallet was back on the local chain");
  await context.close();
});

/* LIQUID STAKING: ALLOCATE AND PORTFOLIO */

const factory = deployments.contracts.LiquidVaultFactory!.address;
const router = deployments.contracts.AllocationRouter!.address;
// The three deepest subnets (root has no vaults), split 50/30/20.
const allocated = [...markets]
  .filter((m) => m.netuid !== 0)
  .sort((a, b) => (b.taoReserveRao > a.taoReserveRao ? 1 : b.taoReserveRao < a.taoReserveRao ? -1 : 0))
  .slice(0, 3)
  .map((m, i) => ({ netuid: m.netuid, name: m.name, percent: ["50", "30", "20"][i]! }));
/** The vaults the allocation went into (from its transaction), for the portfolio test. */
const allocatedVaults: { netuid: number; vault: Hex }[] = [];

async function sharesOf(vault: Hex, blockNumber: bigint): Promise<bigint> {
  const code = await chain.getCode({ address: vault, blockNumber });
  if (!code || code === "0x") return 0n;
  return chain.readContract({
    address: vault,
    abi: liquidAlphaVaultAbi,
    functionName: "balanceOf",
    args: [account.address],
    blockNumber,
  });
}

it("allocates across 3 subnets through the router; the chain has the vault shares", async () => {
  const { page, context, wallet, errors } = await openApp({ hash: "#/allocate" });
  await connect(page);
  await page.getByTestId("allocate-amount").fill("6");
  for (const leg of allocated) {
    await page.getByTestId(`include-${leg.netuid}`).check();
    await page.getByTestId(`percent-${leg.netuid}`).fill(leg.percent);
  }
  // Percentages that do not add up are refused before anything is sent.
  await page.getByTestId(`percent-${allocated[2]!.netuid}`).fill("10");
  await page.getByTestId("allocate-error").filter({ hasText: "add up to 90 %" }).waitFor();
  check(await page.getByTestId("allocate-button").isDisabled(), "the button is disabled while the split is wrong");
  await page.getByTestId(`percent-${allocated[2]!.netuid}`).fill(allocated[2]!.percent);
  const legs = page.getByTestId("allocation-preview").getByTestId("preview-leg");
  await legs.nth(2).waitFor({ timeout: 20_000 });
  check((await legs.count()) === 3, `the preview has ${await legs.count()} legs`);
  for (let i = 0; i < 3; i++) {
    const alpha = await legs.nth(i).getByTestId("leg-alpha").textContent();
    check(alpha?.endsWith("α") && !alpha.startsWith("0.00 "), `leg ${i} previews alpha out (${alpha})`);
  }
  await page.screenshot({ path: path.join(ARTIFACTS, "allocate.png"), fullPage: true });
  await readmeShot(page, "allocate");
  await page
    .getByTestId("allocate-button")
    .filter({ hasText: /^Allocate$/ })
    .click();
  await page
    .getByTestId("allocate-button-status")
    .filter({ hasText: "Confirmed in block" })
    .waitFor({ timeout: 30_000 });
  await page.screenshot({ path: path.join(ARTIFACTS, "allocate-confirmed.png"), fullPage: true });

  check(wallet.sent.length === 1, `one transaction signed by the wallet, saw ${wallet.sent.length}`);
  const hash = wallet.sent[0]!;
  const [tx, receipt] = await Promise.all([chain.getTransaction({ hash }), chain.getTransactionReceipt({ hash })]);
  check(receipt.status === "success", "the allocation was mined successfully");
  check(tx.to?.toLowerCase() === router.toLowerCase(), "sent to the router");
  check(tx.value === parseEther("6"), `sent ${tx.value} wei, expected 6 TAO`);
  const call = decodeFunctionData({ abi: allocationRouterAbi, data: tx.input });
  check(call.functionName === "allocate", `sent ${call.functionName}, expected allocate`);
  const [sentLegs, receiver, deadline] = call.args as readonly [
    readonly { netuid: number; hotkey: Hex; weight: number; limitPriceRaoPerAlpha: bigint; minSharesOut: bigint }[],
    Hex,
    bigint,
  ];
  check(receiver.toLowerCase() === account.address.toLowerCase(), "the shares go to the wallet");
  check(
    sentLegs.map((l) => `${l.netuid}:${l.weight}`).join() ===
      allocated.map((a) => `${a.netuid}:${Number(a.percent) * 100}`).join(),
    `legs ${sentLegs.map((l) => `${l.netuid}:${l.weight}`).join()}`,
  );
  const block = await chain.getBlock({ blockNumber: receipt.blockNumber - 1n });
  check(
    deadline > block.timestamp && deadline <= block.timestamp + 20n * 60n + 120n,
    "deadline ≈ 20 min after the chain's clock",
  );
  for (const leg of sentLegs) {
    const before = await chain.readContract({
      address: lens,
      abi: marketsLensAbi,
      functionName: "market",
      args: [leg.netuid],
      blockNumber: receipt.blockNumber - 1n,
    });
    const spotRao = before.spotPriceWad / 10n ** 9n;
    check(
      leg.limitPriceRaoPerAlpha > spotRao && leg.limitPriceRaoPerAlpha < (spotRao * 110n) / 100n,
      `netuid ${leg.netuid}: limit ${leg.limitPriceRaoPerAlpha} within 10 % above spot ${spotRao}`,
    );
    check(leg.minSharesOut > 0n, `netuid ${leg.netuid}: a minimum of shares`);
    const vault = await chain.readContract({
      address: factory,
      abi: liquidVaultFactoryAbi,
      functionName: "vaultFor",
      args: [leg.netuid, leg.hotkey],
      blockNumber: receipt.blockNumber,
    });
    const sharesBefore = await sharesOf(vault, receipt.blockNumber - 1n);
    const sharesAfter = await sharesOf(vault, receipt.blockNumber);
    check(
      sharesAfter - sharesBefore >= leg.minSharesOut,
      `netuid ${leg.netuid}: shares grew by ${sharesAfter - sharesBefore}, at least the minimum ${leg.minSharesOut}`,
    );
    allocatedVaults.push({ netuid: leg.netuid, vault });
  }
  check(errors.length === 0, `page errors: ${errors.join("; ")}`);
  await context.close();
});

it("shows the positions on the portfolio and redeems a vault position in TAO; the chain paid it", async () => {
  check(allocatedVaults.length === 3, "the allocation test ran first");
  const { page, context, wallet, errors } = await openApp({ hash: "#/portfolio" });
  await connect(page);
  const rows = page.getByTestId("vault-positions").getByTestId("vault-position");
  for (const { vault } of allocatedVaults) {
    await page.locator(`[data-testid="vault-position"][data-vault="${vault}"]`).waitFor({ timeout: 20_000 });
  }
  // The direct stake of the earlier tests is there too, with its cost from the wallet's own Stake events.
  const stakeRow = page.locator(`[data-testid="stake-position"][data-netuid="${subnet.netuid}"]`).first();
  await stakeRow.waitFor({ timeout: 10_000 });
  await stakeRow.getByTestId("stake-pnl").filter({ hasText: "τ" }).waitFor({ timeout: 15_000 });
  const total = await portfolioTotal(page);
  check(total?.endsWith("τ") && total !== "0.00 τ", `the total is shown (${total})`);
  await page.screenshot({ path: path.join(ARTIFACTS, "portfolio.png"), fullPage: true });

  const { vault } = allocatedVaults[0]!;
  const row = page.locator(`[data-testid="vault-position"][data-vault="${vault}"]`);
  await row.getByTestId("redeem-open").click();
  const panel = page.getByTestId("redeem-panel");
  await panel.getByTestId("redeem-quote").filter({ hasText: "τ" }).waitFor({ timeout: 15_000 });
  await page.screenshot({ path: path.join(ARTIFACTS, "portfolio-redeem.png"), fullPage: true });
  await panel
    .getByTestId("redeem-button")
    .filter({ hasText: /^Redeem in TAO$/ })
    .click();
  await panel
    .getByTestId("redeem-button-status")
    .filter({ hasText: "Confirmed in block" })
    .waitFor({ timeout: 30_000 });

  check(wallet.sent.length === 1, `one transaction signed by the wallet, saw ${wallet.sent.length}`);
  const hash = wallet.sent[0]!;
  const [tx, receipt] = await Promise.all([chain.getTransaction({ hash }), chain.getTransactionReceipt({ hash })]);
  check(receipt.status === "success", "the redemption was mined successfully");
  check(tx.to?.toLowerCase() === vault.toLowerCase(), "sent to the vault");
  const call = decodeFunctionData({ abi: liquidAlphaVaultAbi, data: tx.input });
  check(call.functionName === "redeem", `sent ${call.functionName}, expected redeem`);
  const [shares, to, owner, minTaoOutRao] = call.args;
  const sharesBefore = await sharesOf(vault, receipt.blockNumber - 1n);
  check(shares === sharesBefore, `redeemed every share (${shares} of ${sharesBefore})`);
  check(
    to.toLowerCase() === account.address.toLowerCase() && owner.toLowerCase() === account.address.toLowerCase(),
    "the wallet's own shares, paid to the wallet",
  );
  check((await sharesOf(vault, receipt.blockNumber)) === 0n, "no shares left in that vault");
  const [redeemed] = parseEventLogs({ abi: liquidAlphaVaultAbi, logs: receipt.logs, eventName: "Redeem" });
  check(redeemed !== undefined, "the vault emitted Redeem");
  check(
    redeemed.args.taoRao >= minTaoOutRao && minTaoOutRao > 0n,
    `paid ${redeemed.args.taoRao} rao, at least the minimum ${minTaoOutRao}`,
  );
  const [balanceBefore, balanceAfter] = await Promise.all([
    chain.getBalance({ address: account.address, blockNumber: receipt.blockNumber - 1n }),
    chain.getBalance({ address: account.address, blockNumber: receipt.blockNumber }),
  ]);
  const gasWei = receipt.gasUsed * receipt.effectiveGasPrice;
  check(
    balanceAfter - balanceBefore + gasWei === redeemed.args.taoRao * 10n ** 9n,
    `the wallet received ${balanceAfter - balanceBefore + gasWei} wei, the vault paid ${redeemed.args.taoRao} rao`,
  );
  // The page drops the redeemed position and keeps the two others.
  await row.waitFor({ state: "detached", timeout: 15_000 });
  check((await rows.count()) >= 2, `two vault positions left, saw ${await rows.count()}`);
  await page.screenshot({ path: path.join(ARTIFACTS, "portfolio-redeemed.png"), fullPage: true });
  check(errors.length === 0, `page errors: ${errors.join("; ")}`);
  await context.close();
});

it("rebalances: moves half a vault position in kind to another subnet's vault; the chain has the new shares", async () => {
  check(allocatedVaults.length === 3, "the allocation test ran first");
  const [, from, to] = allocatedVaults as [unknown, (typeof allocatedVaults)[0], (typeof allocatedVaults)[0]];
  const { page, context, wallet, errors } = await openApp({ hash: "#/portfolio" });
  await connect(page);
  const row = page.locator(`[data-testid="vault-position"][data-vault="${from.vault}"]`);
  await row.getByTestId("move-open").click();
  const panel = page.getByTestId("move-panel");
  // Nothing can be sent before a target is chosen.
  check(await panel.getByTestId("move-button").isDisabled(), "the move button waits for a target vault to be chosen");
  await panel.getByTestId("move-target").selectOption(to.vault);
  await panel.getByTestId("move-percent").fill("50");
  await panel.getByTestId("move-quote").filter({ hasText: "shares" }).waitFor({ timeout: 15_000 });
  await panel.getByTestId("move-value").filter({ hasText: "τ" }).waitFor({ timeout: 15_000 });
  await page.screenshot({ path: path.join(ARTIFACTS, "portfolio-move.png"), fullPage: true });
  await panel
    .getByTestId("move-button")
    .filter({ hasText: /^Move in kind$/ })
    .click();
  await panel.getByTestId("move-button-status").filter({ hasText: "Confirmed in block" }).waitFor({ timeout: 30_000 });

  check(wallet.sent.length === 1, `one transaction signed by the wallet (no approval), saw ${wallet.sent.length}`);
  const hash = wallet.sent[0]!;
  const [tx, receipt] = await Promise.all([chain.getTransaction({ hash }), chain.getTransactionReceipt({ hash })]);
  check(receipt.status === "success", "the move was mined successfully");
  check(tx.to?.toLowerCase() === from.vault.toLowerCase(), "sent to the origin vault");
  const call = decodeFunctionData({ abi: liquidAlphaVaultAbi, data: tx.input });
  check(call.functionName === "migrate", `sent ${call.functionName}, expected migrate`);
  const [shares, toVault, receiver, owner, minSharesOut, , viaTao] = call.args;
  const [fromBefore, fromAfter, toBefore, toAfter] = await Promise.all([
    sharesOf(from.vault, receipt.blockNumber - 1n),
    sharesOf(from.vault, receipt.blockNumber),
    sharesOf(to.vault, receipt.blockNumber - 1n),
    sharesOf(to.vault, receipt.blockNumber),
  ]);
  check(shares === fromBefore / 2n, `moved half the shares (${shares} of ${fromBefore})`);
  check(toVault.toLowerCase() === to.vault.toLowerCase() && !viaTao, "in kind, to the chosen vault");
  check(
    receiver.toLowerCase() === account.address.toLowerCase() && owner.toLowerCase() === account.address.toLowerCase(),
    "the wallet's own shares, the new ones to the wallet",
  );
  check(fromAfter === fromBefore - shares, `the origin vault burnt them (${fromBefore} → ${fromAfter})`);
  check(
    toAfter - toBefore >= minSharesOut && minSharesOut > 0n,
    `the target vault minted ${toAfter - toBefore}, at least the minimum ${minSharesOut}`,
  );
  const [migrated] = parseEventLogs({ abi: liquidAlphaVaultAbi, logs: receipt.logs, eventName: "Migrate" });
  check(migrated?.args.sharesOut === toAfter - toBefore, "the vault's Migrate event tells the shares minted");
  // The page shows the new balances once the block is read, and the moved shares keep their cost: the target's P&L
  // covers all its shares (the allocation's deposit and the move), with no uncosted part.
  const target = page.locator(`[data-testid="vault-position"][data-vault="${to.vault}"]`);
  await target
    .getByTestId("vault-shares")
    .filter({ hasText: formatUnits18(toAfter) })
    .waitFor({ timeout: 15_000 });
  const pnl = target.getByTestId("vault-pnl");
  await pnl.filter({ hasText: "τ" }).waitFor({ timeout: 15_000 });
  const pnlText = (await pnl.textContent()) ?? "";
  check(!pnlText.includes("no recorded cost"), `the moved shares carry their cost (${pnlText})`);
  const headline = await page.getByTestId("portfolio-pnl").textContent();
  check(headline?.endsWith("τ") === true, `the portfolio's P&L is shown (${headline})`);
  check(errors.length === 0, `page errors: ${errors.join("; ")}`);
  await context.close();
});

/* FUNDS */

const fundFactory = deployments.contracts.FundFactory?.address;
const demoFunds = deployments.funds ?? {};
/** Funds' owner in the tests (every role of the fund the tests launch): mnemonic account #0, the deployer. */
const launcher = mnemonicToAccount(MNEMONIC, { addressIndex: 0 });
/** The raise the tests launch: 4 TAO hard cap, 20 s notice, no fees but 1 % a year of management. */
let raised: { address: Hex; sharesClaimed: bigint } | undefined;

async function launchRaise(): Promise<Hex> {
  check(fundFactory, "the deployment lists a FundFactory");
  const now = (await chain.getBlock()).timestamp;
  const initData = encodeFunctionData({
    abi: miningFundAbi,
    functionName: "initialize",
    args: [
      {
        name: "E2E Raise",
        symbol: "E2ERAISE",
        roles: {
          governance: launcher.address,
          guardian: launcher.address,
          manager: launcher.address,
          feeRecipient: launcher.address,
        },
        managementFeeBps: 100,
        performanceFeeBps: 0,
        noticePeriodSeconds: 20,
        timelockSeconds: 20 + 86_400,
        maxSlippageBps: 500,
        minRedemptionShares: 10n ** 16n,
        positions: [{ netuid: subnet.netuid, hotkey: subnet.ownerHotkey, vault: zeroAddress }],
      },
      {
        softCapRao: 2n * 10n ** 9n,
        hardCapRao: 4n * 10n ** 9n,
        startTime: now,
        endTime: now + 3600n,
        minContributionRao: 10n ** 9n,
        maxContributionRao: 4n * 10n ** 9n,
        allowlistRoot: `0x${"00".repeat(32)}`,
        organization: launcher.address,
        organizationAllocationBps: 0,
        vestingCliffSeconds: 0n,
        vestingDurationSeconds: 0n,
      },
    ],
  });
  const wallet = createWalletClient({ account: launcher, transport: http(stack.rpcUrl) });
  const salt = keccak256(toHex(`e2e raise ${Date.now()}`));
  const hash = await wallet.writeContract({
    address: fundFactory,
    abi: fundFactoryAbi,
    functionName: "createFund",
    args: [0, salt, initData],
    chain: null,
  });
  const receipt = await chain.waitForTransactionReceipt({ hash });
  check(receipt.status === "success", "the factory created the fund");
  const [created] = parseEventLogs({ abi: fundFactoryAbi, logs: receipt.logs, eventName: "FundCreated" });
  check(created, "FundCreated was emitted");
  return created.args.fund;
}

/** The wallet's shares of `fund` (`balanceOf`) or the TAO it is owed (`claimableRao`), at a block or the latest. */
async function fundRead(fund: Hex, what: "balanceOf" | "claimableRao", blockNumber?: bigint): Promise<bigint> {
  const at = blockNumber === undefined ? {} : { blockNumber };
  return what === "balanceOf"
    ? chain.readContract({
        address: fund,
        abi: fundEngineAbi,
        functionName: "balanceOf",
        args: [account.address],
        ...at,
      })
    : chain.readContract({
        address: fund,
        abi: fundEngineAbi,
        functionName: "claimableRao",
        args: [account.address],
        ...at,
      });
}

it("lists the funds from the factory with their NAV, fees and raise, and shows a fund's terms and positions", async () => {
  check(Object.keys(demoFunds).length === 3, `npm start launched 3 demo funds (${Object.keys(demoFunds).join()})`);
  const { page, context, errors } = await openApp({ hash: "#/funds" });
  const cards = page.getByTestId("fund-card");
  await cards.nth(2).waitFor({ timeout: 20_000 });
  const symbols = await cards.evaluateAll((all) => all.map((c) => c.getAttribute("data-symbol")));
  for (const symbol of ["OTMINE", "ALLOC", "TAOIDX"]) check(symbols.includes(symbol), `${symbol} is listed`);
  const mining = page.locator('[data-testid="fund-card"][data-symbol="OTMINE"]');
  check(
    (await mining.getByTestId("raise-progress").getAttribute("data-phase")) === "succeeded",
    "the demo mining fund's raise succeeded (it reached its hard cap)",
  );
  const nav = await mining.getByTestId("fund-nav").textContent();
  const onChainNav = await chain.readContract({
    address: demoFunds.OTMINE!.address,
    abi: fundEngineAbi,
    functionName: "navRao",
  });
  check(nav?.endsWith("τ") && onChainNav > 290n * 10n ** 9n, `OTMINE's NAV is shown (${nav}; ${onChainNav} rao)`);
  await page.screenshot({ path: path.join(ARTIFACTS, "funds.png"), fullPage: true });
  await readmeShot(page, "funds");

  // The index in full: its positions with target weights, its terms, its (empty) timelock.
  await page.locator('[data-testid="fund-card"][data-symbol="TAOIDX"] h2 a').click();
  const detail = page.getByTestId("fund-detail");
  await detail.waitFor({ timeout: 15_000 });
  const positions = await chain.readContract({
    address: demoFunds.TAOIDX!.address,
    abi: fundEngineAbi,
    functionName: "positions",
  });
  await page
    .getByTestId("fund-position")
    .nth(positions.length - 1)
    .waitFor({ timeout: 15_000 });
  check(
    (await page.getByTestId("fund-position").count()) === positions.length,
    `the index's ${positions.length} positions are listed`,
  );
  await page.getByTestId("fund-timelock").filter({ hasText: "None." }).waitFor({ timeout: 15_000 });
  check(
    (await page.getByTestId("fund-terms").textContent())?.includes("2.00 % a year") === true,
    "the management fee is shown (200 bps)",
  );
  await page.screenshot({ path: path.join(ARTIFACTS, "fund-index.png"), fullPage: true });
  check(errors.length === 0, `page errors: ${errors.join("; ")}`);
  await context.close();
});

it("contributes to a fund's raise, finalises it and claims the shares; the chain has them", async () => {
  const fund = await launchRaise();
  log(`launched the raise E2ERAISE at ${fund}`);
  const { page, context, wallet, errors } = await openApp({ hash: "#/funds" });
  // Listed from the factory, not from the deployments file.
  await page.locator(`[data-testid="fund-card"][data-fund="${fund}"]`).waitFor({ timeout: 20_000 });
  await page.goto(`${stack.dappUrl}#/funds/${fund}`);
  await connect(page);
  const amount = page.getByTestId("contribute-amount");
  // The form's checks: the per-investor maximum, then the minimum.
  await amount.fill("5");
  await page.getByTestId("contribute-error").filter({ hasText: "The maximum is 4 TAO per investor" }).waitFor();
  await amount.fill("0.5");
  await page.getByTestId("contribute-error").filter({ hasText: "The minimum contribution is 1 TAO" }).waitFor();
  check(await page.getByTestId("contribute-button").isDisabled(), "the button is disabled while the amount is wrong");
  await amount.fill("4");
  await page
    .getByTestId("contribute-button")
    .filter({ hasText: /^Contribute$/ })
    .click();
  await page
    .getByTestId("contribute-button-status")
    .filter({ hasText: "Confirmed in block" })
    .waitFor({ timeout: 30_000 });
  await page
    .getByTestId("raise-total")
    .filter({ hasText: /^4\.00 τ$/ })
    .waitFor({ timeout: 15_000 });
  await page.screenshot({ path: path.join(ARTIFACTS, "fund-raise-contributed.png"), fullPage: true });
  const contributed = await chain.readContract({
    address: fund,
    abi: miningFundAbi,
    functionName: "contributedRao",
    args: [account.address],
  });
  check(contributed === 4n * 10n ** 9n, `the fund recorded 4 TAO from the wallet (${contributed} rao)`);

  // The hard cap is reached: anyone may finalise; then the contributor claims 1 share per TAO.
  // Each of these buttons leaves the page once its transaction is confirmed (the raise moves on): the toast stays.
  await page.getByTestId("finalize-button").click();
  await page.getByTestId("toast-success").filter({ hasText: "Confirmed: Finalise the E2ERAISE raise" }).waitFor({
    timeout: 30_000,
  });
  await page.getByTestId("claim-shares-button").filter({ hasText: "Claim 4.00 shares" }).click();
  await page.getByTestId("toast-success").filter({ hasText: "Confirmed: Claim 4.00 E2ERAISE" }).waitFor({
    timeout: 30_000,
  });
  await page
    .getByTestId("account-shares")
    .filter({ hasText: /^4\.00 ≈ (4\.00|3\.99)/ })
    .waitFor({ timeout: 15_000 });
  const price = await page.getByTestId("detail-share-price").textContent();
  check(price?.startsWith("1.00") === true || price?.startsWith("0.99") === true, `NAV per share ≈ 1 TAO (${price})`);
  const nav = await page.getByTestId("detail-nav").textContent();
  check(nav?.startsWith("4.00") === true || nav?.startsWith("3.99") === true, `NAV ≈ 4 TAO (${nav})`);
  await page.screenshot({ path: path.join(ARTIFACTS, "fund-raise-claimed.png"), fullPage: true });

  check(wallet.sent.length === 3, `three transactions signed (contribute, finalize, claim), saw ${wallet.sent.length}`);
  const calls = await Promise.all(
    wallet.sent.map(async (hash) => {
      const [tx, receipt] = await Promise.all([chain.getTransaction({ hash }), chain.getTransactionReceipt({ hash })]);
      check(receipt.status === "success", `${hash} was mined successfully`);
      check(tx.to?.toLowerCase() === fund.toLowerCase(), "sent to the fund");
      return { tx, call: decodeFunctionData({ abi: miningFundAbi, data: tx.input }) };
    }),
  );
  check(
    calls.map((c) => c.call.functionName).join() === "contribute,finalize,claimShares",
    `sent ${calls.map((c) => c.call.functionName).join()}`,
  );
  check(calls[0]!.tx.value === parseEther("4"), `contributed ${calls[0]!.tx.value} wei, expected 4 TAO`);
  const shares = await fundRead(fund, "balanceOf");
  check(shares === 4n * 10n ** 18n, `the wallet holds 4 shares on chain (${shares})`);
  raised = { address: fund, sharesClaimed: shares };
  check(errors.length === 0, `page errors: ${errors.join("; ")}`);
  await context.close();
});

it("deposits at NAV into the allocator fund; the chain minted at least the minimum of shares", async () => {
  const alloc = demoFunds.ALLOC?.address;
  check(alloc, "npm start launched the ALLOC fund");
  const { page, context, wallet, errors } = await openApp({ hash: `#/funds/${alloc}` });
  await connect(page);
  await page.getByTestId("deposit-amount").fill("3");
  await page.getByTestId("deposit-preview").filter({ hasText: "shares" }).waitFor({ timeout: 15_000 });
  await page
    .getByTestId("deposit-button")
    .filter({ hasText: /^Deposit$/ })
    .click();
  await page
    .getByTestId("deposit-button-status")
    .filter({ hasText: "Confirmed in block" })
    .waitFor({ timeout: 30_000 });
  check(wallet.sent.length === 1, `one transaction signed, saw ${wallet.sent.length}`);
  const hash = wallet.sent[0]!;
  const [tx, receipt] = await Promise.all([chain.getTransaction({ hash }), chain.getTransactionReceipt({ hash })]);
  check(receipt.status === "success", "the deposit was mined successfully");
  const call = decodeFunctionData({ abi: allocatorFundAbi, data: tx.input });
  check(call.functionName === "deposit", `sent ${call.functionName}, expected deposit`);
  const [receiver, minShares] = call.args;
  check(receiver.toLowerCase() === account.address.toLowerCase(), "the shares go to the wallet");
  check(tx.value === parseEther("3"), `sent ${tx.value} wei, expected 3 TAO`);
  const [deposited] = parseEventLogs({ abi: fundEngineAbi, logs: receipt.logs, eventName: "Deposit" });
  check(deposited !== undefined, "the fund emitted Deposit");
  check(
    deposited.args.shares >= minShares && minShares > 0n,
    `minted ${deposited.args.shares} shares, at least the minimum ${minShares}`,
  );
  const held = await fundRead(alloc, "balanceOf", receipt.blockNumber);
  check(held >= deposited.args.shares, `the wallet holds the shares (${held})`);
  await page.getByTestId("account-shares").filter({ hasText: "≈ 3" }).waitFor({ timeout: 15_000 });
  await page.screenshot({ path: path.join(ARTIFACTS, "fund-deposit.png"), fullPage: true });
  await readmeShot(page, "fund");
  check(errors.length === 0, `page errors: ${errors.join("; ")}`);
  await context.close();
});

it("requests a redemption, follows it through the queue until paid, and claims the TAO; the chain paid it", async () => {
  check(raised, "the raise test ran first");
  const fund = raised.address;
  const { page, context, wallet, errors } = await openApp({ hash: `#/funds/${fund}` });
  await connect(page);
  await page
    .getByTestId("account-shares")
    .filter({ hasText: /^4\.00 / })
    .waitFor({ timeout: 15_000 });
  // Below the minimum is refused before anything is sent.
  await page.getByTestId("fund-redeem-percent").fill("0.1");
  await page.getByTestId("fund-redeem-error").filter({ hasText: "A redemption is at least 0.01" }).waitFor();
  await page.getByTestId("fund-redeem-percent").fill("50");
  await page
    .getByTestId("fund-redeem-shares")
    .filter({ hasText: /^2\.00$/ })
    .waitFor();
  await page
    .getByTestId("fund-redeem-button")
    .filter({ hasText: /^Request redemption$/ })
    .click();
  await page
    .getByTestId("fund-redeem-button-status")
    .filter({ hasText: "Confirmed in block" })
    .waitFor({ timeout: 30_000 });
  const request = page.getByTestId("redemption").first();
  await request.and(page.locator('[data-status="notice"]')).waitFor({ timeout: 15_000 });
  check(
    (await request.getByTestId("redemption-status").textContent())?.startsWith("In notice until") === true,
    "the request waits out its notice",
  );
  await page
    .getByTestId("account-queued")
    .filter({ hasText: /^2\.00$/ })
    .waitFor();
  await page.screenshot({ path: path.join(ARTIFACTS, "fund-redemption-notice.png"), fullPage: true });
  const requestedHash = wallet.sent[0]!;
  const requested = parseEventLogs({
    abi: fundEngineAbi,
    logs: (await chain.getTransactionReceipt({ hash: requestedHash })).logs,
    eventName: "RedemptionRequested",
  })[0];
  check(requested?.args.shares === 2n * 10n ** 18n && requested.args.inKind === false, "2 shares queued, in TAO");

  // After the notice (20 s), anyone may process the queue: the page offers it, and the request is paid.
  await request.and(page.locator('[data-status="ready"]')).waitFor({ timeout: 60_000 });
  const id = requested.args.id;
  await page.getByTestId(`process-${id}`).click();
  // The button leaves with the request's state once its transaction is confirmed: the toast stays.
  await page
    .getByTestId("toast-success")
    .filter({ hasText: "Confirmed: Process E2ERAISE's redemption queue" })
    .waitFor({ timeout: 30_000 });
  await page.locator(`[data-testid="redemption"][data-id="${id}"][data-status="paid"]`).waitFor({ timeout: 20_000 });
  const processed = await chain.getTransactionReceipt({ hash: wallet.sent[1]! });
  const [filled] = parseEventLogs({ abi: fundEngineAbi, logs: processed.logs, eventName: "RedemptionFilled" });
  check(filled?.args.id === id && filled.args.shares === 2n * 10n ** 18n, "the whole request was filled");
  // Half the fund's idle TAO, less the management fee accrued meanwhile (1 % a year over seconds).
  check(
    filled.args.taoRao <= 2n * 10n ** 9n && filled.args.taoRao > 1_999_000_000n,
    `paid ${filled.args.taoRao} rao for half the shares of a 4 TAO fund`,
  );
  const claimable = await fundRead(fund, "claimableRao", processed.blockNumber);
  check(claimable === filled.args.taoRao, `the TAO is owed to the wallet (${claimable})`);
  await page.screenshot({ path: path.join(ARTIFACTS, "fund-redemption-paid.png"), fullPage: true });

  await page.getByTestId("claim-tao-button").click();
  await page
    .getByTestId("toast-success")
    .filter({ hasText: /^Confirmed: Claim .* from E2ERAISE/ })
    .waitFor({ timeout: 30_000 });
  const claimed = await chain.getTransactionReceipt({ hash: wallet.sent[2]! });
  check(claimed.status === "success", "the claim was mined successfully");
  const [before, after] = await Promise.all([
    chain.getBalance({ address: account.address, blockNumber: claimed.blockNumber - 1n }),
    chain.getBalance({ address: account.address, blockNumber: claimed.blockNumber }),
  ]);
  const gasWei = claimed.gasUsed * claimed.effectiveGasPrice;
  check(
    after - before + gasWei === claimable * 10n ** 9n,
    `the wallet received ${after - before + gasWei} wei, the fund owed ${claimable} rao`,
  );
  check((await fundRead(fund, "claimableRao")) === 0n, "nothing more is owed");
  check(wallet.sent.length === 3, `three transactions signed (request, process, claim), saw ${wallet.sent.length}`);
  await page
    .getByTestId("account-claimable")
    .filter({ hasText: /^0\.00 τ$/ })
    .waitFor({ timeout: 15_000 });
  check(errors.length === 0, `page errors: ${errors.join("; ")}`);
  await context.close();
});

it("shows the fund shares on the portfolio at NAV with their P&L, and requests a redemption from there", async () => {
  check(raised, "the raise test ran first");
  const { page, context, wallet, errors } = await openApp({ hash: "#/portfolio" });
  await connect(page);
  const row = page.locator(`[data-testid="fund-position-row"][data-fund="${raised.address}"]`);
  await row.waitFor({ timeout: 20_000 });
  check(
    (await row.getByTestId("fund-position-shares").textContent())?.startsWith("2.00") === true,
    "2 shares of the raise are left",
  );
  const value = await row.getByTestId("fund-position-value").textContent();
  check(value?.startsWith("2.00") === true || value?.startsWith("1.99") === true, `valued at NAV (${value})`);
  check(
    (await row.getByTestId("fund-position-pnl").textContent())?.includes("realised") === true,
    "the redemption paid in TAO shows as realised",
  );
  const alloc = page.locator(`[data-testid="fund-position-row"][data-symbol="ALLOC"]`);
  await alloc.waitFor({ timeout: 10_000 });
  const total = await portfolioTotal(page);
  check(total?.endsWith("τ") === true, `the total includes the funds (${total})`);
  await page.screenshot({ path: path.join(ARTIFACTS, "portfolio-funds.png"), fullPage: true });
  await readmeShot(page, "portfolio");

  await alloc.getByTestId("fund-redeem-open").click();
  const panel = page.getByTestId("portfolio-fund-redeem");
  await panel.getByTestId("redeem-in-kind").click();
  await panel
    .getByTestId("fund-redeem-button")
    .filter({ hasText: /^Request redemption$/ })
    .click();
  await panel
    .getByTestId("fund-redeem-button-status")
    .filter({ hasText: "Confirmed in block" })
    .waitFor({ timeout: 30_000 });
  const receipt = await chain.getTransactionReceipt({ hash: wallet.sent[0]! });
  const [requested] = parseEventLogs({ abi: fundEngineAbi, logs: receipt.logs, eventName: "RedemptionRequested" });
  check(requested?.args.inKind === true, "an in-kind redemption was queued");
  check(
    requested.args.owner.toLowerCase() === account.address.toLowerCase() &&
      requested.args.receiver.toLowerCase() === account.address.toLowerCase(),
    "the wallet's own shares, paid to the wallet",
  );
  check((await fundRead(demoFunds.ALLOC!.address, "balanceOf")) === 0n, "every ALLOC share is in the queue");
  await alloc.getByTestId("fund-position-shares").filter({ hasText: "queued" }).waitFor({ timeout: 15_000 });
  check(errors.length === 0, `page errors: ${errors.join("; ")}`);
  await context.close();
});

it("shows settled epochs and claims a miner's credit with the wallet; the chain has the stake", async () => {
  // The keepers' work, done here (they settled the seed's history): two more epochs of the deepest subnet and one of
  // the next, after the owners' weights.
  const settler = await createSettler({ rpcUrl: stack.rpcUrl, contracts: deployments.contracts });
  const other = markets
    .filter((m) => m.netuid !== subnet.netuid)
    .reduce((a, b) => (b.taoReserveRao > a.taoReserveRao ? b : a));
  await settler.ownerSetsWeights(subnet.netuid);
  await settler.settleNext(subnet.netuid);
  const second = await settler.settleNext(subnet.netuid);
  await settler.ownerSetsWeights(other.netuid);
  const otherEpoch = await settler.settleNext(other.netuid);
  log(
    `settled epochs up to ${second.epoch} of netuid ${subnet.netuid} and ${otherEpoch.epoch} of netuid ${other.netuid}`,
  );

  // A miner operator's wallet (mnemonic #17 owns miner hotkeys on every subnet); it signs with its own key.
  const operator = mnemonicToAccount(MNEMONIC, { addressIndex: 17 });
  const operatorColdkey = coldkeyOf(operator.address);
  const paid = new Set(second.built.validators.map((v) => v.uid));
  const expected = second.built.leaves
    .filter((l) => second.snapshot.neurons[l.uid]!.coldkey === operatorColdkey)
    .map((l) => ({
      ...l,
      amount: l.incentiveAlphaRao + (paid.has(l.uid) ? 0n : l.alphaDividendAlphaRao + l.rootDividendAlphaRao),
    }))
    .filter((l) => l.amount > 0n);
  check(expected.length > 0, `the operator has credits in epoch ${second.epoch} of netuid ${subnet.netuid}`);

  const { page, context, wallet } = await openApp({ hash: "#/epochs", account: operator });
  const row = page.locator(`[data-testid="epochs-table"] tbody tr[data-netuid="${subnet.netuid}"]`);
  await row
    .getByTestId("finalised-epoch")
    .filter({ hasText: new RegExp(`^${second.epoch}$`) })
    .waitFor({ timeout: 15_000 });
  check((await row.getByTestId("open-epoch").textContent()) === "none open", "no epoch open after finalisation");
  const otherRow = page.locator(`[data-testid="epochs-table"] tbody tr[data-netuid="${other.netuid}"]`);
  check(
    (await otherRow.getByTestId("finalised-epoch").textContent()) === String(otherEpoch.epoch),
    `the other subnet has epoch ${otherEpoch.epoch}`,
  );

  await connect(page, operator);
  const credits = page.locator(`[data-testid="credit"][data-netuid="${subnet.netuid}"][data-epoch="${second.epoch}"]`);
  await credits.first().waitFor({ timeout: 60_000 });
  const shown = await credits.evaluateAll((rows) =>
    rows.map((r) => ({
      uid: Number(r.getAttribute("data-uid")),
      hotkey: r.getAttribute("data-hotkey"),
      label: r.querySelector("button.primary")?.textContent ?? "",
    })),
  );
  check(
    shown.map((c) => c.uid).join() === expected.map((l) => l.uid).join(),
    `credits of epoch ${second.epoch}: page shows uids ${shown.map((c) => c.uid).join()}, the report has ${expected.map((l) => l.uid).join()}`,
  );
  await page.getByTestId("credits-scan").waitFor();
  await page.screenshot({ path: path.join(ARTIFACTS, "epochs.png"), fullPage: true });
  await readmeShot(page, "epochs");

  const leaf = expected[0]!;
  /** What a block's transactions added to the operator's stake on `hotkey`. */
  const stakeGrowth = async (hotkey: Hex, blockNumber: bigint) => {
    const stakeAt = (at: bigint) =>
      chain.readContract({
        address: pools,
        abi: alphaPoolsAbi,
        functionName: "getStake",
        args: [hotkey, operatorColdkey, subnet.netuid],
        blockNumber: at,
      });
    return (await stakeAt(blockNumber)) - (await stakeAt(blockNumber - 1n));
  };
  const testId = `claim-${subnet.netuid}-${second.epoch}-${leaf.uid}`;
  await page.getByTestId(testId).click();
  await page.getByTestId(`${testId}-status`).filter({ hasText: "Confirmed in block" }).waitFor({ timeout: 30_000 });

  check(wallet.sent.length === 1, `one transaction signed by the wallet, saw ${wallet.sent.length}`);
  const hash = wallet.sent[0]!;
  const [tx, receipt] = await Promise.all([chain.getTransaction({ hash }), chain.getTransactionReceipt({ hash })]);
  check(receipt.status === "success", "the claim was mined successfully");
  check(tx.from.toLowerCase() === operator.address.toLowerCase(), "the operator's wallet sent the claim");
  const call = decodeFunctionData({ abi: epochSettlementAbi, data: tx.input });
  check(call.functionName === "claimIncentive", `sent ${call.functionName}, expected claimIncentive`);
  const [netuidArg, epochArg, uidArg, hotkeyArg, incentiveArg] = call.args as readonly [
    number,
    number,
    number,
    Hex,
    bigint,
    ...unknown[],
  ];
  check(
    netuidArg === subnet.netuid && epochArg === second.epoch && uidArg === leaf.uid && hotkeyArg === leaf.hotkey,
    "claimed the leaf that was clicked",
  );
  check(
    incentiveArg === leaf.incentiveAlphaRao,
    `claimed incentive ${incentiveArg}, the report has ${leaf.incentiveAlphaRao}`,
  );
  const [claimed] = parseEventLogs({ abi: epochSettlementAbi, logs: receipt.logs, eventName: "ClaimIncentive" });
  check(
    claimed?.args.incentiveAlphaRao === leaf.incentiveAlphaRao,
    "the ClaimIncentive event has the leaf's incentive",
  );
  const credited = parseEventLogs({ abi: alphaPoolsAbi, logs: receipt.logs, eventName: "CreditStake" });
  check(
    credited.some(
      (e) =>
        e.args.hotkey === leaf.hotkey &&
        e.args.coldkey === operatorColdkey &&
        e.args.alphaRao === leaf.incentiveAlphaRao,
    ),
    "the pools credited the incentive as the operator's stake on the miner's hotkey",
  );
  const grown = await stakeGrowth(leaf.hotkey, receipt.blockNumber);
  check(
    grown === leaf.amount,
    `the operator's stake on the hotkey grew by ${grown} alpha-rao, the credit is ${leaf.amount}`,
  );
  const isClaimed = await chain.readContract({
    address: deployments.contracts.EpochSettlement!.address,
    abi: epochSettlementAbi,
    functionName: "isClaimed",
    args: [subnet.netuid, second.snapshot.generation, second.epoch, leaf.uid],
  });
  check(isClaimed, "the settlement records the leaf as claimed");

  // The page drops the claimed credit, and the history counts the claim (from events, a couple of blocks later).
  await page
    .locator(
      `[data-testid="credit"][data-netuid="${subnet.netuid}"][data-epoch="${second.epoch}"][data-uid="${leaf.uid}"]`,
    )
    .waitFor({ state: "detached", timeout: 15_000 });
  await page.getByTestId("history-subnet").selectOption(String(subnet.netuid));
  await page
    .locator(`[data-testid="epoch-history"] tr[data-epoch="${second.epoch}"]`)
    .filter({ hasText: "(1)" })
    .waitFor({ timeout: 15_000 });
  await page.screenshot({ path: path.join(ARTIFACTS, "epochs-claimed.png"), fullPage: true });

  // The rest of the operator's credits of that epoch in one call (`claimIncentives`): each leaf paid as its claim is.
  const rest = expected.slice(1);
  check(rest.length >= 2, `the operator has ${rest.length} more credits in epoch ${second.epoch}, enough for a batch`);
  const batchId = `claim-batch-${subnet.netuid}-${second.epoch}`;
  check(
    (await page.getByTestId(batchId).textContent())?.includes(`Claim all ${rest.length} credits`) === true,
    `the batch button offers the ${rest.length} credits left`,
  );
  await page.getByTestId(batchId).click();
  await page.getByTestId(`${batchId}-status`).filter({ hasText: "Confirmed in block" }).waitFor({ timeout: 30_000 });
  const signed: number = wallet.sent.length; // the check above narrowed the length's type to 1
  check(signed === 2, `one more transaction signed by the wallet, saw ${signed} in all`);
  const batchReceipt = await chain.getTransactionReceipt({ hash: wallet.sent[1]! });
  check(batchReceipt.status === "success", "the batch claim was mined successfully");
  const batchTx = await chain.getTransaction({ hash: wallet.sent[1]! });
  const batchCall = decodeFunctionData({ abi: epochSettlementAbi, data: batchTx.input });
  check(batchCall.functionName === "claimIncentives", `sent ${batchCall.functionName}, expected claimIncentives`);
  const batchPaid = parseEventLogs({ abi: epochSettlementAbi, logs: batchReceipt.logs, eventName: "ClaimIncentive" });
  check(
    batchPaid.map((e) => e.args.uid).join() === rest.map((l) => l.uid).join(),
    `one call paid uids ${batchPaid.map((e) => e.args.uid).join()}, the credits left were ${rest.map((l) => l.uid).join()}`,
  );
  for (const l of rest) {
    const grew = await stakeGrowth(l.hotkey, batchReceipt.blockNumber);
    check(grew === l.amount, `uid ${l.uid}: the operator's stake grew by ${grew} alpha-rao, the credit is ${l.amount}`);
  }
  await credits.first().waitFor({ state: "detached", timeout: 15_000 });

  // The Subnet page's panel: the last epoch per uid, recomputed in the browser and matching the chain's root.
  await page.goto(`${stack.dappUrl}#/subnet/${subnet.netuid}`);
  const panel = page.getByTestId("subnet-epochs");
  await panel
    .getByTestId("subnet-finalised-epoch")
    .filter({ hasText: new RegExp(`^${second.epoch}$`) })
    .waitFor({ timeout: 15_000 });
  await panel.getByTestId("results-root-check").waitFor({ timeout: 60_000 });
  const rows = await panel.getByTestId("uid-results").locator("tbody tr").count();
  check(rows === Math.min(12, second.built.leaves.length), `the panel lists ${rows} uids`);
  const top = second.built.leaves.reduce((a, b) => (b.incentiveAlphaRao > a.incentiveAlphaRao ? b : a));
  const firstMiner = await panel.getByRole("list", { name: "Top miners" }).locator("li").first().textContent();
  check(firstMiner?.startsWith(`uid ${top.uid} `), `top miner shown "${firstMiner}", the report's is uid ${top.uid}`);
  await page.screenshot({ path: path.join(ARTIFACTS, "subnet-epochs.png"), fullPage: true });
  await context.close();
});

/* RUN */

let passed = 0;
const failures: { name: string; error: unknown }[] = [];
console.log("\n  dApp end to end (Chromium)");
try {
  for (const c of cases) {
    const t0 = Date.now();
    try {
      await c.run();
      passed++;
      console.log(`    ✔ ${c.name} (${Date.now() - t0} ms)`);
    } catch (error) {
      failures.push({ name: c.name, error });
      console.log(`    ✗ ${c.name}`);
      const shot = path.join(ARTIFACTS, `failed-${failures.length}.png`);
      const text = await lastPage
        ?.screenshot({ path: shot, fullPage: true })
        .then(() => lastPage?.locator("main").innerText())
        .catch(() => undefined);
      if (text !== undefined) console.log(`      ${path.relative(ROOT, shot)}; the page said:\n${text.slice(0, 1500)}`);
    }
  }
} finally {
  await browser.close();
  await stack.stop();
}
console.log(`\n  ${passed} passing (${elapsed()})`);
if (failures.length > 0) {
  console.log(`  ${failures.length} failing\n`);
  failures.forEach((f, i) =>
    console.log(`  ${i + 1}) ${f.name}:\n     ${f.error instanceof Error ? f.error.message : String(f.error)}\n`),
  );
  process.exit(1);
}
console.log(`  screenshots: ${path.relative(ROOT, ARTIFACTS)}/`);

/** The portfolio's total once the fund shares are in it: until they load, it ends with "(funds…)". */
async function portfolioTotal(page: Page): Promise<string | null> {
  const cell = page.getByTestId("portfolio-total");
  await cell.filter({ hasNotText: "funds…" }).waitFor({ timeout: 20_000 });
  return cell.textContent();
}
