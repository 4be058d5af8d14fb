/** A free slippage tolerance, in percent, for a form without presets or a deadline (those use TradeSettings). */
export function SlippageField(props: { value: string; onChange: (text: string) => void; testId: string }) {
  return (
    <label className="field">
      <span>Slippage tolerance (%)</span>
      <input
        className="short"
        inputMode="decimal"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        aria-label="Slippage tolerance in percent"
        data-testid={props.testId}
      />
    </label>
  );
}
