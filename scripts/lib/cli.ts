/**
 * Commands that fail well: one small parser for options and environment variables, shared by every command
 * (`npm start`, `npm run deploy`, `npm run export-deployments`, `npm run yuma`, and later the keeper and tasks).
 *
 *   - an unknown option or command prints one line naming it, then the usage, and exits 2;
 *   - `--help` / `-h` prints the usage and exits 0;
 *   - a bad option value or environment variable is one line naming it and what is allowed, exit 2;
 *   - an expected failure (an unreachable RPC URL, a missing file) is one line, exit 1;
 *   - nothing prints a stack trace unless DEBUG=1 (then unexpected errors print theirs).
 *
 * Options are `--name`, `--name value`, `--name=value` and `-h`; `--` ends them.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

/** A mistake in how the command was called: printed as one line and the usage; exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** A bad value (an option's or an environment variable's): one line naming it and what is allowed; exit 2. */
export class InputError extends Error {
  override name = "InputError";
}

/** An expected failure (an unreachable node, a missing file, a port in use): one line; exit 1. */
export class CommandError extends Error {
  override name = "CommandError";
}

export type OptionSpec = { type: "boolean"; short?: string } | { type: "string"; short?: string };

export interface CommandSpec<O extends Record<string, OptionSpec> = Record<string, OptionSpec>> {
  /** How people run the command, for messages: "npm start". */
  name: string;
  /** The whole usage text (`--help` prints it, a usage error prints it after the line). */
  usage: string;
  options: O;
  /** How many positional arguments it takes; none unless given. */
  positionals?: { min: number; max: number; names?: string };
}

export type OptionValues<O extends Record<string, OptionSpec>> = {
  [K in keyof O]?: O[K] extends { type: "boolean" } ? boolean : string;
};

export interface ParsedCommandLine<O extends Record<string, OptionSpec>> {
  values: OptionValues<O>;
  positionals: string[];
  help: boolean;
}

/** Parses argv (without node and the script) against a spec; throws UsageError on anything it does not know. */
export function parseCommandLine<O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  argv: readonly string[],
): ParsedCommandLine<O> {
  const values: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  let help = false;
  const byShort = new Map<string, string>();
  for (const [name, option] of Object.entries(spec.options)) if (option.short) byShort.set(option.short, name);

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === "--help" || arg === "-h") {
      help = true;
      continue;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq < 0 ? undefined : arg.slice(eq + 1);
    } else {
      name = byShort.get(arg.slice(1));
    }
    const option = name === undefined ? undefined : spec.options[name];
    if (name === undefined || option === undefined) throw new UsageError(`unknown option ${arg.split("=")[0]}`);
    if (option.type === "boolean") {
      if (inline !== undefined) throw new UsageError(`option --${name} takes no value (got --${name}=${inline})`);
      values[name] = true;
    } else if (inline !== undefined) {
      values[name] = inline;
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("-")) throw new UsageError(`option --${name} needs a value`);
      values[name] = next;
      i++;
    }
  }

  if (!help) {
    const { min, max, names } = spec.positionals ?? { min: 0, max: 0 };
    if (positionals.length > max) {
      throw new UsageError(`unexpected argument ${JSON.stringify(positionals[max])}`);
    }
    if (positionals.length < min) throw new UsageError(`missing ${names ?? "argument"}`);
  }
  return { values: values as OptionValues<O>, positionals, help };
}

/* ENVIRONMENT */

type Env = Readonly<Record<string, string | undefined>>;

/** A variable's value, or undefined when it is unset or empty (an empty value means "use the default"). */
export function envValue(name: string, env: Env = process.env): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

export interface IntegerRule {
  /** Used when the variable is unset or empty. */
  default: number;
  min: number;
  max?: number;
  /** Unit for messages ("ms"). */
  unit?: string;
  /** A value below `min` that is allowed and what it means, e.g. `{ value: 0, meaning: "automine-only" }`. */
  special?: { value: number; meaning: string };
}

