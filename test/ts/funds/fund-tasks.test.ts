/**
 * The `fund:*` tasks as an operator runs them: child processes of `npx hardhat` against a local node (a `hardhat node`
 * on a free port, reached as the `evmTestnet` network with a key, as a real testnet would be). The test deploys the
 * economy, the precompile adapters and a subnet, and writes a deployments file listing only the precompiles, so
 * fund:launch deploys the FundFactory itself. Then: launch → investors contribute → deploy-capital (finalises the
 * raise, stakes) → status → a redemption request → process-redemptions → harvest. Each bad config field is refused
 * by fund:launch in one line that names it, exit 2, before any connection.
 */
import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import { type Address, encodeFunctionData, getAddress, parseEther } from "viem";

import { formatRaoAsTao } from "../../../client/index.ts";

import { DEFAULT_HYPERPARAMETERS } from "../../../ignition/modules/SubnetEconomy.ts";
import { deployEconomy, type Economy } from "../../../scripts/lib/economy.ts";
import { installPrecompiles } from "../../../scripts/lib/precompiles.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const HARDHAT = join(ROOT, "node_modules/hardhat/dist/src/cli.js");
/** Hardhat's account #0 (the node's first account): the launcher and manager. */
const KEY0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const RAO = 10n ** 9n;
const NOTICE = 3600;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

let tmp = "";
let rpcUrl = "";
let connection: NetworkConnection;
/** The organization's second hotkey: an account id not yet registered (fund:register-neuron registers it). */
let newHotkey = `0x${"5a".repeat(32)}`;

