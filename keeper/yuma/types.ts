/**
 * Public types of the Yuma Consensus engine.
 *
 * Every quantity is an integer: u16 values live in `Uint16Array`s or plain integer `number`s,
 * balances (< 2^64) are `bigint`, blocks are safe integers (< 2^53).
 */

/** One stored sparse row, `(cols[k], vals[k])` pairs in stored order (order matters on chain). */
export interface SparseRow {
  readonly cols: Uint16Array;
  readonly vals: Uint16Array;
}

/** Subnet hyperparameters read by the epoch. */
export interface EpochParams {
  /** `Kappa` (u16); κ = kappa / 65535. */
  readonly kappa: number;
  /** `BondsMovingAverage` in ppm, 0…1 000 000. */
  readonly bondsMovingAverage: number;
  /** `BondsPenalty` (u16); β = bondsPenalty / 65535. */
  readonly bondsPenalty: number;
  /** `Yuma3On`. */
  readonly yuma3: boolean;
  /** `LiquidAlphaOn` (only read on the Yuma 3 path). */
  readonly liquidAlpha: boolean;
  /** `AlphaValues` low (u16). */
  readonly alphaLow: number;
  /** `AlphaValues` high (u16). */
  readonly alphaHigh: number;
  /** `AlphaSigmoidSteepness` (i16). */
  readonly alphaSigmoidSteepness: number;
  /** Activity cutoff in blocks. */
  readonly activityCutoff: number;
  /** `MaxAllowedValidators` (the k of the top-k permit selection), 0…65535. */
  readonly maxAllowedValidators: number;
  /** `Tempo`, 0…65535 (only used for the bond reset of recently registered uids). */
  readonly tempo: number;
  /** `StakeThreshold` in raw units. */
  readonly stakeThreshold: bigint;
  /** The subnet owner's uid, or null. */
  readonly ownerUid: number | null;
}

/** What the epoch reads and persists between epochs. */
export interface EpochState {
  /** `ValidatorPermit` written by the previous epoch (length n). */
  readonly validatorPermit: readonly boolean[];
  /** `Bonds` rows as stored (length n). */
  readonly bonds: readonly SparseRow[];
}

/** Per-epoch inputs that the epoch reads but never writes. */
export interface EpochInputs {
  /** Current block. */
  readonly block: number;
  /** Emission to distribute, raw units (< 2^64). */
  readonly emission: bigint;
  /** Effective stake per uid, raw units (< 2^64); its length is n. */
  readonly stake: readonly bigint[];
  /** Block of each uid's latest registration. */
  readonly registrationBlock: readonly number[];
  /** Last weight-setting block per uid. */
  readonly lastUpdate: readonly number[];
  /** Stored (max-upscaled) weight rows. */
  readonly weights: readonly SparseRow[];
}

/** What one epoch produces (the stored per-uid terms). */
export interface EpochOutputs {
  readonly active: boolean[];
  /** The new permits (stored for the next epoch). */
  readonly validatorPermit: boolean[];
  readonly consensus: Uint16Array;
  readonly incentive: Uint16Array;
  readonly dividends: Uint16Array;
  readonly validatorTrust: Uint16Array;
  /** `StakeWeight`: the normalised, threshold-filtered stake as u16. */
  readonly stakeWeight: Uint16Array;
  /** Stored bonds after the epoch (rows of uids without a new permit are empty). */
  readonly bonds: SparseRow[];
  readonly serverEmission: BigUint64Array;
  readonly validatorEmission: BigUint64Array;
}

export interface EpochResult {
  readonly outputs: EpochOutputs;
  readonly nextState: EpochState;
}

export const U16_MAX = 65535;
