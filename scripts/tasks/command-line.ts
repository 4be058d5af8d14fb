/**
 * The project's Hardhat tasks fail like its other commands (scripts/lib/cli.ts): an unknown option, a stray argument
 * or an unknown `fund:` command is one line naming it, then the usage, and exit 2. Hardhat's own answer would be an
 * error code ("HHE504"), a link and exit 1. The check runs when the runtime environment is created, before Hardhat
 * parses the task's arguments (see ./strict-arguments-hook.ts); `--help` is left to Hardhat.
 */
import { ArgumentType } from "hardhat/types/arguments";
import type { Task } from "hardhat/types/tasks";

/** The task families this check owns: Hardhat's own and the plugins' tasks keep Hardhat's behaviour. */
export const PROJECT_TASK_PREFIXES = ["fund:"] as const;

export interface CommandLineProblem {
  /** Who complains: "hardhat fund:status", or "hardhat" for an unknown command. */
  command: string;
  /** The one line: what is wrong, naming the argument. */
  message: string;
  /** The usage printed after it. */
  usage: string;
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * Checks a Hardhat command line (argv without node and the CLI) whose task is one of the project's. Returns the
 * problem, or undefined when the command line is fine, asks for help, or runs a task the project does not own.
 *
 * `globalOptions` are the runtime's global option values (`hre.globalOptions`): their names are the options every
 * task accepts, and a boolean value marks a flag (no value follows it).
 */
export function checkTaskCommandLine(
  rawArgv: readonly string[],
  tasks: ReadonlyMap<string, Task>,
  globalOptions: object,
): CommandLineProblem | undefined {
  // Hardhat reads `--name=value` as `--name value`.
  const argv = rawArgv.flatMap((a) =>
    a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a],
  );
  if (argv.some((a) => a === "--help" || a === "-h")) return undefined;
  const globals = new Map<string, boolean>([
    ["--config", true],
    ["--show-stack-traces", false],
    ["--version", false],
    ["--init", false],
  ]);
  for (const [name, value] of Object.entries(globalOptions))
    globals.set(`--${kebab(name)}`, typeof value !== "boolean");

  // The task is the first argument that is neither an option nor a global option's value.
  let taskIndex = -1;
  for (let i = 0; i < argv.length && argv[i] !== "--"; i++) {
    if (!argv[i]!.startsWith("-")) {
      taskIndex = i;
      break;
    }
    if (globals.get(argv[i]!) === true) i++;
  }
  if (taskIndex < 0) return undefined;
  const id = argv[taskIndex]!;
  if (!PROJECT_TASK_PREFIXES.some((prefix) => id.startsWith(prefix))) return undefined;
  const task = tasks.get(id);
  if (task === undefined)
    return { command: "hardhat", message: `unknown command ${id}`, usage: familyUsage(id, tasks) };
  if (task.positionalArguments.length > 0) return undefined; // none of ours takes any; Hardhat checks them

  const fail = (message: string) => ({ command: `hardhat ${id}`, message, usage: taskUsage(task) });
  const options = new Map([...task.options.values()].map((o) => [`--${kebab(o.name)}`, o.type !== ArgumentType.FLAG]));
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (i === taskIndex || /^-v+$/.test(arg)) continue; // -v, -vv…: Hardhat's verbosity level
    if (arg === "--")
      return argv[i + 1] === undefined ? undefined : fail(`unexpected argument ${JSON.stringify(argv[i + 1])}`);
    if (!arg.startsWith("-")) return fail(`unexpected argument ${JSON.stringify(arg)}`);
    const own = options.get(arg);
    const takesValue = own ?? globals.get(arg);
    if (takesValue === undefined) return fail(`unknown option ${arg}`);
    if (own !== undefined) {
      if (seen.has(arg)) return fail(`${arg} is given twice`);
      seen.add(arg);
    }
    if (takesValue) {
      if (argv[i + 1] === undefined || /^--./.test(argv[i + 1]!)) return fail(`${arg} needs a value`);
      i++;
    }
  }
  return undefined;
}

/** One task's usage: its options (each optional to Hardhat; the task says which it needs) and where help is. */
export function taskUsage(task: Task): string {
  const id = task.id.join(" ");
  const options = [...task.options.values()]
    .filter((o) => o.hidden !== true)
    .map((o) => (o.type !== ArgumentType.FLAG ? `[--${kebab(o.name)} <${kebab(o.name)}>]` : `[--${kebab(o.name)}]`));
  return [
    `Usage: npx hardhat ${id} [--network <name>] ${options.join(" ")}`.trimEnd(),
    `${task.description}.`,
    `Every option: npx hardhat ${id} --help`,
  ].join("\n");
}

/** The commands of the family `id` belongs to (`fund:`), one per line. */
function familyUsage(id: string, tasks: ReadonlyMap<string, Task>): string {
  const prefix = PROJECT_TASK_PREFIXES.find((p) => id.startsWith(p))!;
  const family = [...tasks.values()].filter((t) => t.id.join(" ").startsWith(prefix));
  const width = Math.max(...family.map((t) => t.id.join(" ").length));
  return [
    `The ${prefix.replace(/:$/, "")} commands (npx hardhat <command> --help for each):`,
    ...family.map((t) => `  ${t.id.join(" ").padEnd(width)}  ${t.description}`),
  ].join("\n");
}
