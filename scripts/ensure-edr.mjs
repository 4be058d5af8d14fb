// Hardhat 3's simulator (EDR) ships its native binding as an optional package that
// declares `engines: node >= 22`. When `npm install` runs under an older system Node,
// npm silently skips it. This hook runs after every install: if the binding cannot be
// loaded, it repeats the install once under the project's own Node (node_modules/.bin/node,
// from the `node` devDependency), which npm then accepts.
import { execSync, spawnSync } from "node:child_process";
import path from "node:path";

const GUARD = "ALPHA_MARKETS_EDR_REINSTALL";

// Checked in a child process: Node caches a failed native load for the life of a process.
function edrLoads() {
  const probe = spawnSync(process.execPath, ["-e", 'require("@nomicfoundation/edr")'], { stdio: "ignore" });
  return probe.status === 0;
}

if (process.env[GUARD]) process.exit(0);
if (edrLoads()) process.exit(0);

const bin = path.resolve("node_modules", ".bin");
console.log(`[postinstall] EDR binding missing under Node ${process.version}; reinstalling with the project's Node…`);
try {
  execSync("npm install --no-audit --no-fund", {
    stdio: "inherit",
    env: { ...process.env, [GUARD]: "1", PATH: `${bin}${path.delimiter}${process.env.PATH}` },
  });
} catch (err) {
  console.error("[postinstall] the second install failed:", err.message);
  process.exit(1);
}
if (!edrLoads()) {
  console.error(
    "[postinstall] Hardhat's EDR binding still cannot be loaded. Install Node.js 22.13+ " +
      "(or keep the `node` devDependency) and run `npm install` again.",
  );
  process.exit(1);
}
