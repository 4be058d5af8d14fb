import { expect } from "chai";
import { BrowserProvider, Contract } from "ethers";
import { encodeErrorResult, parseAbi, type Hex } from "viem";

import {
  decodeError,
  describeError,
  errorAbi,
  findRevertData,
  formatErrorValue,
  type AbiError,
} from "../../../client/index.ts";
import { loadProjectErrorAbi } from "../../../client/node.ts";
import { DEADLINE, freshEconomy, hotkeyOf, tao } from "../helpers/economy.ts";

const SAMPLE_ABI = parseAbi([
  "error DeadlineExpired(uint256 deadline, uint256 timestamp)",
  "error Mixed(string name, bool flag, address who, bytes32 id, uint16[] uids, (uint64 a, bool b) pair)",
  "error Unnamed(uint256, uint256)",
  "error DeadlineExpired(uint256 deadline, uint256 timestamp)", // the same error from a second contract
]);

const deadlineData = encodeErrorResult({ abi: SAMPLE_ABI, errorName: "DeadlineExpired", args: [1n, 1_700_000_123n] });

/** A caught rejection, for assertions on the error itself. */
async function rejection(action: Promise<unknown>): Promise<unknown> {
  try {
    await action;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to revert");
}

describe("client: decoding errors", function () {
  this.timeout(120_000);

  let projectAbi: AbiError[];
  before(async () => {
    projectAbi = await loadProjectErrorAbi();
  });

  it("errorAbi keeps each error once per selector, and only errors", () => {
    const abi = errorAbi([SAMPLE_ABI, parseAbi(["function f() view", "event E(uint256 x)"])]);
    expect(abi.map((e) => e.name)).to.deep.equal(["DeadlineExpired", "Mixed", "Unnamed"]);
  });

  it("the project's error ABI covers every contract under artifacts/contracts and no test contract", () => {
    const names = projectAbi.map((e) => e.name);
    for (const name of ["DeadlineExpired", "UnknownSubnet", "LockCostAboveMax", "WeightsRateLimited", "NotWholeRao"]) {
      expect(names, name).to.include(name);
    }
    expect(names, "OpenZeppelin's errors come with the contracts").to.include("AccessControlUnauthorizedAccount");
    expect(names.filter((n) => n === "UnknownSubnet")).to.have.length(1);
    expect(names, "errors of Solidity tests stay out").to.not.include("AssertEq");
  });

  it("decodes raw revert data into name, args and one line", () => {
    const decoded = decodeError(deadlineData, SAMPLE_ABI);
    expect(decoded.name).to.equal("DeadlineExpired");
    expect(decoded.args).to.deep.equal([1n, 1_700_000_123n]);
    expect(decoded.line).to.equal("DeadlineExpired(deadline=1, timestamp=1700000123)");
    expect(decoded.data).to.equal(deadlineData);
  });

  it("spells out strings, booleans, addresses, arrays, structs and unnamed arguments", () => {
    const data = encodeErrorResult({
      abi: SAMPLE_ABI,
      errorName: "Mixed",
      args: [
        "tempo",
        true,
        "0x00000000000000000000000000000000000000aa",
        `0x${"11".repeat(32)}`,
        [1, 2],
        { a: 7n, b: false },
      ],
    });
    expect(decodeError(data, SAMPLE_ABI).line).to.equal(
      // Addresses come checksummed (EIP-55), as viem decodes them.
      `Mixed(name="tempo", flag=true, who=0x00000000000000000000000000000000000000AA, id=0x${"11".repeat(32)}, ` +
        `uids=[1, 2], pair={a=7, b=false})`,
    );
    const unnamed = encodeErrorResult({ abi: SAMPLE_ABI, errorName: "Unnamed", args: [3n, 4n] });
    expect(decodeError(unnamed, SAMPLE_ABI).line).to.equal("Unnamed(3, 4)");
    expect(formatErrorValue(undefined)).to.equal("undefined");
  });

  it("decodes Solidity's Error(string) and Panic(uint256)", () => {
    const reason = encodeErrorResult({ abi: parseAbi(["error Error(string message)"]), args: ["boom"] });
    const e = decodeError(reason, projectAbi);
    expect([e.name, e.line]).to.deep.equal(["Error", 'Error(message="boom")']);
    const panic = encodeErrorResult({ abi: parseAbi(["error Panic(uint256 code)"]), args: [0x11n] });
    expect(decodeError(panic, projectAbi).line).to.equal("Panic(code=0x11, arithmetic underflow or overflow)");
    const odd = encodeErrorResult({ abi: parseAbi(["error Panic(uint256 code)"]), args: [0x99n] });
    expect(decodeError(odd, projectAbi).line).to.equal("Panic(code=0x99, unknown panic code)");
  });

  it("says so when the data is no known error", () => {
    const data: Hex = `0xdeadbeef${"00".repeat(32)}`;
    const decoded = decodeError(data, projectAbi);
    expect(decoded.name).to.equal(undefined);
    expect(decoded.args).to.deep.equal([]);
    expect(decoded.line).to.equal(
      "unknown error 0xdeadbeef with 32 bytes of arguments (not an error of the project's contracts)",
    );
  });

  it("says so when a revert carries no data, or an error has none", () => {
    expect(decodeError("0x", projectAbi).line).to.equal("reverted without data (no error, no reason)");
    const plain = decodeError(new Error("User rejected the request.\nDetails: …"), projectAbi);
    expect(plain).to.deep.equal({
      name: undefined,
      args: [],
      line: "no revert data (User rejected the request.)",
      data: undefined,
    });
    expect(decodeError({ message: "socket hang up" }, projectAbi).line).to.equal("no revert data (socket hang up)");
    expect(decodeError("not hex", projectAbi).line).to.equal("no revert data (not hex)");
  });

  it("describeError is the decoded line when there is revert data, else the error's own first line", () => {
    expect(describeError({ cause: { data: deadlineData } }, SAMPLE_ABI)).to.equal(
      "DeadlineExpired(deadline=1, timestamp=1700000123)",
    );
    expect(describeError(new Error("set HOTKEY\nmore"), SAMPLE_ABI)).to.equal("set HOTKEY");
    expect(describeError("plain text", SAMPLE_ABI)).to.equal("plain text");
    expect(describeError({ data: "0x" }, SAMPLE_ABI)).to.equal("reverted without data (no error, no reason)");
  });

  it("finds the data in a JSON-RPC error as a node sends it (code 3, or -32000 with it nested)", () => {
    const code3 = { code: 3, message: "execution reverted", data: deadlineData };
    const nested = { code: -32000, message: "VM Exception …", data: { message: "VM Exception …", data: deadlineData } };
    expect(decodeError(code3, SAMPLE_ABI).name).to.equal("DeadlineExpired");
    expect(decodeError(nested, SAMPLE_ABI).name).to.equal("DeadlineExpired");
    expect(decodeError({ cause: { cause: nested } }, SAMPLE_ABI).name).to.equal("DeadlineExpired");
  });

  it("never mistakes a transaction's calldata, a short hex string or odd-length hex for revert data", () => {
    const ethersLike = { transaction: { data: deadlineData }, data: null, message: "missing revert data" };
    expect(findRevertData(ethersLike)).to.equal(undefined);
    expect(findRevertData({ data: "0x1234" })).to.equal(undefined);
    expect(findRevertData({ data: "0x123" })).to.equal(undefined);
    expect(findRevertData({ data: "0x", cause: { data: deadlineData } })).to.equal(deadlineData);
  });

  describe("errors thrown by clients of a chain", () => {
    let e: Awaited<ReturnType<typeof freshEconomy>>;
    before(async () => {
      e = await freshEconomy();
    });
    after(async () => {
      await e.connection.close();
    });

    it("viem: a custom error from eth_call", async () => {
      const error = await rejection(e.pools.simulate.addStake([hotkeyOf("v"), 77, 0n, DEADLINE], { value: tao("1") }));
      const decoded = decodeError(error, projectAbi);
      expect(decoded.line).to.equal("UnknownSubnet(netuid=77)");
      expect(decoded.args).to.deep.equal([77]);
    });

    it("viem: a custom error from gas estimation (DeadlineExpired, with the chain's timestamp)", async () => {
      const error = await rejection(e.pools.write.addStake([hotkeyOf("v"), 1, 0n, 1n], { value: tao("1") }));
      const decoded = decodeError(error, projectAbi);
      expect(decoded.name).to.equal("DeadlineExpired");
      expect(decoded.args[0]).to.equal(1n);
      expect(decoded.line).to.match(/^DeadlineExpired\(deadline=1, timestamp=\d{10}\)$/);
    });

    it("ethers: a custom error from a static call", async () => {
      const provider = new BrowserProvider(e.connection.provider);
      const pools = new Contract(e.pools.address, e.pools.abi, await provider.getSigner());
      const error = await rejection(
        pools.getFunction("addStake").staticCall(hotkeyOf("v"), 77, 0n, DEADLINE, { value: tao("1") }),
      );
      expect(decodeError(error, projectAbi).line).to.equal("UnknownSubnet(netuid=77)");
    });
  });
});
