/** A shortened address or hash with a copy button (the full value in the title and the accessible label). */
import { useState } from "react";

import { shortHex } from "../lib/format.ts";

export function CopyText({
  value,
  label,
  head = 6,
  tail = 4,
}: {
  value: string;
  label: string;
  head?: number;
  tail?: number;
}) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard?.writeText(value).then(
      () => {
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      },
      () => setCopied(false),
    );
  };
  return (
    <span className="copy">
      <code title={value}>{shortHex(value, head, tail)}</code>
      <button type="button" className="link" onClick={copy} aria-label={`Copy ${label} ${value}`}>
        {copied ? "copied" : "copy"}
      </button>
    </span>
  );
}
