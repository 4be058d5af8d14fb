/**
 * The slippage tolerance (presets and a free value, in percent) and the deadline (minutes after the latest block) of
 * a trade form. The form owns the texts and validates them.
 */
export function TradeSettings(props: {
  legend: string;
  presets: readonly string[];
  slippageText: string;
  onSlippageText: (text: string) => void;
  deadlineMinutes: string;
  onDeadlineMinutes: (text: string) => void;
  slippageTestId: string;
}) {
  return (
    <>
      <fieldset className="field">
        <legend>{props.legend}</legend>
        <div className="row">
          {props.presets.map((p) => (
            <button
              key={p}
              type="button"
              className={props.slippageText === p ? "chip active" : "chip"}
              aria-pressed={props.slippageText === p}
              onClick={() => props.onSlippageText(p)}
            >
              {p} %
            </button>
          ))}
          <input
            className="short"
            inputMode="decimal"
            value={props.slippageText}
            onChange={(e) => props.onSlippageText(e.target.value)}
            aria-label="Slippage tolerance in percent"
            data-testid={props.slippageTestId}
          />
          <span>%</span>
        </div>
      </fieldset>
      <label className="field">
        <span>Deadline (minutes after the latest block)</span>
        <input
          className="short"
          inputMode="numeric"
          value={props.deadlineMinutes}
          onChange={(e) => props.onDeadlineMinutes(e.target.value)}
          aria-label="Deadline in minutes"
        />
      </label>
    </>
  );
}
