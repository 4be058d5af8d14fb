/**
 * `npx hardhat fund:launch --network <net> --fund-config fund.json`: checks the config (every problem names its
 * field; exit 2, before connecting), finds the FundFactory of the chain (deployments/<chainId>.json, or the config's
 * `factory`; on Bittensor, where none is listed, it deploys the implementations and the factory against Bittensor's
 * precompiles), creates the fund and lists it under `funds` in deployments/<chainId>.json.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

import { type Address, getAddress } from "viem";

import { formatRaoAsTao } from "../../client/index.ts";
import { CommandError, InputError } from "../lib/cli.ts";
import { type FundPlan, parseFundConfigText, resolveTime } from "../lib/fund-config.ts";
import {
  allocatorInitData,
  createFund,
  deployFundFactory,
  FUND_KINDS,
  indexInitData,
  miningInitData,
  saltOf,
} from "../lib/funds.ts";
import { connect, fundAction, precompileAddressesOf, readDeployments, updateDeployments } from "./fund-common.ts";

export default fundAction<{ fundConfig: string }>("fund:launch", async ({ fundConfig }, hre) => {
  if (fundConfig === "") {
    throw new InputError("--fund-config <file> is required (a fund config such as examples/fund.json)");
  }
  let source: string;
  try {
    source = await readFile(fundConfig, "utf8");
  } catch {
    throw new InputError(`--fund-config: cannot read ${fundConfig} (no such file, or not readable)`);
  }
  const plan = parseFundConfigText(source, path.basename(fundConfig));

  const { connection, chainId, networkName } = await connect(hre);
  const { viem } = connection;
  const publicClient = await viem.getPublicClient();
  const [wallet] = await viem.getWalletClients();
  if (!wallet) throw new CommandError(`the network ${networkName} has no account to launch from`);
  console.log(
    `Launching ${plan.engine.name} (${plan.engine.symbol}), a ${plan.kind} fund, on ${networkName} (chain ${chainId})`,
  );
  console.log(`  from ${wallet.account.address}`);

  const deployments = await readDeployments(chainId);
  let factory: Address | undefined = plan.factory ?? asAddress(deployments.contracts?.FundFactory?.address);
  if (factory === undefined) {
    const addresses = await precompileAddressesOf(chainId);
    if (!addresses) {
      throw new CommandError(
        `no FundFactory on chain ${chainId}: deployments/${chainId}.json lists none and no precompile addresses to ` +
          `deploy one against (run npm start for a local chain, or set "factory" in the config)`,
      );
    }
    console.log("  no FundFactory listed for this chain: deploying the implementations and the factory");
    const deployed = await deployFundFactory(connection, { addresses }, { log: (line) => console.log(`  ${line}`) });
    factory = deployed.factory.address;
    await updateDeployments(chainId, (d) => ({
      ...d,
      contracts: { ...d.contracts, FundFactory: { ...deployed.factory } },
    }));
  }
  const code = await publicClient.getCode({ address: factory });
  if (code === undefined || code === "0x") throw new CommandError(`no contract at the FundFactory address ${factory}`);

  const salt = saltOf(plan.salt);
  const factoryContract = await viem.getContractAt("FundFactory", factory);
  const predicted = await factoryContract.read.predictFund([FUND_KINDS[plan.kind], wallet.account.address, salt]);
  const existing = await publicClient.getCode({ address: predicted });
  if (existing !== undefined && existing !== "0x") {
    throw new CommandError(
      `this account already launched a fund with salt "${plan.salt}" at ${predicted}; set another "salt" in the config`,
    );
  }

  const launchSeconds = (await publicClient.getBlock()).timestamp;
  const initData = await initDataOf(connection, plan, launchSeconds);
  console.log(`  creating the fund at ${predicted} through FundFactory ${factory}`);
  const created = await createFund(connection, factory, plan.kind, salt, initData);
  const file = await updateDeployments(chainId, (d) => ({
    ...d,
    funds: {
      ...d.funds,
      [plan.engine.symbol]: { address: created.address, kind: plan.kind, startBlock: created.startBlock },
    },
  }));
  console.log(
    `Launched ${plan.engine.symbol} at ${created.address} (block ${created.startBlock}, tx ${created.transactionHash})`,
  );
  if (plan.raise) {
    const start = resolveTime(plan.raise.start, launchSeconds);
    const end = resolveTime(plan.raise.end, launchSeconds);
    console.log(
      `  raise: ${formatRaoAsTao(plan.raise.softCapRao)} to ${formatRaoAsTao(plan.raise.hardCapRao)} TAO, ` +
        `${new Date(Number(start) * 1000).toISOString()} to ${new Date(Number(end) * 1000).toISOString()}`,
    );
  }
  console.log(`  listed in ${path.relative(process.cwd(), file)} as "${plan.engine.symbol}"`);
  console.log(`  next: npx hardhat fund:status --network ${networkName} --fund ${plan.engine.symbol}`);
});

function asAddress(raw: string | undefined): Address | undefined {
  return raw === undefined ? undefined : getAddress(raw);
}

async function initDataOf(connection: Parameters<typeof miningInitData>[0], plan: FundPlan, launchSeconds: bigint) {
  if (plan.kind === "mining") {
    const { start, end, ...terms } = plan.raise!;
    return miningInitData(connection, plan.engine, {
      ...terms,
      startTime: resolveTime(start, launchSeconds),
      endTime: resolveTime(end, launchSeconds),
    });
  }
  if (plan.kind === "allocator") return allocatorInitData(connection, plan.engine, plan.allocator!);
  return indexInitData(connection, plan.engine, plan.index!);
}
