/** `npx hardhat fund:status --network <net> --fund <address or symbol> [--json]`: a fund at a glance. */
import { formatFundStatus, fundStatusJson } from "../lib/fund-config.ts";
import { connect, fundAction, readFundStatus, resolveFund } from "./fund-common.ts";

export default fundAction<{ fund: string; json: boolean }>("fund:status", async ({ fund, json }, hre) => {
  const { connection, chainId } = await connect(hre);
  const address = await resolveFund(fund, chainId);
  const status = await readFundStatus(connection, address);
  if (json) console.log(JSON.stringify(fundStatusJson(status), null, 2));
  else console.log(formatFundStatus(status).join("\n"));
});
