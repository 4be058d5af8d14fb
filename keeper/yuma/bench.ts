/**
 * Benchmark: median wall time per epoch of the engine on deterministic dense subnets
 * (64 validators weighting every uid), for classic and Yuma 3 + liquid alpha bonds, and the
 * time of one epoch on each of 128 subnets of 256 uids. Reports only; asserts nothing.
 */
import { performance } from "node:perf_hooks";
import { defaultParams, benchSubnet } from "./gen.ts";
import { runEpoch } from "./index.ts";

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function timeEpochs(n: number, yuma3: boolean, liquid: boolean, reps: number): number {
  const sub = benchSubnet(1000 + n, n, 64, defaultParams(yuma3, liquid));
  // The bonds of the first epoch come from random state; run once to get engine-made bonds.
  let state = runEpoch(sub.state, sub.inputs, sub.params).nextState;
  for (let w = 0; w < 3; w++) state = runEpoch(state, sub.inputs, sub.params).nextState;
  const times: number[] = [];
  for (let k = 0; k < reps; k++) {
    const t0 = performance.now();
    runEpoch(state, sub.inputs, sub.params);
    times.push(performance.now() - t0);
  }
  return round3(median(times));
}

function timeSweep(subnets: number, n: number, reps: number): { ms: number; modes: string } {
  const modes = [defaultParams(false, false), defaultParams(true, false), defaultParams(true, true)];
  const subs = Array.from({ length: subnets }, (_, s) => benchSubnet(5000 + s, n, 64, modes[s % 3]!));
  const states = subs.map((s) => runEpoch(s.state, s.inputs, s.params).nextState);
  const times: number[] = [];
  for (let k = 0; k < reps; k++) {
    const t0 = performance.now();
    for (let s = 0; s < subnets; s++) runEpoch(states[s]!, subs[s]!.inputs, subs[s]!.params);
    times.push(performance.now() - t0);
  }
  return { ms: round3(median(times)), modes: "classic / yuma3 / yuma3+liquid alpha, in rotation" };
}

export interface BenchReport {
  unit: "ms";
  validators: number;
  epoch: Record<string, { classic: number; yuma3_liquid_alpha: number }>;
  sweep: { subnets: number; n: number; ms: number; modes: string };
}

export function runBench(): BenchReport {
  const epoch: BenchReport["epoch"] = {};
  for (const [n, reps] of [
    [64, 61],
    [256, 41],
    [1024, 11],
  ] as const) {
    epoch[`n=${n}`] = {
      classic: timeEpochs(n, false, false, reps),
      yuma3_liquid_alpha: timeEpochs(n, true, true, reps),
    };
  }
  const sweep = timeSweep(128, 256, 5);
  return { unit: "ms", validators: 64, epoch, sweep: { subnets: 128, n: 256, ...sweep } };
}
