/**
 * Any of our contracts' errors as one readable line.
 *
 * `decodeError` takes whatever a client threw (a viem error, an ethers error, a JSON-RPC error object) or raw revert
 * data, finds the revert data inside it and decodes it against the project's error ABI (`errorAbi` over every
 * contract's ABI): `DeadlineExpired(deadline=1700000000, timestamp=1700000123)`. Solidity's `Error(string)` and
 * `Panic(uint256)` decode too. Data that matches no known error, and errors without revert data, say so.
 *
 * Pure: no I/O (the node-only loader in `node.ts` reads the ABIs from the Hardhat artifacts).
 */
import { decodeErrorResult, isHex, toFunctionSelector, type Abi, type AbiParameter, type Hex } from "viem";
import { formatAbiItem } from "viem/utils";

/** An `error` item of an ABI. */
export type AbiError = Extract<Abi[number], { type: "error" }>;

export interface DecodedError {
  /** The error's name (`DeadlineExpired`); undefined when there is no revert data or it matches no known error. */
  name: string | undefined;
  /** The decoded arguments, in declaration order (empty when not decoded). */
  args: readonly unknown[];
  /** One line for people: `DeadlineExpired(deadline=1, timestamp=2)`, or what is known when it did not decode. */
  line: string;
  /** The revert data found, if any. */
  data: Hex | undefined;
}

/** The error items of several ABIs, one per selector (the same error declared in several contracts counts once). */
export function errorAbi(abis: readonly Abi[]): AbiError[] {
  const bySelector = new Map<string, AbiError>();
  for (const abi of abis) {
    for (const item of abi) {
      if (item.type !== "error") continue;
      const selector = toFunctionSelector(formatAbiItem(item));
      if (!bySelector.has(selector)) bySelector.set(selector, item);
    }
  }
  return [...bySelector.values()];
}

/** Solidity's panic codes (the compiler's documentation lists them). */
const PANIC_REASONS: Record<number, string> = {
  0x00: "generic compiler panic",
  0x01: "assert failed",
  0x11: "arithmetic underflow or overflow",
  0x12: "division or modulo by zero",
  0x21: "invalid enum value",
  0x22: "incorrectly encoded storage byte array",
  0x31: "pop on an empty array",
  0x32: "array index out of bounds",
  0x41: "too much memory allocated",
  0x51: "call to a zero-initialized internal function",
};

/** Revert data: "0x" followed by whole bytes, empty or at least a 4-byte selector. */
function isRevertData(value: unknown): value is Hex {
  return (
    typeof value === "string" &&
    isHex(value, { strict: true }) &&
    value.length % 2 === 0 &&
    (value.length === 2 || value.length >= 10)
  );
}

/** Fields that may hold revert data or an error that does, in viem, ethers and JSON-RPC error objects. */
const DATA_FIELDS = ["raw", "data", "error", "info", "cause"] as const;

/**
 * Finds revert data in an error: the first non-empty one found breadth-first, else an empty "0x" if that is all
 * there is. Only the fields above are followed, so a transaction's own calldata is never mistaken for it.
 */
export function findRevertData(error: unknown): Hex | undefined {
  if (isRevertData(error)) return error;
  const queue: unknown[] = [error];
  const seen = new Set<unknown>();
  let empty: Hex | undefined;
  while (queue.length > 0 && seen.size < 64) {
    const current = queue.shift();
    if (current === null || typeof current !== "object" || seen.has(current)) continue;
    seen.add(current);
    for (const field of DATA_FIELDS) {
      const value: unknown = (current as Record<string, unknown>)[field];
      if (isRevertData(value)) {
        if (value.length > 2) return value;
        empty ??= value;
      } else if (value !== null && typeof value === "object") {
        queue.push(value);
      }
    }
  }
  return empty;
}

/** An argument for people: numbers in decimal, strings quoted, arrays and structs spelled out. */
export function formatErrorValue(value: unknown): string {
  if (typeof value === "bigint" || typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "string") return isHex(value) ? value : JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(formatErrorValue).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}=${formatErrorValue(v)}`)
      .join(", ")}}`;
  }
  return String(value);
}

function formatCall(name: string, inputs: readonly AbiParameter[], args: readonly unknown[]): string {
  const parts = args.map((arg, i) => {
    const label = inputs[i]?.name;
    return label ? `${label}=${formatErrorValue(arg)}` : formatErrorValue(arg);
  });
  return `${name}(${parts.join(", ")})`;
}

/** The first line of an error's own message (viem's `shortMessage` when there is one). */
function firstLine(error: unknown): string {
  if (error instanceof Error) {
    const short = (error as { shortMessage?: unknown }).shortMessage;
    const text = typeof short === "string" && short !== "" ? short : error.message;
    return text.split("\n")[0] ?? "";
  }
  if (error !== null && typeof error === "object" && typeof (error as { message?: unknown }).message === "string") {
    return ((error as { message: string }).message.split("\n")[0] ?? "").trim();
  }
  return String(error);
}

/** Decodes revert data (or an error holding it) against an error ABI; see the module comment. */
export function decodeError(error: unknown, abi: readonly AbiError[] | Abi): DecodedError {
  const data = findRevertData(error);
  if (data === undefined) {
    const message = typeof error === "string" ? error : firstLine(error);
    return { name: undefined, args: [], line: `no revert data (${message})`, data };
  }
  if (data === "0x") return { name: undefined, args: [], line: "reverted without data (no error, no reason)", data };
  let decoded;
  try {
    decoded = decodeErrorResult({ abi, data });
  } catch {
    const selector = data.slice(0, 10);
    const argBytes = (data.length - 10) / 2;
    return {
      name: undefined,
      args: [],
      line: `unknown error ${selector} with ${argBytes} bytes of arguments (not an error of the project's contracts)`,
      data,
    };
  }
  const args = decoded.args ?? [];
  const inputs = "inputs" in decoded.abiItem ? decoded.abiItem.inputs : [];
  let line = formatCall(decoded.errorName, inputs, args);
  if (decoded.errorName === "Panic" && typeof args[0] === "bigint") {
    const code = Number(args[0]);
    line = `Panic(code=0x${code.toString(16).padStart(2, "0")}, ${PANIC_REASONS[code] ?? "unknown panic code"})`;
  }
  return { name: decoded.errorName, args, line, data };
}

/**
 * One line for any error a client throws: the decoded contract error when it carries revert data
 * (`DeadlineExpired(deadline=1, timestamp=2)`), else the error's own first line (a network failure, a rejected
 * signature, a mistake in the input).
 */
export function describeError(error: unknown, abi: readonly AbiError[] | Abi): string {
  const decoded = decodeError(error, abi);
  if (decoded.data !== undefined) return decoded.line;
  return typeof error === "string" ? error : firstLine(error);
}