function runHardhat(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [HARDHAT, ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        XDG_CONFIG_HOME: join(tmp, "config"),
        DEPLOYMENTS_DIR: join(tmp, "deployments"),
        EVM_RPC_URL: rpcUrl,
        EVM_PRIVATE_KEY: KEY0,
        CI: "",
        DEBUG: "",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const task = (name: string, ...args: string[]) => runHardhat([name, "--network", "evmTestnet", ...args]);

function expectNoStack(output: string): void {
  expect(output, "no stack trace").to.not.match(/^\s+at .+:\d+:\d+\)?$/m);
  expect(output, "no Hardhat bug-report text").to.not.match(/report-bug|An unexpected error occurred/i);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen({ host: "127.0.0.1", port: 0 }, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A fund's address as the tasks listed it in the deployments file. */
async function fundAddress(symbol: string): Promise<Address> {
  const chainId = await (await connection.viem.getPublicClient()).getChainId();
  const listed = JSON.parse(readFileSync(join(tmp, "deployments", `${chainId}.json`), "utf8")) as {
    funds: Record<string, { address: Address }>;
  };
  return listed.funds[symbol]!.address;
}

function fundConfig(overrides: Record<string, unknown>, manager: Address, netuid: number, hotkey: string) {
  return {
    kind: "mining",
    name: "Task Test Fund",
    symbol: "TASK",
    roles: { governance: manager, guardian: manager, manager, feeRecipient: manager },
    fees: { managementBps: 100, performanceBps: 1000 },
    noticePeriodSeconds: NOTICE,
    timelockSeconds: NOTICE + 86_400,
    maxSlippageBps: 1000,
    minRedemptionShares: "0.001",
    // The second hotkey is the organization's own, not yet registered (fund:register-neuron).
    positions: [
      { netuid, hotkey },
      { netuid, hotkey: newHotkey },
    ],
    raise: {
      softCapTao: "10",
      hardCapTao: "1000",
      start: "+0",
      end: "+600",
      minContributionTao: "1",
      maxContributionTao: "500",
      organization: manager,
      organizationAllocationBps: 500,
    },
    ...overrides,
  };
}

describe("fund:* tasks (child processes against a local node)", function () {
  this.timeout(600_000);

  let node: ChildProcess | undefined;
  let economy: Economy;
  let netuid = 0;
  let hotkey = "";
  let manager: Address;

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), "fund-tasks-"));
    const port = await freePort();
    rpcUrl = `http://127.0.0.1:${port}`;
    node = spawn(process.execPath, [HARDHAT, "node", "--hostname", "127.0.0.1", "--port", String(port)], {
      cwd: ROOT,
      detached: true,
      stdio: "ignore",
      env: { ...process.env, BLOCK_INTERVAL_MS: "0" },
    });
    for (let i = 0; ; i++) {
      try {
        const response = await fetch(rpcUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
        });
        if (response.ok) break;
      } catch {
        // not up yet
      }
      if (i > 300) throw new Error(`the node did not answer on ${rpcUrl}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    connection = await network.create({ network: "localhost", override: { url: rpcUrl } });
    const { viem } = connection;
    const wallets = await viem.getWalletClients();
    manager = getAddress(wallets[0]!.account.address);
    // Deep pools whose moving prices follow their spot prices within a few blocks.
    economy = await deployEconomy(
      connection,
      {
        movingAlphaWad: 5n * 10n ** 17n,
        emaHalvingBlocks: 1n,
        minTempo: 1n,
        minLockRao: 1000n * RAO,
        networkRateLimit: 0n,
        hyperparameters: { ...DEFAULT_HYPERPARAMETERS, immunityPeriod: 10, weightsRateLimit: 0 },
      },
      { deploymentId: `fund-tasks-test-${port}` },
    );
    rmSync(join(ROOT, "ignition", "deployments", `fund-tasks-test-${port}`), { recursive: true, force: true });
    const installed = await installPrecompiles(connection, economy);
    hotkey = await economy.pools.read.coldkeyOf([manager]);
    newHotkey = await economy.pools.read.coldkeyOf([getAddress(wallets[5]!.account.address)]);
    const cost = await economy.registry.read.lockCost();
    await economy.registry.write.registerNetwork([hotkey as `0x${string}`, "Task subnet", cost], {
      value: cost * RAO,
    });
    netuid = (await economy.registry.read.activeNetuids()).at(-1)!;
    await economy.registry.write.startCall([netuid]);
    await (await viem.getTestClient()).mine({ blocks: 30 });
    const chainId = await (await viem.getPublicClient()).getChainId();
    mkdirSync(join(tmp, "deployments"), { recursive: true });
    mkdirSync(join(tmp, "config"), { recursive: true });
    writeFileSync(
      join(tmp, "deployments", `${chainId}.json`),
      JSON.stringify({ chainId, contracts: {}, precompiles: { addresses: installed.addresses } }),
    );
  });

  after(async () => {
    await connection?.close();
    if (node?.pid !== undefined) {
      try {
        process.kill(-node.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    rmSync(tmp, { recursive: true, force: true });
  });

  it("launch → contributions → deploy-capital → status → process-redemptions → harvest", async () => {
    const file = join(tmp, "fund.json");
    writeFileSync(file, JSON.stringify(fundConfig({}, manager, netuid, hotkey)));
    const launch = await task("fund:launch", "--fund-config", file);
    expect(launch.code, launch.stdout + launch.stderr).to.equal(0);
    expectNoStack(launch.stdout + launch.stderr);
    expect(launch.stdout).to.include("no FundFactory listed for this chain: deploying");
    const address = /Launched TASK at (0x[0-9a-fA-F]{40})/.exec(launch.stdout)?.[1] as Address;
    expect(address, launch.stdout).to.match(/^0x/);
    const chainId = await (await connection.viem.getPublicClient()).getChainId();
    const listed = JSON.parse(readFileSync(join(tmp, "deployments", `${chainId}.json`), "utf8")) as {
      funds: Record<string, { address: string; kind: string }>;
      contracts: Record<string, { address: string }>;
      precompiles: unknown;
    };
    expect(listed.funds.TASK).to.deep.include({ address, kind: "mining" });
    expect(listed.contracts.FundFactory?.address).to.match(/^0x/);
    expect(listed.precompiles, "the file keeps its other fields").to.not.equal(undefined);

    // The same config again: the address is taken, and the task says so.
    const again = await task("fund:launch", "--fund-config", file);
    expect(again.code).to.equal(1);
    expect(again.stderr.trim()).to.match(
      /^hardhat fund:launch: this account already launched a fund with salt "mining:TASK" at 0x/,
    );

    // Investors contribute; the raise ends.
    const { viem } = connection;
    const wallets = await viem.getWalletClients();
    const fund = await viem.getContractAt("MiningFund", address);
    for (const investor of wallets.slice(1, 3)) {
      await fund.write.contribute([[]], { value: parseEther("40"), account: investor.account });
    }
    const testClient = await viem.getTestClient();
    await testClient.increaseTime({ seconds: 601 });
    await testClient.mine({ blocks: 1 });

    const deploy = await task("fund:deploy-capital", "--fund", "TASK", "--position", "0", "--tao", "30");
    expect(deploy.code, deploy.stdout + deploy.stderr).to.equal(0);
    expect(deploy.stdout).to.include("finalize (the raise has ended)");
    expect(deploy.stdout).to.include("stake 30 TAO into position #0");
    expect(await fund.read.phase()).to.equal(1);
    expect((await fund.read.positionAlphaRao([0n])) > 0n, "the fund holds stake").to.equal(true);

    // An investor claims and asks to redeem half its shares.
    const investor = wallets[1]!;
    await fund.write.claimShares({ account: investor.account });
    const held = await fund.read.balanceOf([investor.account.address]);
    await fund.write.requestRedemption([held / 2n, investor.account.address, false], { account: investor.account });

    const status = await task("fund:status", "--fund", address, "--json");
    expect(status.code, status.stderr).to.equal(0);
    const s = JSON.parse(status.stdout) as {
      kind: string;
      navRao: string;
      positions: { alphaRao: string; valueRao: string }[];
      queue: { head: string; tail: string; lockedShares: string };
      raise: { phase: string; totalRaisedRao: string };
    };
    expect(s.kind).to.equal("mining");
    expect(BigInt(s.navRao) > 70n * RAO, "NAV above 70 TAO").to.equal(true);
    expect(BigInt(s.positions[0]!.valueRao) > 25n * RAO, "the position is worth more than 25 TAO").to.equal(true);
    expect(s.raise).to.deep.equal({ ...s.raise, phase: "succeeded", totalRaisedRao: String(80n * RAO) });
    expect(BigInt(s.queue.tail) - BigInt(s.queue.head)).to.equal(1n);
    expect(BigInt(s.queue.lockedShares)).to.equal(held / 2n);
    const text = await task("fund:status", "--fund", "TASK");
    expect(text.stdout).to.match(/^Task Test Fund \(TASK\), a mining fund at 0x/);
    expect(text.stdout).to.include("Raise             succeeded: 80 of 1,000 TAO");

    // Before the notice ends nothing is processed; after it, the request is paid.
    const early = await task("fund:process-redemptions", "--fund", "TASK");
    expect(early.code, early.stderr).to.equal(0);
    expect(early.stdout).to.match(/the next request \(#0\) is ready at/);
    expect(early.stdout).to.include("Processed 0 request(s)");
    await testClient.increaseTime({ seconds: NOTICE + 1 });
    await testClient.mine({ blocks: 1 });
    const processed = await task("fund:process-redemptions", "--fund", "TASK", "--max-requests", "10");
    expect(processed.code, processed.stdout + processed.stderr).to.equal(0);
    expect(processed.stdout).to.match(/batch 1: 1 request\(s\)/);
    expect(processed.stdout).to.match(/Processed 1 request\(s\) of 0x[0-9a-fA-F]{40}: [\d.,]+ TAO to claim; 0 left/);
    expect(await fund.read.queueHead()).to.equal(1n);
    expect(await fund.read.lockedShares()).to.equal(0n);
    expect(
      (await fund.read.claimableRao([investor.account.address])) > 15n * RAO,
      "the receiver is owed more than 15 TAO",
    ).to.equal(true);

    const harvest = await task("fund:harvest", "--fund", "TASK");
    expect(harvest.code, harvest.stdout + harvest.stderr).to.equal(0);
    expect(harvest.stdout).to.match(/^Harvested TASK at 0x/);
    expect(harvest.stdout).to.match(/fees minted: [\d.,]+ management, [\d.,]+ performance shares/);
  });

  it("register-neuron: refused without a budget or for a registered hotkey; registers once governance set a budget", async () => {
    const { viem } = connection;
    const fund = await viem.getContractAt("MiningFund", await fundAddress("TASK"));
    const noBudget = await task("fund:register-neuron", "--fund", "TASK", "--position", "1", "--max-burn-tao", "5");
    expect(noBudget.code, noBudget.stdout + noBudget.stderr).to.equal(1);
    expect(noBudget.stderr.trim()).to.equal(
      "hardhat fund:register-neuron: the fund's budget has 0 TAO available, less than --max-burn-tao 5: " +
        "registrations burn from the operating budget, which governance sets through the timelock " +
        "(schedule and execute setBudget; fund:status shows the budget)",
    );
    const status = await task("fund:status", "--fund", "TASK");
    expect(status.stdout).to.include("Budget            none (governance sets one through the timelock: setBudget)");

    // Governance (the test's one account) sets a budget through the timelock: 0.1 TAO a second, 20 TAO in all.
    const data = encodeFunctionData({
      abi: fund.abi,
      functionName: "setBudget",
      args: [manager, 100_000_000n, 20n * RAO],
    });
    await fund.write.schedule([data]);
    const testClient = await viem.getTestClient();
    await testClient.increaseTime({ seconds: NOTICE + 86_400 });
    await testClient.mine({ blocks: 1 });
    await fund.write.execute([data]);
    await testClient.increaseTime({ seconds: 100 });
    await testClient.mine({ blocks: 1 });

    const registered = await task("fund:register-neuron", "--fund", "TASK", "--position", "0", "--max-burn-tao", "5");
    expect(registered.code).to.equal(1);
    expect(registered.stderr.trim()).to.match(
      new RegExp(`^hardhat fund:register-neuron: hotkey ${hotkey} is already registered on netuid ${netuid} as uid 0$`),
    );
    const tooMuch = await task("fund:register-neuron", "--fund", "TASK", "--position", "1", "--max-burn-tao", "50");
    expect(tooMuch.code).to.equal(1);
    expect(tooMuch.stderr).to.match(/the fund's budget has 10(\.\d+)? TAO available, less than --max-burn-tao 50:/);

    // The model lets a coldkey register only a hotkey it controls: the hotkey's account approves the fund's coldkey.
    const unapproved = await task("fund:register-neuron", "--fund", "TASK", "--position", "1", "--max-burn-tao", "5");
    expect(unapproved.code).to.equal(1);
    expect(unapproved.stderr.trim()).to.equal(
      `hardhat fund:register-neuron: the neuron precompile refused to register ${newHotkey} on netuid ${netuid}: ` +
        "registration closed on the subnet, a burn above --max-burn-tao, or (on the local model) a hotkey that has " +
        "not approved the fund's coldkey with the Metagraph's approveHotkeyOwner",
    );
    const [, , , , , hotkeyAccount] = await viem.getWalletClients();
    const fundColdkey = await economy.pools.read.coldkeyOf([fund.address]);
    await economy.metagraph.write.approveHotkeyOwner([fundColdkey], { account: hotkeyAccount!.account });

    const spentBefore = await fund.read.budgetSpentRao();
    const ok = await task("fund:register-neuron", "--fund", "TASK", "--position", "1", "--max-burn-tao", "5");
    expect(ok.code, ok.stdout + ok.stderr).to.equal(0);
    expectNoStack(ok.stdout + ok.stderr);
    const line = new RegExp(
      `^Registered hotkey ${newHotkey} on netuid ${netuid} as uid (\\d+) for TASK \\(tx 0x[0-9a-f]{64}\\): ` +
        `burned ([\\d.]+) TAO of the budget, [\\d.]+ TAO left$`,
    ).exec(ok.stdout.trim());
    expect(line, ok.stdout).to.not.equal(null);
    // On chain: the hotkey holds that uid, and the burn came out of the budget.
    const metagraph = await viem.getContractAt("IMetagraphPrecompile", "0x0000000000000000000000000000000000000802");
    expect(await metagraph.read.getHotkey([netuid, Number(line![1])])).to.equal(newHotkey);
    const burned = (await fund.read.budgetSpentRao()) - spentBefore;
    expect(burned > 0n && burned <= 5n * RAO, `burned ${burned} rao`).to.equal(true);
    expect(line![2]).to.equal(formatRaoAsTao(burned));

    const again = await task("fund:register-neuron", "--fund", "TASK", "--position", "1", "--max-burn-tao", "5");
    expect(again.stderr).to.match(new RegExp(`already registered on netuid ${netuid} as uid ${line![1]}\\n`));
    const badPosition = await task("fund:register-neuron", "--fund", "TASK", "--position", "2", "--max-burn-tao", "5");
    expect(badPosition.code).to.equal(2);
    expect(badPosition.stderr.trim()).to.equal(
      "hardhat fund:register-neuron: --position must be an integer from 0 to 1, got 2",
    );
    const noMax = await task("fund:register-neuron", "--fund", "TASK", "--position", "1");
    expect(noMax.code).to.equal(2);
    expect(noMax.stderr.trim()).to.equal(
      "hardhat fund:register-neuron: --max-burn-tao is required: the most TAO the registration may burn (the subnet's burn)",
    );
  });

  it("refuses a bad --fund and a bad --max-requests in one line", async () => {
    const unknown = await task("fund:status", "--fund", "NOPE");
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr.trim()).to.match(
      /^hardhat fund:status: --fund must be an address or a fund symbol of .+ \(TASK\), got NOPE$/,
    );
    const bad = await task("fund:process-redemptions", "--fund", "TASK", "--max-requests", "0");
    expect(bad.code).to.equal(2);
    expect(bad.stderr.trim()).to.equal(
      "hardhat fund:process-redemptions: --max-requests must be an integer from 1 to 1000, got 0",
    );
    expectNoStack(unknown.stderr + bad.stderr);
  });

  const BAD: [string, Record<string, unknown>, string][] = [
    ["kind", { kind: "hedge" }, 'kind must be "mining", "allocator" or "index", got "hedge"'],
    ["name", { name: "" }, 'name must be a non-empty string of at most 64 characters, got ""'],
    [
      "roles.manager",
      {
        roles: {
          governance: KEY0.slice(0, 42),
          guardian: KEY0.slice(0, 42),
          manager: "0x12",
          feeRecipient: KEY0.slice(0, 42),
        },
      },
      'roles.manager must be an EVM address (0x and 40 hex digits), got "0x12"',
    ],
    [
      "fees.performanceBps",
      { fees: { managementBps: 0, performanceBps: 9000 } },
      "fees.performanceBps must be an integer from 0 to 3000, got 9000",
    ],
    [
      "timelockSeconds",
      { timelockSeconds: 10 },
      "timelockSeconds must be at least noticePeriodSeconds + 1 day (90000), so holders can leave before a change applies; got 10",
    ],
    ["maxSlippageBps", { maxSlippageBps: 5000 }, "maxSlippageBps must be an integer from 0 to 1000, got 5000"],
    [
      "positions[0].hotkey",
      { positions: [{ netuid: 1, hotkey: "alice" }] },
      'positions[0].hotkey must be 32 bytes in hex (0x and 64 hex digits: a hotkey\'s public key), got "alice"',
    ],
    [
      "raise.hardCapTao",
      {
        raise: {
          softCapTao: "10",
          hardCapTao: "5",
          start: "+0",
          end: "+60",
          maxContributionTao: "1",
          organization: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        },
      },
      "raise.hardCapTao must be at least raise.softCapTao (10)",
    ],
    [
      "raise.end",
      {
        raise: {
          softCapTao: "10",
          hardCapTao: "50",
          start: "+60",
          end: "+60",
          maxContributionTao: "1",
          organization: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
        },
      },
      "raise.end must be after raise.start",
    ],
    [
      "a misspelt key",
      { fee: {} },
      "fee is not a field of the fund config (allowed: $comment, kind, name, symbol, salt, factory, roles, fees, noticePeriodSeconds, timelockSeconds, maxSlippageBps, minRedemptionShares, positions, raise, allocator, index)",
    ],
  ];
  for (const [title, overrides, message] of BAD) {
    it(`fund:launch refuses a bad ${title} with one line naming it (exit 2)`, async () => {
      const file = join(tmp, `bad-${title.replace(/\W+/g, "-")}.json`);
      writeFileSync(file, JSON.stringify(fundConfig(overrides, manager, 1, `0x${"11".repeat(32)}`)));
      // The default (in-process) network: the config is refused before anything connects.
      const r = await runHardhat(["fund:launch", "--fund-config", file]);
      expect(r.code, r.stdout + r.stderr).to.equal(2);
      expect(r.stderr.trim()).to.equal(`hardhat fund:launch: ${file.split("/").at(-1)}: ${message}`);
      expect(r.stdout).to.equal("");
      expectNoStack(r.stderr);
    });
  }

  it("an unknown option, a stray argument or an unknown fund command: one line and the usage, exit 2", async () => {
    const option = await runHardhat(["fund:status", "--fund", "TASK", "--bogus", "1"]);
    expect(option.code).to.equal(2);
    const [line, blank, usage] = option.stderr.split("\n");
    expect([line, blank]).to.deep.equal(["hardhat fund:status: unknown option --bogus", ""]);
    expect(usage).to.equal("Usage: npx hardhat fund:status [--network <name>] [--fund <fund>] [--json]");
    const stray = await runHardhat(["fund:harvest", "--fund", "TASK", "now"]);
    expect(stray.code).to.equal(2);
    expect(stray.stderr.split("\n")[0]).to.equal('hardhat fund:harvest: unexpected argument "now"');
    const command = await runHardhat(["fund:lanch", "--fund-config", "fund.json"]);
    expect(command.code).to.equal(2);
    expect(command.stderr.split("\n")[0]).to.equal("hardhat: unknown command fund:lanch");
    expect(command.stderr).to.contain("fund:launch");
    const help = await runHardhat(["fund:status", "--help"]);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.contain("--fund");
    for (const r of [option, stray, command]) {
      expect(r.stdout).to.equal("");
      expectNoStack(r.stderr);
      expect(r.stderr).to.not.match(/HHE\d+/);
    }
  });

  it("fund:launch names a missing file and a missing option", async () => {
    const missing = await runHardhat(["fund:launch", "--fund-config", join(tmp, "nope.json")]);
    expect(missing.code).to.equal(2);
    expect(missing.stderr.trim()).to.equal(
      `hardhat fund:launch: --fund-config: cannot read ${join(tmp, "nope.json")} (no such file, or not readable)`,
    );
    const none = await runHardhat(["fund:launch"]);
    expect(none.code).to.equal(2);
    expect(none.stderr.trim()).to.equal(
      "hardhat fund:launch: --fund-config <file> is required (a fund config such as examples/fund.json)",
    );
  });
});
