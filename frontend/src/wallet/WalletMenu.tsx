/**
 * Connect and account UI: wallets discovered with EIP-6963 and, on the local chain only, the dev wallet. Shows the
 * connected account (short, with copy), its TAO balance and the network; offers a switch when the wallet is on
 * another network than the page.
 */
import { createContext, useContext, useMemo, useState, type ReactNode } from "react";
import {
  useBalance,
  useChainId,
  useChains,
  useConnect,
  useConnection,
  useConnectors,
  useDisconnect,
  useSwitchChain,
} from "wagmi";

import { chainName, localChain } from "../config/chains.ts";
import { DEV_WALLET_ID } from "../config/devWallet.ts";
import { formatAmount9 } from "../lib/format.ts";
import { describeError, weiToRaoDown } from "../lib/units.ts";
import { CopyText } from "../ui/CopyText.tsx";

const MenuContext = createContext<{ open: () => void }>({ open: () => undefined });
export const useWalletMenu = () => useContext(MenuContext);

export function WalletMenuProvider({ children }: { children: ReactNode }) {
  const [isOpen, setOpen] = useState(false);
  const api = useMemo(() => ({ open: () => setOpen(true) }), []);
  return (
    <MenuContext.Provider value={api}>
      {children}
      {isOpen && <ConnectDialog onClose={() => setOpen(false)} />}
    </MenuContext.Provider>
  );
}

function ConnectDialog({ onClose }: { onClose: () => void }) {
  const appChainId = useChainId();
  const connectors = useConnectors();
  const { mutate: connect, error, isPending, variables } = useConnect();
  const offered = connectors.filter((c) => (c.id === DEV_WALLET_ID ? appChainId === localChain.id : true));
  return (
    <div className="dialog-backdrop" onClick={onClose}>
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="connect-title"
        onClick={(e) => e.stopPropagation()}
      >
        <h2 id="connect-title">Connect a wallet</h2>
        {offered.length === 0 && (
          <p>
            No browser wallet found. Install one (MetaMask, Talisman, SubWallet…) or open this page on the local chain
            to use the dev wallet.
          </p>
        )}
        <ul className="wallets">
          {offered.map((c) => (
            <li key={c.uid}>
              <button
                type="button"
                disabled={isPending}
                onClick={() =>
                  connect(
                    { connector: c, chainId: appChainId },
                    {
                      onSuccess: onClose,
                    },
                  )
                }
              >
                {c.icon && <img src={c.icon} alt="" width={20} height={20} />}
                {c.name}
                {c.id === DEV_WALLET_ID && <small> · a funded local account, signs in this page</small>}
                {isPending && variables?.connector === c && " …"}
              </button>
            </li>
          ))}
        </ul>
        {error && <p className="error">{describeError(error)}</p>}
        <button type="button" className="link" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}

export function AccountBar() {
  const appChainId = useChainId();
  const chains = useChains();
  const { address, chainId: walletChainId, status, connector } = useConnection();
  const { mutate: disconnect } = useDisconnect();
  const { mutate: switchChain, error: switchError } = useSwitchChain();
  const { open } = useWalletMenu();
  const balance = useBalance({ address, chainId: appChainId, query: { enabled: Boolean(address) } });
  const wrongNetwork = status === "connected" && walletChainId !== appChainId;
  return (
    <div className="account">
      <label className="network">
        <span className="sr-only">Network</span>
        <select
          value={appChainId}
          aria-label="Network"
          onChange={(e) => switchChain({ chainId: Number(e.target.value) as typeof appChainId })}
        >
          {chains.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      {status === "connected" && address ? (
        <>
          <span className="balance" data-testid="balance">
            {balance.data ? `${formatAmount9(weiToRaoDown(balance.data.value))} τ` : "…"}
          </span>
          <CopyText value={address} label="address" />
          <span className="muted">{connector?.name}</span>
          <button type="button" className="link" onClick={() => disconnect()}>
            Disconnect
          </button>
        </>
      ) : (
        <button type="button" className="primary" onClick={open} data-testid="connect">
          {status === "connecting" || status === "reconnecting" ? "Connecting…" : "Connect wallet"}
        </button>
      )}
      {wrongNetwork && (
        <div className="banner warn" role="alert">
          Your wallet is on {chainName(walletChainId)}; this page shows {chainName(appChainId)}.{" "}
          <button type="button" onClick={() => switchChain({ chainId: appChainId })}>
            Switch wallet to {chainName(appChainId)}
          </button>
        </div>
      )}
      {switchError && <p className="error">{describeError(switchError)}</p>}
    </div>
  );
}
