/** The shell: header (navigation, network, wallet), the page for the current hash route, toasts. */
import { Suspense, lazy, useEffect, useState } from "react";
import { type Address, getAddress } from "viem";

import { EpochsPage } from "./pages/EpochsPage.tsx";
import { MarketsPage } from "./pages/MarketsPage.tsx";
import { SubnetPage } from "./pages/SubnetPage.tsx";
import { AccountBar } from "./wallet/WalletMenu.tsx";

// Liquid staking's and the funds' pages load on first visit: they stay out of the initial bundle.
const AllocatePage = lazy(() => import("./pages/AllocatePage.tsx"));
const PortfolioPage = lazy(() => import("./pages/PortfolioPage.tsx"));
const FundsPage = lazy(() => import("./pages/FundsPage.tsx"));

export type Route =
  | { page: "markets" | "epochs" | "allocate" | "portfolio" }
  | { page: "subnet"; netuid: number }
  | { page: "funds"; fund: Address | undefined }
  | { page: "unknown" };

/**
 * Hash routes: `#/` (markets), `#/subnet/<netuid>`, `#/allocate`, `#/portfolio`, `#/funds`, `#/funds/<address>` and
 * `#/epochs`. No router library: seven routes do not need one.
 */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "") || "/";
  if (path === "/" || path === "/markets") return { page: "markets" };
  if (path === "/epochs") return { page: "epochs" };
  if (path === "/allocate") return { page: "allocate" };
  if (path === "/portfolio") return { page: "portfolio" };
  if (path === "/funds") return { page: "funds", fund: undefined };
  const fund = /^\/funds\/(0x[0-9a-fA-F]{40})$/.exec(path);
  if (fund) return { page: "funds", fund: getAddress(fund[1]!.toLowerCase()) };
  const subnet = /^\/subnet\/(\d{1,5})$/.exec(path);
  if (subnet && Number(subnet[1]) <= 65_535) return { page: "subnet", netuid: Number(subnet[1]) };
  return { page: "unknown" };
}

function useHash(): string {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return hash;
}

export function App() {
  const route = parseRoute(useHash());
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <nav aria-label="Main">
          <a className="brand" href="#/">
            Alpha Markets
          </a>
          <a href="#/" aria-current={route.page === "markets" ? "page" : undefined}>
            Markets
          </a>
          <a href="#/allocate" aria-current={route.page === "allocate" ? "page" : undefined}>
            Allocate
          </a>
          <a href="#/portfolio" aria-current={route.page === "portfolio" ? "page" : undefined}>
            Portfolio
          </a>
          <a href="#/funds" aria-current={route.page === "funds" ? "page" : undefined}>
            Funds
          </a>
          <a href="#/epochs" aria-current={route.page === "epochs" ? "page" : undefined}>
            Epochs
          </a>
        </nav>
        <AccountBar />
      </header>
      <main id="main">
        {route.page === "markets" && <MarketsPage />}
        {route.page === "epochs" && <EpochsPage />}
        {(route.page === "allocate" || route.page === "portfolio" || route.page === "funds") && (
          <Suspense fallback={<progress aria-label="Loading the page" />}>
            {route.page === "allocate" && <AllocatePage />}
            {route.page === "portfolio" && <PortfolioPage />}
            {route.page === "funds" && <FundsPage fund={route.fund} />}
          </Suspense>
        )}
        {route.page === "subnet" && <SubnetPage key={route.netuid} netuid={route.netuid} />}
        {route.page === "unknown" && (
          <p>
            No such page. <a href="#/">Go to the markets</a>.
          </p>
        )}
      </main>
    </>
  );
}
