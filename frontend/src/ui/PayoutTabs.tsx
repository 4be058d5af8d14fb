/** The choice between a payout in TAO and one in kind, as a pair of tabs. */
export function PayoutTabs(props: {
  label: string;
  inKindLabel: string;
  /** The TAO tab's label; default "In TAO". */
  taoLabel?: string;
  inKind: boolean;
  onChange: (inKind: boolean) => void;
  /** Test ids of the TAO and in-kind tabs, when a test picks one. */
  testIds?: { tao: string; inKind: string };
}) {
  return (
    <div className="tabs" role="tablist" aria-label={props.label}>
      {([false, true] as const).map((k) => (
        <button
          key={String(k)}
          type="button"
          role="tab"
          aria-selected={props.inKind === k}
          className={props.inKind === k ? "tab active" : "tab"}
          onClick={() => props.onChange(k)}
          data-testid={props.testIds && (k ? props.testIds.inKind : props.testIds.tao)}
        >
          {k ? props.inKindLabel : (props.taoLabel ?? "In TAO")}
        </button>
      ))}
    </div>
  );
}
