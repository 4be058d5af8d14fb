import { expect } from "chai";
import net from "node:net";

import {
  checkHttpUrl,
  checkPrivateKey,
  CommandError,
  describeNetworkError,
  envFlag,
  envInteger,
  InputError,
  parseCommandLine,
  probeRpc,
  reportError,
  UsageError,
} from "../../../scripts/lib/cli.ts";
import { blockIntervalMs } from "../../../scripts/lib/env.ts";

const SPEC = {
  name: "demo",
  usage: "Usage: demo [--fast] [--out <dir>] <file>",
  options: { fast: { type: "boolean", short: "f" }, out: { type: "string" } },
  positionals: { min: 1, max: 1, names: "a file" },
} as const;

/** Captures what reportError writes to stderr (and console.error) while it runs. */
function captureReport(error: unknown, env: { DEBUG?: string } = {}): { code: number; text: string } {
  const write = process.stderr.write.bind(process.stderr);
  const consoleError = console.error;
  const debug = process.env.DEBUG;
  let text = "";
  process.stderr.write = (chunk: string) => {
    text += chunk;
    return true;
  };
  console.error = (...args: unknown[]) => {
    text += args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : String(a))).join(" ") + "\n";
  };
  if (env.DEBUG === undefined) delete process.env.DEBUG;
  else process.env.DEBUG = env.DEBUG;
  try {
    return { code: reportError(SPEC, error), text };
  } finally {
    process.stderr.write = write;
    console.error = consoleError;
    if (debug === undefined) delete process.env.DEBUG;
    else process.env.DEBUG = debug;
  }
}

