/**
 * Every command fails well (scripts/lib/cli.ts): each bad input runs the command as a child process and checks the
 * exit code, the one line it prints (then the usage, for a usage error) and that no stack trace or Hardhat
 * "report a bug" text appears. The bad inputs are all caught before anything compiles or starts a chain.
 */
import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const KEY = `0x${"ab".repeat(32)}`;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Case {
  title: string;
  script: string;
  args?: string[];
  env?: Record<string, string>;
  code: number;
  /** The first line of stderr (or of stdout with `stream: "stdout"`), exactly. */
  line: string | RegExp;
  /** A usage error prints the usage after the line; other errors print that line alone. */
  usage?: boolean;
  stream?: "stdout";
}

const START = "scripts/start.ts";
const DEPLOY = "scripts/deploy.ts";
const EXPORT = "scripts/export-deployments.ts";
const YUMA = "keeper/yuma/cli.ts";
const HARDHAT = "node_modules/hardhat/dist/src/cli.js";

/** Placeholders filled in when the tests run: {tmp} a scratch folder, {busy} a port held by a server that is not
 * JSON-RPC, {closed} a port nobody listens on. */
const CASES: Case[] = [
  // npm start
  {
    title: "start: an unknown option",
    script: START,
    args: ["--bogus"],
    code: 2,
    line: "npm start: unknown option --bogus",
    usage: true,
  },
  {
    title: "start: a stray argument",
    script: START,
    args: ["now"],
    code: 2,
    line: 'npm start: unexpected argument "now"',
    usage: true,
  },
  {
    title: "start: a value on a flag",
    script: START,
    args: ["--once=yes"],
    code: 2,
    line: "npm start: option --once takes no value (got --once=yes)",
    usage: true,
  },
  {
    title: "start: --seed with --no-seed",
    script: START,
    args: ["--seed", "--no-seed"],
    code: 2,
    line: "npm start: --seed and --no-seed contradict each other",
    usage: true,
  },
  {
    title: "start: BLOCK_INTERVAL_MS below 1000",
    script: START,
    env: { BLOCK_INTERVAL_MS: "5" },
    code: 2,
    line: "npm start: BLOCK_INTERVAL_MS must be ≥ 1000 ms or 0 for automine-only, got 5",
  },
  {
    title: "start: BLOCK_INTERVAL_MS not a number",
    script: START,
    env: { BLOCK_INTERVAL_MS: "fast" },
    code: 2,
    line: "npm start: BLOCK_INTERVAL_MS must be ≥ 1000 ms or 0 for automine-only, got fast",
  },
  {
    title: "start: BLOCK_INTERVAL_MS fractional",
    script: START,
    env: { BLOCK_INTERVAL_MS: "1500.5" },
    code: 2,
    line: "npm start: BLOCK_INTERVAL_MS must be a whole number ≥ 1000 ms or 0 for automine-only, got 1500.5",
  },
  {
    title: "start: RPC_PORT out of range",
    script: START,
    env: { RPC_PORT: "70000" },
    code: 2,
    line: "npm start: RPC_PORT must be an integer from 1 to 65535, got 70000",
  },
  {
    title: "start: NODE_START_TIMEOUT_MS too short",
    script: START,
    env: { NODE_START_TIMEOUT_MS: "10" },
    code: 2,
    line: "npm start: NODE_START_TIMEOUT_MS must be ≥ 1000 ms, got 10",
  },
  {
    title: "start: SEED neither yes nor no",
    script: START,
    env: { SEED: "maybe" },
    code: 2,
    line: "npm start: SEED must be 1 or 0 (or true/false, yes/no, on/off), got maybe",
  },
  {
    title: "start: START_ONCE neither yes nor no",
    script: START,
    env: { START_ONCE: "twice" },
    code: 2,
    line: "npm start: START_ONCE must be 1 or 0 (or true/false, yes/no, on/off), got twice",
  },
  {
    title: "start: a bad IGNITION_DEPLOYMENT_ID",
    script: START,
    env: { IGNITION_DEPLOYMENT_ID: "9/x" },
    code: 2,
    line: "npm start: IGNITION_DEPLOYMENT_ID must start with a letter and hold only letters, digits, _ and -, got 9/x",
  },
  {
    title: "start: an unresolvable RPC_HOST",
    script: START,
    env: { RPC_HOST: "no-such-host.invalid" },
    code: 1,
    line: "npm start: RPC_HOST=no-such-host.invalid cannot be resolved to an address of this machine",
  },
  {
    title: "start: a port in use",
    script: START,
    env: { RPC_PORT: "{busy}" },
    code: 1,
    line: "npm start: Port {busy} on 127.0.0.1 is already in use by another program. Stop it, or run on another port: RPC_PORT=8546 npm start",
  },
  {
    title: "hardhat: BLOCK_INTERVAL_MS is checked by hardhat.config.ts too",
    script: HARDHAT,
    args: ["compile"],
    env: { BLOCK_INTERVAL_MS: "5" },
    code: 2,
    line: "hardhat.config.ts: BLOCK_INTERVAL_MS must be ≥ 1000 ms or 0 for automine-only, got 5",
  },
  // npm run deploy
  {
    title: "deploy: an unknown option",
    script: DEPLOY,
    args: ["--netwrok", "localhost"],
    code: 2,
    line: "npm run deploy: unknown option --netwrok",
    usage: true,
  },
  {
    title: "deploy: a stray argument",
    script: DEPLOY,
    args: ["localhost"],
    code: 2,
    line: 'npm run deploy: unexpected argument "localhost"',
    usage: true,
  },
  {
    title: "deploy: --network without a name",
    script: DEPLOY,
    args: ["--network"],
    code: 2,
    line: "npm run deploy: option --network needs a value",
    usage: true,
  },
  {
    title: "deploy: an unknown network",
    script: DEPLOY,
    args: ["--network", "mainnet"],
    code: 2,
    line: "npm run deploy: unknown network mainnet; hardhat.config.ts has: default, node, localhost, evmTestnet, bittensorTestnet, bittensorMainnet",
  },
  {
    title: "deploy: bittensorTestnet without a key",
    script: DEPLOY,
    args: ["--network", "bittensorTestnet"],
    code: 2,
    line: "npm run deploy: BITTENSOR_PRIVATE_KEY is not set: the network bittensorTestnet needs it. Set it in the environment, or in Hardhat's keystore: npx hardhat keystore set BITTENSOR_PRIVATE_KEY",
  },
  {
    title: "deploy: bittensorTestnet with a malformed key (never echoed)",
    script: DEPLOY,
    args: ["--network", "bittensorTestnet"],
    env: { BITTENSOR_PRIVATE_KEY: "0xsecret" },
    code: 2,
    line: "npm run deploy: BITTENSOR_PRIVATE_KEY must be a private key of 32 bytes (64 hex digits, 0x optional); got 8 characters",
  },
  {
    title: "deploy: evmTestnet without EVM_RPC_URL",
    script: DEPLOY,
    args: ["--network", "evmTestnet"],
    env: { EVM_PRIVATE_KEY: KEY },
    code: 2,
    line: "npm run deploy: EVM_RPC_URL is not set: the network evmTestnet needs it. Set it in the environment, or in Hardhat's keystore: npx hardhat keystore set EVM_RPC_URL",
  },
  {
    title: "deploy: evmTestnet without EVM_PRIVATE_KEY",
    script: DEPLOY,
    args: ["--network", "evmTestnet"],
    env: { EVM_RPC_URL: "http://127.0.0.1:8545" },
    code: 2,
    line: /^npm run deploy: EVM_PRIVATE_KEY is not set: the network evmTestnet needs it/,
  },
  {
    title: "deploy: EVM_RPC_URL not a URL",
    script: DEPLOY,
    args: ["--network", "evmTestnet"],
    env: { EVM_RPC_URL: "localhost:8545", EVM_PRIVATE_KEY: KEY },
    code: 2,
    line: "npm run deploy: EVM_RPC_URL must be an http(s) URL, got localhost:8545 (localhost: is not supported)",
  },
  {
    title: "deploy: an RPC URL nobody listens on",
    script: DEPLOY,
    args: ["--network", "evmTestnet"],
    env: { EVM_RPC_URL: "http://127.0.0.1:{closed}", EVM_PRIVATE_KEY: KEY },
    code: 1,
    line: "npm run deploy: cannot reach the network evmTestnet at http://127.0.0.1:{closed}: connection refused (is the node running?)",
  },
  {
    title: "deploy: an RPC URL whose host does not resolve",
    script: DEPLOY,
    args: ["--network", "evmTestnet"],
    env: { EVM_RPC_URL: "http://no-such-host.invalid:8545", EVM_PRIVATE_KEY: KEY },
    code: 1,
    line: "npm run deploy: cannot reach the network evmTestnet at http://no-such-host.invalid:8545: host not found",
  },
  {
    title: "deploy: an RPC URL that is not JSON-RPC",
    script: DEPLOY,
    args: ["--network", "evmTestnet"],
    env: { EVM_RPC_URL: "http://127.0.0.1:{busy}", EVM_PRIVATE_KEY: KEY },
    code: 1,
    line: /^npm run deploy: cannot reach the network evmTestnet at http:\/\/127\.0\.0\.1:\d+: /,
  },
  {
    title: "deploy: a missing parameters file",
    script: DEPLOY,
    args: ["--network", "localhost", "--parameters", "fast"],
    code: 2,
    line: "npm run deploy: no ignition/parameters/fast.json; the parameters files are: bittensor-like, evmTestnet, local",
  },
  {
    title: "deploy: a missing DEPLOY_PARAMETERS file",
    script: DEPLOY,
    args: ["--network", "localhost"],
    env: { DEPLOY_PARAMETERS: "fast" },
    code: 2,
    line: "npm run deploy: no ignition/parameters/fast.json; the parameters files are: bittensor-like, evmTestnet, local",
  },
  // npm run export-deployments
  {
    title: "export: an unknown option",
    script: EXPORT,
    args: ["--chain", "945"],
    code: 2,
    line: "npm run export-deployments: unknown option --chain",
    usage: true,
  },
  {
    title: "export: a chain id that is not a number",
    script: EXPORT,
    args: ["--chain-id", "main"],
    code: 2,
    line: "npm run export-deployments: --chain-id must be a positive integer, got main",
  },
  {
    title: "export: a malformed deployment id",
    script: EXPORT,
    args: ["--deployment-id=../x"],
    code: 2,
    line: "npm run export-deployments: --deployment-id must start with a letter and hold only letters, digits, _ and -, got ../x",
  },
  {
    title: "export: a deployment that does not exist",
    script: EXPORT,
    args: ["--deployment-id", "nothing-here"],
    code: 1,
    line: "npm run export-deployments: no Ignition deployment in ignition/deployments/nothing-here: deploy first (npm start, or npm run deploy -- --network <name>)",
  },
  // npm run yuma
  {
    title: "yuma: no command",
    script: YUMA,
    code: 2,
    line: "yuma: missing command (run, check or bench)",
    usage: true,
  },
  {
    title: "yuma: an unknown command",
    script: YUMA,
    args: ["verify", "x"],
    code: 2,
    line: 'yuma: unknown command "verify"',
    usage: true,
  },
  {
    title: "yuma: an unknown option",
    script: YUMA,
    args: ["check", "--strict", "x"],
    code: 2,
    line: "yuma: unknown option --strict",
    usage: true,
  },
  {
    title: "yuma: run without a file",
    script: YUMA,
    args: ["run"],
    code: 2,
    line: "yuma: run needs a scenario file",
    usage: true,
  },
  {
    title: "yuma: check on a folder with no scenario files",
    script: YUMA,
    args: ["check", "{tmp}/empty"],
    code: 1,
    line: "yuma: {tmp}/empty: no scenario files (*.json) to check",
  },
  {
    title: "yuma: check on a path that does not exist",
    script: YUMA,
    args: ["check", "{tmp}/nope"],
    code: 1,
    line: "yuma: {tmp}/nope: no such file or directory",
  },
];

