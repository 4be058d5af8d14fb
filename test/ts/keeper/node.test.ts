/**
 * The keeper as its users run it: `npm run keeper` processes against a real `hardhat node`, exchanging signatures
 * through a shared directory, racing, killed and restarted; and the `status`, `verify` and `claim` commands.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { expect } from "chai";
import { network } from "hardhat";

import { createWorld, keeperKeys, prng, type World } from "../../../scripts/lib/keeper-world.ts";
import { freePort, startHardhatNode, type NodeProcess } from "../helpers/node.ts";
import { activity, expectCleanHistory } from "./harness.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const CLI = path.join(ROOT, "keeper", "cli.ts");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env, DEBUG: "" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("keeper processes against a hardhat node", function () {
  this.timeout(1_200_000);
  let node: NodeProcess;
  let w: World;
  let tmp: string;
  let close: () => Promise<void>;
  const deploymentId = `keeper-node-test-${process.pid}`;
  const children = new Set<ChildProcess>();

  const start = (name: string, keys: string[], extra: string[] = []) => {
    const child = spawn(
      process.execPath,
      [
        CLI,
        "run",
        "--rpc-url",
        node.url,
        "--deployments",
        tmp,
        "--signature-dir",
        path.join(tmp, "signatures"),
        "--poll-interval",
        "200",
        "--grace",
        "0",
        "--peers",
        "1",
        ...extra,
      ],
      {
        cwd: ROOT,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, KEEPER_PRIVATE_KEYS: keys.join(","), KEEPER_LOG_LEVEL: "warn" },
      },
    );
    let log = "";
    child.stdout.on("data", (c: Buffer) => (log += c.toString()));
    child.stderr.on("data", (c: Buffer) => (log += c.toString()));
    children.add(child);
    child.on("exit", () => children.delete(child));
    return { child, name, log: () => log };
  };
  const kill = (child: ChildProcess, signal: NodeJS.Signals = "SIGKILL") =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.pid === undefined) return resolve();
      child.once("exit", () => resolve());
      process.kill(-child.pid, signal);
    });

  before(async () => {
    node = await startHardhatNode();
    const connection = await network.create({ network: "localhost", override: { url: node.url } });
    close = () => connection.close();
    w = await createWorld({ connection, deploymentId, seed: "node" });
    const rand = prng(4);
    for (const name of ["Apex", "Dippy"]) {
      const s = await w.addSubnet({ name, validators: 2, miners: 3 });
      for (const [j, v] of s.validators.entries()) await w.stake(v, v.coldkey, s.netuid, String(30 + 5 * j));
      await w.stake(s.owner, s.owner.coldkey, s.netuid, "10");
      await w.setWeights(s, s.owner, rand);
    }
    tmp = mkdtempSync(path.join(os.tmpdir(), "keeper-node-"));
    const contract = (address: string) => ({ address, startBlock: 0 });
    writeFileSync(
      path.join(tmp, `${w.chainId}.json`),
      JSON.stringify({
        chainId: w.chainId,
        contracts: {
          AlphaPools: contract(w.economy.pools.address),
          AlphaPoolsExtension: contract(w.economy.extension.address),
          SubnetRegistry: contract(w.economy.registry.address),
          Metagraph: contract(w.economy.metagraph.address),
          MarketsLens: contract(w.economy.lens.address),
          RootDividends: contract(w.economy.rootDividends.address),
          EpochSettlement: contract(w.economy.settlement.address),
        },
      }),
    );
  });

  after(async () => {
    for (const child of [...children]) await kill(child);
    await close?.();
    await node?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    rmSync(path.join(ROOT, "ignition", "deployments", deploymentId), { recursive: true, force: true });
  });

  it("two processes (one keeper each, quorum 2) exchange signed files, race, survive SIGKILL, settle every epoch once", async () => {
    const keys = keeperKeys();
    const metricsPort = await freePort();
    const a = { keys: [keys[0]!], extra: ["--metrics-port", String(metricsPort)] };
    const b = { keys: [keys[1]!], extra: [] as string[] };
    let pa = start("a", a.keys, a.extra);
    let pb = start("b", b.keys, b.extra);
    const rand = prng(12);
    const target = 10;
    let kills = 0;
    const deadline = Date.now() + 900_000;
    let healthChecked = false;
    try {
      for (;;) {
        const progress = await Promise.all(w.subnets.map((s) => w.economy.settlement.read.progress([s.netuid])));
        if (progress.every((p) => p[2] >= target)) break;
        if (Date.now() > deadline) throw new Error(`not settled in time: ${pa.log()}\n${pb.log()}`);
        // A keeper process that ended by itself (not killed here) failed: say why now rather than at the deadline.
        for (const p of [pa, pb]) {
          if (p.child.exitCode !== null) throw new Error(`keeper ${p.name} exited (${p.child.exitCode}): ${p.log()}`);
        }
        await activity(w, { rand });
        await w.testClient.mine({ blocks: 2 });
        await new Promise((resolve) => setTimeout(resolve, 300));
        if (!healthChecked && progress.some((p) => p[2] >= 1)) {
          // Process a may be restarting: /health answers 503 until its keeper completed a first tick. Its gauges are
          // those of its last tick, which may have run before the finalisation seen above: wait for its next one.
          let health: Response | undefined;
          let metrics = "";
          for (let attempt = 0; attempt < 80; attempt++) {
            if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 250));
            health = await fetch(`http://127.0.0.1:${metricsPort}/health`).catch(() => undefined);
            if (health?.status !== 200) continue;
            metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
            if (/keeper_last_settled_epoch\{netuid="\d+"\} [1-9]/.test(metrics)) break;
          }
          if (health === undefined) throw new Error(`no /health on port ${metricsPort}: ${pa.log()}`);
          expect(health.status).to.equal(200);
          expect(metrics).to.match(/keeper_last_settled_epoch\{netuid="\d+"\} [1-9]/);
          expect(metrics).to.match(/keeper_balance_wei\{keeper="0x[0-9a-fA-F]{40}"\} \d/);
          healthChecked = true;
        }
        if (rand() < 0.15) {
          // Kill one of them at a random moment and restart it.
          const victim = rand() < 0.5 ? "a" : "b";
          if (victim === "a") {
            await kill(pa.child);
            pa = start("a", a.keys, a.extra);
          } else {
            await kill(pb.child);
            pb = start("b", b.keys, b.extra);
          }
          kills++;
        }
      }
    } finally {
      await kill(pa.child, "SIGTERM");
      await kill(pb.child, "SIGTERM");
    }
    expect(healthChecked).to.equal(true);
    expect(kills).to.be.greaterThan(2);
    for (const s of w.subnets) expect(await expectCleanHistory(w, s.netuid)).to.be.at.least(target);
  });

  it("status --json: per netuid the last settled epoch, the pot, the next due block and the challenge deadline", async () => {
    const r = await runCli(["status", "--json", "--rpc-url", node.url, "--deployments", tmp]);
    expect(r.code, r.stderr).to.equal(0);
    const status = JSON.parse(r.stdout) as {
      block: number;
      subnets: {
        netuid: number;
        lastSettledEpoch: number;
        nextDueBlock: number | null;
        pot: { serverAlphaRao: string } | null;
        unclaimedAlphaRao: string | null;
        challengeDeadline: unknown;
      }[];
    };
    expect(status.subnets.map((s) => s.netuid)).to.deep.equal(w.subnets.map((s) => s.netuid));
    for (const s of status.subnets) {
      const p = await w.economy.settlement.read.progress([s.netuid]);
      expect(s.lastSettledEpoch).to.equal(p[2]);
      expect(s.nextDueBlock).to.equal(Number(p[3]));
      expect(s).to.have.property("pot");
      expect(s).to.have.property("challengeDeadline");
      if (s.lastSettledEpoch > 0) {
        const record = await w.economy.settlement.read.epochRecord([s.netuid, p[0], s.lastSettledEpoch]);
        expect(s.unclaimedAlphaRao).to.equal(String(record.claimableAlphaRao));
        if (p[1] === p[2]) expect(s.pot?.serverAlphaRao).to.equal(String(record.potServerAlphaRao));
      }
    }
  });

  it("verify: every settled epoch matches bit for bit (exit 0); an unsettled epoch or a bad argument fails", async () => {
    const netuid = w.subnets[0]!.netuid;
    const settled = (await w.economy.settlement.read.progress([netuid]))[2];
    expect(settled, "epochs settled by the processes above").to.be.at.least(2);
    for (const epoch of [1, Math.floor(settled / 2), settled]) {
      const r = await runCli([
        "verify",
        "--netuid",
        String(netuid),
        "--epoch",
        String(epoch),
        "--rpc-url",
        node.url,
        "--deployments",
        tmp,
      ]);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.match(new RegExp(`netuid ${netuid} epoch ${epoch} \\(Finalised\\): MATCH`));
    }
    const later = await runCli([
      "verify",
      "--netuid",
      String(netuid),
      "--epoch",
      String(settled + 5),
      "--rpc-url",
      node.url,
      "--deployments",
      tmp,
    ]);
    expect(later.code).to.equal(1);
    expect(later.stderr).to.match(/is not closed yet/);
    const unknown = await runCli([
      "verify",
      "--netuid",
      "77",
      "--epoch",
      "1",
      "--rpc-url",
      node.url,
      "--deployments",
      tmp,
    ]);
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr.trim().split("\n")).to.have.length(1);
    expect(unknown.stderr).to.match(/netuid 77 is not an active subnet \(active: /);
    const bad = await runCli(["verify", "--netuid", "x", "--epoch", "1", "--rpc-url", node.url]);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(/--netuid must be an integer/);
    const missing = await runCli(["verify", "--epoch", "1"]);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.match(/missing --netuid/);
  });

  it("claim: claims what is left of an epoch once; unreachable RPC and bad hotkey are one line", async () => {
    const netuid = w.subnets[1]!.netuid;
    const key = keeperKeys()[2]!;
    const settled = (await w.economy.settlement.read.progress([netuid]))[2];
    const args = [
      "claim",
      "--netuid",
      String(netuid),
      "--epoch",
      String(settled),
      "--rpc-url",
      node.url,
      "--deployments",
      tmp,
    ];
    const first = await runCli(args, { KEEPER_PRIVATE_KEY: key });
    expect(first.code, first.stderr).to.equal(0);
    const second = await runCli(args, { KEEPER_PRIVATE_KEY: key });
    expect(second.code, second.stderr).to.equal(0);
    expect(second.stdout).to.match(/0 claim\(s\) sent/);
    const record = await w.economy.settlement.read.epochRecord([netuid, 1, settled]);
    expect(record.claimableAlphaRao).to.equal(0n);
    const port = await freePort();
    const down = await runCli(["status", "--rpc-url", `http://127.0.0.1:${port}`]);
    expect(down.code).to.equal(1);
    expect(down.stderr.trim().split("\n")).to.have.length(1);
    expect(down.stderr).to.match(/cannot reach .* connection refused/);
    const badHotkey = await runCli([...args, "--hotkey", "0x12"], { KEEPER_PRIVATE_KEY: key });
    expect(badHotkey.code).to.equal(2);
    expect(badHotkey.stderr).to.match(/--hotkey must be a 32-byte account id/);
    const noKey = await runCli(args, { KEEPER_PRIVATE_KEY: "", KEEPER_PRIVATE_KEYS: "", CI: "1" });
    expect(noKey.code).to.equal(2);
    expect(noKey.stderr).to.match(/claim needs a key/);
  });

  it("run: a bad config stops at start naming the field", async () => {
    const bad = await runCli(["run", "--rpc-url", node.url, "--deployments", tmp, "--claim", "some"], {
      KEEPER_PRIVATE_KEYS: keeperKeys()[0]!,
    });
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(
      /config field claimPolicy: --claim \(or KEEPER_CLAIM\) must be one of all, none, got "some"/,
    );
    const port = await runCli(["run", "--rpc-url", node.url, "--poll-interval", "5"], {
      KEEPER_PRIVATE_KEYS: keeperKeys()[0]!,
    });
    expect(port.code).to.equal(2);
    expect(port.stderr).to.match(
      /config field pollIntervalMs: --poll-interval .* must be an integer from 100 to 600000/,
    );
    const wrongQuorum = await runCli(["run", "--rpc-url", node.url, "--deployments", tmp, "--quorum", "3"], {
      KEEPER_PRIVATE_KEYS: keeperKeys()[0]!,
    });
    expect(wrongQuorum.code).to.equal(1);
    expect(wrongQuorum.stderr).to.match(/the contract's quorum is 2, but this keeper expects 3/);
  });
});