/** What an integer rule allows, for messages: "≥ 1000 ms or 0 for automine-only", "from 1 to 65535". */
export function describeIntegerRule(rule: IntegerRule): string {
  const unit = rule.unit ? ` ${rule.unit}` : "";
  const range = rule.max === undefined ? `≥ ${rule.min}${unit}` : `an integer from ${rule.min} to ${rule.max}${unit}`;
  return rule.special ? `${range} or ${rule.special.value} for ${rule.special.meaning}` : range;
}

/** An integer environment variable; InputError naming the variable and its range otherwise. */
export function envInteger(name: string, rule: IntegerRule, env: Env = process.env): number {
  const raw = envValue(name, env);
  if (raw === undefined) return rule.default;
  const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  const inRange =
    Number.isSafeInteger(value) &&
    ((value >= rule.min && (rule.max === undefined || value <= rule.max)) || value === rule.special?.value);
  if (!inRange) {
    const fractional = Number.isFinite(Number(raw)) && !Number.isInteger(Number(raw));
    const whole = fractional && rule.max === undefined ? "a whole number " : "";
    throw new InputError(`${name} must be ${whole}${describeIntegerRule(rule)}, got ${raw}`);
  }
  return value;
}

const TRUE = ["1", "true", "yes", "on"];
const FALSE = ["0", "false", "no", "off"];

/** A yes/no environment variable (1/0, true/false, yes/no, on/off); undefined when unset. */
export function envFlag(name: string, env: Env = process.env): boolean | undefined {
  const raw = envValue(name, env);
  if (raw === undefined) return undefined;
  if (TRUE.includes(raw.toLowerCase())) return true;
  if (FALSE.includes(raw.toLowerCase())) return false;
  throw new InputError(`${name} must be 1 or 0 (or true/false, yes/no, on/off), got ${raw}`);
}

