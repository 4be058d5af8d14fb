/**
 * The one component that owns every write. Before anything is sent it checks, with a clear message each: a wallet
 * is connected, it is on the app's network (offering a switch), the form's own checks (amount within min and max,
 * balance) pass. Then: simulate (a revert shows the decoded custom error in one line and nothing is sent) → wallet
 * prompt → pending (hash, elapsed time, progress bar) → confirmed (block) or failed; a toast with the short reason;
 * the affected queries are refetched. A rejected signature is reported, never swallowed.
 */
import { useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import type { Abi, Hex, PublicClient, TransactionReceipt } from "viem";
import { useConnection, useChainId, usePublicClient, useSwitchChain, useWriteContract } from "wagmi";

import { chainName } from "../config/chains.ts";
import { shortHex } from "../lib/format.ts";
import { describeError, gasWithHeadroom } from "../lib/units.ts";
import { useToasts } from "../ui/toasts.tsx";
import { useWalletMenu } from "../wallet/WalletMenu.tsx";

/** Wall-clock milliseconds, for the pending timer only (outside render, as React's rules want). */
function wallClockMs(): number {
  return Date.now();
}

export interface TxRequest {
  address: `0x${string}`;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
  value?: bigint;
}

type Phase =
  | { name: "idle" }
  | { name: "simulating" }
  | { name: "wallet" }
  | { name: "pending"; hash: Hex; since: number }
  | { name: "confirmed"; hash: Hex; block: bigint }
  | { name: "failed"; reason: string; hash?: Hex };

export interface TxButtonProps {
  /** The button's verb, e.g. "Stake". */
  label: string;
  /** Why the form cannot be sent yet (validation), or undefined when it can. */
  blockedReason?: string | undefined;
  /** Builds the call right before it is simulated (so deadlines and limits use the latest chain state). */
  prepare: (client: PublicClient) => Promise<TxRequest>;
  /** Queries to refetch once the transaction is mined (prefix match). */
  invalidates: QueryKey[];
  /** A short description for the toasts, e.g. "Stake 10 τ on Apex". */
  summary: string;
  onConfirmed?: (receipt: TransactionReceipt) => void;
  /** Test id of the button (its status gets `<testId>-status`); default "tx-button" and "tx-status". */
  testId?: string;
}

export function TxButton(props: TxButtonProps) {
  const appChainId = useChainId();
  const { address, chainId: walletChainId, status } = useConnection();
  const client = usePublicClient({ chainId: appChainId });
  const { mutateAsync: writeContract } = useWriteContract();
  const { mutate: switchChain, isPending: switching, error: switchError } = useSwitchChain();
  const queryClient = useQueryClient();
  const toasts = useToasts();
  const wallet = useWalletMenu();
  const [phase, setPhase] = useState<Phase>({ name: "idle" });
  const statusId = useId();
  const busy = phase.name === "simulating" || phase.name === "wallet" || phase.name === "pending";

  async function send(): Promise<void> {
    if (!client || !address) return;
    setPhase({ name: "simulating" });
    let hash: Hex | undefined;
    try {
      const request = await props.prepare(client);
      const simulated = await client.simulateContract({ ...request, account: address } as never);
      const gas = gasWithHeadroom(await client.estimateContractGas({ ...request, account: address } as never));
      setPhase({ name: "wallet" });
      hash = await writeContract({ ...(simulated as { request: object }).request, gas, chainId: appChainId } as never);
      setPhase({ name: "pending", hash, since: wallClockMs() });
      toasts.push({ kind: "info", title: `Sent: ${props.summary}`, detail: `Transaction ${shortHex(hash, 10, 6)}` });
      const receipt = await client.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") {
        throw new Error(`The transaction reverted in block ${receipt.blockNumber}`);
      }
      setPhase({ name: "confirmed", hash, block: receipt.blockNumber });
      toasts.push({ kind: "success", title: `Confirmed: ${props.summary}`, detail: `Block ${receipt.blockNumber}` });
      await Promise.all(props.invalidates.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
      props.onConfirmed?.(receipt);
    } catch (error) {
      const reason = describeError(error);
      setPhase({ name: "failed", reason, ...(hash ? { hash } : {}) });
      toasts.push({ kind: "error", title: `Failed: ${props.summary}`, detail: reason });
    }
  }

  // What stands between the user and sending, in the order they can fix it.
  let action: { text: string; onClick?: () => void; disabled?: boolean } = {
    text: props.label,
    onClick: () => void send(),
  };
  let note: string | undefined;
  if (status !== "connected" || !address) {
    action = { text: "Connect a wallet", onClick: wallet.open };
  } else if (walletChainId !== appChainId) {
    note = `Your wallet is on ${chainName(walletChainId)}; this page is on ${chainName(appChainId)}.`;
    action = {
      text: switching ? "Switching…" : `Switch to ${chainName(appChainId)}`,
      onClick: () => switchChain({ chainId: appChainId }),
      disabled: switching,
    };
  } else if (props.blockedReason) {
    action = { text: props.label, disabled: true };
    note = props.blockedReason;
  } else if (busy) {
    action = { text: phase.name === "wallet" ? "Confirm in your wallet…" : "Working…", disabled: true };
  }

  return (
    <div className="tx">
      <button
        type="button"
        className="primary"
        onClick={action.onClick}
        disabled={action.disabled ?? false}
        aria-describedby={statusId}
        data-testid={props.testId ?? "tx-button"}
      >
        {action.text}
      </button>
      <div
        id={statusId}
        className="tx-status"
        aria-live="polite"
        data-testid={props.testId ? `${props.testId}-status` : "tx-status"}
        data-phase={phase.name}
      >
        {note && <p className="warn">{note}</p>}
        {switchError && <p className="error">{describeError(switchError)}</p>}
        <PhaseView phase={phase} />
      </div>
    </div>
  );
}

function PhaseView({ phase }: { phase: Phase }) {
  switch (phase.name) {
    case "idle":
      return null;
    case "simulating":
      return <p>Checking the transaction against the chain…</p>;
    case "wallet":
      return <p>Waiting for your signature in the wallet…</p>;
    case "pending":
      return <Pending hash={phase.hash} since={phase.since} />;
    case "confirmed":
      return (
        <p className="ok">
          Confirmed in block {phase.block.toString()} · <code title={phase.hash}>{shortHex(phase.hash, 10, 6)}</code>
        </p>
      );
    case "failed":
      return <p className="error">{phase.reason}</p>;
  }
}

function Pending({ hash, since }: { hash: Hex; since: number }) {
  const [now, setNow] = useState(since);
  const timer = useRef<ReturnType<typeof setInterval>>(undefined);
  useEffect(() => {
    timer.current = setInterval(() => setNow(wallClockMs()), 250);
    return () => clearInterval(timer.current);
  }, []);
  const seconds = Math.max(0, (now - since) / 1000);
  return (
    <div>
      <p>
        Pending · <code title={hash}>{shortHex(hash, 10, 6)}</code> · {seconds.toFixed(0)} s
      </p>
      <progress aria-label="Waiting for the transaction to be mined" />
    </div>
  );
}
