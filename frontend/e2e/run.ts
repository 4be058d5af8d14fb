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
  decodeFunctionData,
  http,
  parseEther,
  parseEventLogs,
  toHex,
  type Hex,
  type LocalAccount,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";

import { alphaPoolsAbi, epochSettlementAbi, marketsLensAbi } from "../src/generated.ts";
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
  const deadline = Date.now() + 240_000;
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
const it = (name: string, run: () => Promise<void>) => cases.push({ name, run });

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
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${stack.dappUrl}${options.hash ?? ""}`);
  return { context, page, wallet, errors };
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

  const leaf = expected[0]!;
  const stakeAt = (blockNumber: bigint) =>
    chain.readContract({
      address: pools,
      abi: alphaPoolsAbi,
      functionName: "getStake",
      args: [leaf.hotkey, operatorColdkey, subnet.netuid],
      blockNumber,
    });
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
  const before = await stakeAt(receipt.blockNumber - 1n);
  const after = await stakeAt(receipt.blockNumber);
  check(
    after - before === leaf.amount,
    `the operator's stake on the hotkey grew by ${after - before} alpha-rao, the credit is ${leaf.amount}`,
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
