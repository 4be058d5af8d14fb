/** Spot and moving price over blocks, with lightweight-charts (loaded only on the subnet page). */
import { ColorType, LineSeries, createChart, type UTCTimestamp } from "lightweight-charts";
import { useEffect, useRef } from "react";

import type { PricePoint } from "../data/history.ts";

function toNumber(priceWad: bigint): number {
  return Number(priceWad / 10n ** 9n) / 1e9;
}

export default function PriceChart({ points }: { points: PricePoint[] }) {
  const container = useRef<HTMLDivElement>(null);
  const chartRef = useRef<ReturnType<typeof createChart>>(undefined);
  const series = useRef<{
    spot: ReturnType<ReturnType<typeof createChart>["addSeries"]>;
    moving: ReturnType<ReturnType<typeof createChart>["addSeries"]>;
  }>(undefined);

  useEffect(() => {
    if (!container.current) return;
    const chart = createChart(container.current, {
      autoSize: true,
      height: 280,
      layout: {
        background: { type: ColorType.Solid, color: "transparent" },
        textColor: "#9aa4b2",
        attributionLogo: false,
      },
      grid: { vertLines: { color: "#1f2633" }, horzLines: { color: "#1f2633" } },
      // The x axis is block numbers, not wall-clock time.
      localization: { timeFormatter: (t: number) => `block ${t}`, priceFormatter: (p: number) => p.toPrecision(5) },
      timeScale: { tickMarkFormatter: (t: number) => String(t) },
    });
    const spot = chart.addSeries(LineSeries, { color: "#4cc9f0", lineWidth: 2, title: "spot" });
    const moving = chart.addSeries(LineSeries, { color: "#f4a261", lineWidth: 2, title: "moving" });
    chartRef.current = chart;
    series.current = { spot, moving };
    return () => {
      chart.remove();
      chartRef.current = undefined;
      series.current = undefined;
    };
  }, []);

  useEffect(() => {
    if (!series.current) return;
    series.current.spot.setData(
      points.map((p) => ({ time: p.block as UTCTimestamp, value: toNumber(p.spotPriceWad) })),
    );
    series.current.moving.setData(
      points
        .filter((p) => p.movingPriceWad !== undefined)
        .map((p) => ({ time: p.block as UTCTimestamp, value: toNumber(p.movingPriceWad!) })),
    );
  }, [points]);

  return (
    <div
      ref={container}
      className="chart"
      role="img"
      aria-label={`Spot (blue) and moving (orange) price of alpha in TAO over the last ${points.length} blocks with activity`}
    />
  );
}