describe("scripts/lib/cli: the shared command line and environment parser", () => {
  describe("parseCommandLine", () => {
    it("reads flags, values (both spellings), short options and positionals", () => {
      const a = parseCommandLine(SPEC, ["--fast", "--out", "dir", "x.json"]);
      expect(a).to.deep.equal({ values: { fast: true, out: "dir" }, positionals: ["x.json"], help: false });
      const b = parseCommandLine(SPEC, ["-f", "--out=d=2", "y"]);
      expect(b.values).to.deep.equal({ fast: true, out: "d=2" });
      expect(parseCommandLine(SPEC, ["--", "--not-an-option"]).positionals).to.deep.equal(["--not-an-option"]);
    });

    it("answers --help and -h anywhere, without checking the rest", () => {
      expect(parseCommandLine(SPEC, ["--help"]).help).to.equal(true);
      expect(parseCommandLine(SPEC, ["-h", "--fast"]).help).to.equal(true);
    });

    const mistakes: [string[], string][] = [
      [["--slow", "x"], "unknown option --slow"],
      [["--slow=1", "x"], "unknown option --slow"],
      [["-x", "x"], "unknown option -x"],
      [["--fast=yes", "x"], "option --fast takes no value (got --fast=yes)"],
      [["x", "--out"], "option --out needs a value"],
      [["--out", "--fast", "x"], "option --out needs a value"],
      [["x", "y"], 'unexpected argument "y"'],
      [[], "missing a file"],
    ];
    for (const [argv, message] of mistakes) {
      it(`rejects ${JSON.stringify(argv)}: ${message}`, () => {
        expect(() => parseCommandLine(SPEC, argv)).to.throw(UsageError, message);
      });
    }
  });

  describe("environment variables", () => {
    const rule = { default: 7, min: 1, max: 10 };

    it("envInteger: the default when unset or empty, the value when in range", () => {
      expect(envInteger("N", rule, {})).to.equal(7);
      expect(envInteger("N", rule, { N: " " })).to.equal(7);
      expect(envInteger("N", rule, { N: "10" })).to.equal(10);
      expect(envInteger("N", rule, { N: " 3 " })).to.equal(3);
    });

    for (const bad of ["0", "11", "-1", "3.5", "1e1", "abc", "0x5"]) {
      it(`envInteger rejects ${bad}, naming the variable and the range`, () => {
        expect(() => envInteger("N", rule, { N: bad })).to.throw(
          InputError,
          `N must be an integer from 1 to 10, got ${bad}`,
        );
      });
    }

    it("BLOCK_INTERVAL_MS: ≥ 1000 ms or 0 for automine-only", () => {
      expect(blockIntervalMs({})).to.equal(2000);
      expect(blockIntervalMs({ BLOCK_INTERVAL_MS: "0" })).to.equal(0);
      expect(blockIntervalMs({ BLOCK_INTERVAL_MS: "1000" })).to.equal(1000);
      expect(() => blockIntervalMs({ BLOCK_INTERVAL_MS: "999" })).to.throw(
        InputError,
        "BLOCK_INTERVAL_MS must be ≥ 1000 ms or 0 for automine-only, got 999",
      );
      expect(() => blockIntervalMs({ BLOCK_INTERVAL_MS: "-1000" })).to.throw(InputError, "got -1000");
    });

    it("envFlag reads 1/0, true/false, yes/no, on/off, and nothing else", () => {
      expect(envFlag("F", {})).to.equal(undefined);
      for (const yes of ["1", "true", "YES", "On"]) expect(envFlag("F", { F: yes })).to.equal(true);
      for (const no of ["0", "false", "no", "OFF"]) expect(envFlag("F", { F: no })).to.equal(false);
      expect(() => envFlag("F", { F: "2" })).to.throw(
        InputError,
        "F must be 1 or 0 (or true/false, yes/no, on/off), got 2",
      );
    });

    it("checkHttpUrl accepts http(s) and names anything else", () => {
      expect(checkHttpUrl("U", "https://example.org/rpc")).to.equal("https://example.org/rpc");
      expect(() => checkHttpUrl("U", "example.org")).to.throw(InputError, "U must be an http(s) URL such as");
      expect(() => checkHttpUrl("U", "ws://127.0.0.1:8545")).to.throw(InputError, "(ws: is not supported)");
    });

    it("checkPrivateKey accepts 32 bytes of hex and never echoes a bad key", () => {
      expect(checkPrivateKey("K", `0x${"a".repeat(64)}`)).to.equal(`0x${"a".repeat(64)}`);
      expect(checkPrivateKey("K", "b".repeat(64))).to.equal("b".repeat(64));
      let message = "";
      try {
        checkPrivateKey("K", "0xdeadbeefsecret");
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).to.equal("K must be a private key of 32 bytes (64 hex digits, 0x optional); got 16 characters");
    });
  });

  describe("failures", () => {
    it("describeNetworkError finds the network cause in a chain", () => {
      const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
      expect(describeNetworkError(new Error("fetch failed", { cause: refused }))).to.equal(
        "connection refused (is the node running?)",
      );
      expect(describeNetworkError(Object.assign(new Error("x"), { code: "ENOTFOUND" }))).to.equal("host not found");
      expect(describeNetworkError(Object.assign(new Error("t"), { name: "TimeoutError" }))).to.equal(
        "no answer in time",
      );
      expect(describeNetworkError(new Error("plain"))).to.equal(undefined);
    });

    it("probeRpc reads a chain id, and names the URL when nothing answers", async () => {
      const server = net.createServer((socket) =>
        socket.once("data", () =>
          socket.end(
            'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{"jsonrpc":"2.0","id":1,"result":"0x7a69"}',
          ),
        ),
      );
      await new Promise<void>((resolve) => server.listen({ host: "127.0.0.1", port: 0 }, resolve));
      const port = (server.address() as net.AddressInfo).port;
      try {
        expect(await probeRpc("the node", `http://127.0.0.1:${port}`)).to.equal(31337);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
      let message = "";
      await probeRpc("the node", `http://127.0.0.1:${port}`).catch((error: Error) => {
        expect(error).to.be.instanceOf(CommandError);
        message = error.message;
      });
      expect(message).to.equal(
        `cannot reach the node at http://127.0.0.1:${port}: connection refused (is the node running?)`,
      );
    });

    it("reportError: a usage error is the line and the usage, exit 2", () => {
      const r = captureReport(new UsageError("unknown option --x"));
      expect(r).to.deep.equal({ code: 2, text: `demo: unknown option --x\n\n${SPEC.usage}\n` });
    });

    it("reportError: an input error is one line, exit 2; a command error one line, exit 1", () => {
      expect(captureReport(new InputError("N must be …"))).to.deep.equal({ code: 2, text: "demo: N must be …\n" });
      expect(captureReport(new CommandError("cannot reach …"))).to.deep.equal({
        code: 1,
        text: "demo: cannot reach …\n",
      });
    });

    it("reportError: an unexpected error is one line with a hint; its stack only with DEBUG=1", () => {
      const bug = new Error("undefined is not a function\n  more detail");
      const quiet = captureReport(bug);
      expect(quiet).to.deep.equal({
        code: 1,
        text: "demo: undefined is not a function (run with DEBUG=1 for details)\n",
      });
      const loud = captureReport(bug, { DEBUG: "1" });
      expect(loud.code).to.equal(1);
      expect(loud.text).to.match(/^demo: undefined is not a function\n/);
      expect(loud.text).to.match(/\n\s+at .+/);
    });

    it("reportError: a node's refusal wrapped by viem names the node's reason, not only viem's summary", () => {
      const refused = Object.assign(
        new Error(
          "Missing or invalid parameters.\nDouble check you have provided the correct parameters.\n\nDetails: Nonce too high. Expected 5, got 6",
        ),
        {
          details: "Nonce too high. Expected 5, got 6",
        },
      );
      expect(captureReport(refused)).to.deep.equal({
        code: 1,
        text: "demo: Missing or invalid parameters: Nonce too high. Expected 5, got 6 (run with DEBUG=1 for details)\n",
      });
    });

    it("reportError: a network failure in an unexpected error still reads as one line", () => {
      const error = new Error("request failed", {
        cause: Object.assign(new Error("getaddrinfo ENOTFOUND x"), { code: "ENOTFOUND" }),
      });
      expect(captureReport(error)).to.deep.equal({ code: 1, text: "demo: host not found: request failed\n" });
    });
  });
});