/** An http(s) URL from a variable or an option (named `what` in the message). */
export function checkHttpUrl(what: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(`${what} must be an http(s) URL such as http://127.0.0.1:8545, got ${raw}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InputError(`${what} must be an http(s) URL, got ${raw} (${url.protocol} is not supported)`);
  }
  return raw;
}

/** A hex private key, checked without ever echoing it. */
export function checkPrivateKey(what: string, raw: string): string {
  if (!/^(0x)?[0-9a-fA-F]{64}$/.test(raw.trim())) {
    throw new InputError(
      `${what} must be a private key of 32 bytes (64 hex digits, 0x optional); got ${raw.length} characters`,
    );
  }
  return raw.trim();
}

/* NETWORK FAILURES */

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused (is the node running?)",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  ECONNRESET: "connection reset",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  EADDRNOTAVAIL: "address not available on this machine",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  UND_ERR_SOCKET: "connection closed",
  CERT_HAS_EXPIRED: "TLS certificate expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "self-signed TLS certificate",
  ERR_TLS_CERT_ALTNAME_INVALID: "TLS certificate does not match the host",
};

/** A network failure somewhere in an error's cause chain, in a few words; undefined for anything else. */
export function describeNetworkError(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e !== null && typeof e === "object" && depth < 8; depth++) {
    const { code, name, cause } = e as { code?: unknown; name?: unknown; cause?: unknown };
    if (typeof code === "string" && code in NETWORK_CODES) return NETWORK_CODES[code];
    if (name === "TimeoutError") return "no answer in time";
    e = cause;
  }
  return undefined;
}

/** An error's message and its causes' messages: "fetch failed: bad port". */
function causeMessages(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; depth++, e = e.cause) parts.push(e.message);
  return parts.length > 0 ? parts.join(": ") : String(error);
}

/**
 * Asks an RPC URL for its chain id; a failure is one CommandError line naming `what` and the URL.
 * `what` is e.g. "the network localhost".
 */
export async function probeRpc(what: string, url: string, timeoutMs = 10_000): Promise<number> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const why = describeNetworkError(error) ?? causeMessages(error);
    throw new CommandError(`cannot reach ${what} at ${url}: ${why}`, { cause: error });
  }
  if (!response.ok) throw new CommandError(`${what} at ${url} answered HTTP ${response.status}, not JSON-RPC`);
  let body: { result?: unknown; error?: { message?: string } };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new CommandError(`${what} at ${url} did not answer with JSON: not a JSON-RPC endpoint`);
  }
  if (typeof body.result !== "string" || !/^0x[0-9a-fA-F]+$/.test(body.result)) {
    throw new CommandError(
      `${what} at ${url} did not answer eth_chainId${body.error?.message ? `: ${body.error.message}` : ""}`,
    );
  }
  return Number(BigInt(body.result));
}

/* RUNNING A COMMAND */

function debugEnabled(): boolean {
  const value = process.env.DEBUG;
  return value !== undefined && value !== "" && value !== "0";
}

function firstLine(text: string): string {
  return text.split("\n").find((line) => line.trim() !== "") ?? text;
}

/**
 * A viem error's first line is its own summary ("Missing or invalid parameters."); the node's words are in
 * `details` (e.g. "Transaction maxFeePerGas (1) is too low for the next block, …"). Both, on one line.
 */
function withNodeDetails(error: Error, line: string): string {
  const details = (error as { details?: unknown }).details;
  if (typeof details !== "string" || details.trim() === "" || line.includes(details)) return line;
  return `${line.replace(/\.$/, "")}: ${firstLine(details)}`;
}

/**
 * Prints an error the way the module comment describes and returns the exit code. Errors the command did not
 * expect are still one line (with a hint), and their stack only with DEBUG=1.
 */
export function reportError(spec: Pick<CommandSpec, "name" | "usage">, error: unknown): number {
  const say = (line: string) => process.stderr.write(`${spec.name}: ${line}\n`);
  if (error instanceof UsageError) {
    say(error.message);
    process.stderr.write(`\n${spec.usage.trimEnd()}\n`);
    return 2;
  }
  if (error instanceof InputError) {
    say(error.message);
    return 2;
  }
  if (error instanceof CommandError) {
    say(error.message);
    if (debugEnabled() && error.cause !== undefined) console.error(error.cause);
    return 1;
  }
  const network = describeNetworkError(error);
  const message = error instanceof Error ? withNodeDetails(error, firstLine(error.message)) : String(error);
  if (network !== undefined) say(`${network}: ${message}`);
  else if (debugEnabled()) {
    say(message);
    console.error(error);
  } else say(`${message} (run with DEBUG=1 for details)`);
  return 1;
}

/**
 * Runs a command: parses the command line, answers `--help`, runs `main` and turns its result into the exit code
 * (0 unless it returns another), or reports what it threw.
 */
export async function runCommand<O extends Record<string, OptionSpec>>(
  spec: CommandSpec<O>,
  main: (args: ParsedCommandLine<O>) => Promise<number | void>,
  argv: readonly string[] = process.argv.slice(2),
): Promise<void> {
  try {
    const args = parseCommandLine(spec, argv);
    if (args.help) {
      process.stdout.write(`${spec.usage.trimEnd()}\n`);
      process.exitCode = 0;
      return;
    }
    process.exitCode = (await main(args)) ?? 0;
  } catch (error) {
    process.exitCode = reportError(spec, error);
  }
}

/** For module top levels (e.g. hardhat.config.ts): runs `read`, or prints its InputError as one line and exits 2. */
export function exitOnInputError<T>(name: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    process.stderr.write(`${name}: ${error.message}\n`);
    process.exit(2);
  }
}

/** True when `moduleUrl` (a module's `import.meta.url`) is the script node was started with. */
export function isMainModule(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && path.resolve(entry) === fileURLToPath(moduleUrl);
}
