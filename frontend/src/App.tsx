/** The shell: header (navigation, network, wallet), the page for the current hash route, toasts. */
import { useEffect, useState } from "react";

import { EpochsPage } from "./pages/EpochsPage.tsx";
import { MarketsPage } from "./pages/MarketsPage.tsx";
import { SubnetPage } from "./pages/SubnetPage.tsx";
import { AccountBar } from "./wallet/WalletMenu.tsx";

/** Hash routes: `#/` (markets), `#/subnet/<netuid>` and `#/epochs`. No router library: three routes do not need one. */
export function parseRoute(
  hash: string,
): { page: "markets" } | { page: "epochs" } | { page: "subnet"; netuid: number } | { page: "unknown" } {
  const path = hash.replace(/^#/, "") || "/";
  if (path === "/" || path === "/markets") return { page: "markets" };
  if (path === "/epochs") return { page: "epochs" };
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
          <a href="#/epochs" aria-current={route.page === "epochs" ? "page" : undefined}>
            Epochs
          </a>
        </nav>
        <AccountBar />
      </header>
      <main id="main">
        {route.page === "markets" && <MarketsPage />}
        {route.page === "epochs" && <EpochsPage />}
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