let tmp = "";
const ports = { busy: 0, closed: 0 };

function fill(text: string): string {
  return text
    .replaceAll("{tmp}", tmp)
    .replaceAll("{busy}", String(ports.busy))
    .replaceAll("{closed}", String(ports.closed));
}

function run(script: string, args: string[] = [], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const filledEnv = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, fill(v)]));
    const child = spawn(process.execPath, [script, ...args.map(fill)], {
      cwd: ROOT,
      // A keystore of its own (none), so a developer's keys never change the outcome; no CI flag, no DEBUG.
      env: { ...process.env, XDG_CONFIG_HOME: join(tmp, "config"), CI: "", DEBUG: "", ...filledEnv },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs jobs with a few at a time (the machine has few cores; each job is a Node process). */
async function pool<T>(jobs: (() => Promise<T>)[], width: number): Promise<T[]> {
  const results: T[] = new Array<T>(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

function expectNoStack(output: string): void {
  expect(output, "no stack trace").to.not.match(/^\s+at .+:\d+:\d+\)?$/m);
  expect(output, "no Hardhat bug-report text").to.not.match(
    /report-bug|please report it|An unexpected error occurred/i,
  );
}

describe("commands fail well (child processes)", function () {
  this.timeout(180_000);

  let server: net.Server | undefined;
  const results = new Map<string, Result>();
  const usageOf = new Map<string, string>();

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), "commands-"));
    mkdirSync(join(tmp, "empty"));
    mkdirSync(join(tmp, "config"));
    // A TCP server that is not JSON-RPC (it closes every connection), to hold a port.
    server = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server!.listen({ host: "127.0.0.1", port: 0 }, resolve));
    ports.busy = (server.address() as net.AddressInfo).port;
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen({ host: "127.0.0.1", port: 0 }, resolve));
    ports.closed = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));

    const helps = [START, DEPLOY, EXPORT, YUMA];
    const outputs = await pool(
      [
        ...CASES.map((c) => () => run(c.script, c.args, c.env)),
        ...helps.map((script) => () => run(script, ["--help"])),
      ],
      4,
    );
    CASES.forEach((c, i) => results.set(c.title, outputs[i]!));
    helps.forEach((script, i) => {
      const help = outputs[CASES.length + i]!;
      expect(help.code, `${script} --help: ${help.stderr}`).to.equal(0);
      usageOf.set(script, help.stdout);
    });
  });

  after(() => {
    server?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  for (const [script, usage] of [
    [START, /^Usage: npm start \[-- <options>\]/],
    [DEPLOY, /^Usage: npm run deploy -- \[--network <name>\] \[--parameters <name>\]/],
    [EXPORT, /^Usage: npm run export-deployments -- /],
    [YUMA, /^Usage: npm run -s yuma -- <command>/],
  ] as const) {
    it(`${script} --help prints the usage and exits 0`, () => {
      expect(usageOf.get(script)).to.match(usage);
    });
  }

  for (const c of CASES) {
    it(c.title, () => {
      const r = results.get(c.title)!;
      const output = c.stream === "stdout" ? r.stdout : r.stderr;
      const context = `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
      expect(r.code, context).to.equal(c.code);
      const [first, ...rest] = output.trimEnd().split("\n");
      if (typeof c.line === "string") expect(first, context).to.equal(fill(c.line));
      else expect(first, context).to.match(c.line);
      if (c.usage) {
        expect(rest.join("\n").trim(), "the usage follows the line").to.equal(usageOf.get(c.script)?.trim());
      } else {
        expect(rest, `one line only\n${context}`).to.deep.equal([]);
      }
      expectNoStack(r.stdout + r.stderr);
      if (c.env?.BITTENSOR_PRIVATE_KEY) expect(r.stdout + r.stderr).to.not.include(c.env.BITTENSOR_PRIVATE_KEY);
    });
  }

  it("deploy finds a key in Hardhat's keystore by name, without asking for its password", async () => {
    const config = join(tmp, "keystore-config");
    mkdirSync(join(config, "hardhat-nodejs"), { recursive: true });
    // Only the key names matter here; the values stay encrypted (and are not read).
    writeFileSync(
      join(config, "hardhat-nodejs", "keystore.json"),
      JSON.stringify({ _format: "hh-unencrypted-keystore", secrets: { BITTENSOR_PRIVATE_KEY: { cipherText: "…" } } }),
    );
    const r = await run(DEPLOY, ["--network", "bittensorTestnet"], { XDG_CONFIG_HOME: config });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^BITTENSOR_PRIVATE_KEY: set\. Nothing is deployed on bittensorTestnet/);
  });

  it("deploy --network bittensorTestnet checks the key, then says that nothing is deployed there", async () => {
    const r = await run(DEPLOY, ["--network", "bittensorTestnet"], { BITTENSOR_PRIVATE_KEY: KEY });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.equal("");
    expect(r.stdout).to.match(/^BITTENSOR_PRIVATE_KEY: set\. Nothing is deployed on bittensorTestnet \(chain 945\)/);
    expect(r.stdout).to.include("No transaction was sent and no deployments file was written.");
    expect(r.stdout).to.not.include(KEY);
  });
});
