/**
 * Yuma Consensus engine: subtensor's per-subnet epoch (sparse production path), bit-exact.
 * Pure functions only; the CLI (cli.ts) does the I/O.
 */
import { fastEpoch } from "./epoch.ts";
import { runScenarioWith, type ExpectedEpoch, type Scenario } from "./scenario.ts";
import type { EpochInputs, EpochParams, EpochResult, EpochState } from "./types.ts";

export type * from "./types.ts";
export {
  compareExpected,
  formatExpected,
  maxUpscaleU16,
  parseScenario,
  ScenarioError,
  validateScenario,
  type ExpectedEpoch,
  type Mismatch,
  type Scenario,
  type Step,
  type ValidationResult,
} from "./scenario.ts";

/** Runs one epoch: the stored state and this epoch's inputs → outputs and the state to store. */
export function runEpoch(state: EpochState, inputs: EpochInputs, params: EpochParams): EpochResult {
  return fastEpoch(state, inputs, params);
}

/** Runs a validated scenario (ignoring its `expected`) and returns the `expected` array. */
export function runScenario(scenario: Scenario): ExpectedEpoch[] {
  return runScenarioWith(scenario, runEpoch);
}
