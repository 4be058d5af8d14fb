/** A percentage of a position or of a balance, typed or picked from 25, 50 and 100 %. */
export function PercentField(props: {
  label: string;
  ariaLabel: string;
  value: string;
  onChange: (text: string) => void;
  testId: string;
  invalid?: boolean;
}) {
  return (
    <label className="field">
      <span>{props.label}</span>
      <div className="row">
        <input
          className="short"
          inputMode="decimal"
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
          aria-label={props.ariaLabel}
          aria-invalid={props.invalid}
          data-testid={props.testId}
        />
        {["25", "50", "100"].map((p) => (
          <button key={p} type="button" className="chip" onClick={() => props.onChange(p)}>
            {p} %
          </button>
        ))}
      </div>
    </label>
  );
}
