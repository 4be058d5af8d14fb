// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ISubnetPrecompile
/// @notice Bittensor's subnet precompile at 0x0000000000000000000000000000000000000803: register a subnet, read its
/// hyperparameters, and let its owner change them.
/// @dev The ABI is that of the Rust implementation (subtensor `precompiles/src/subnet.rs`). The shipped `subnet.sol`
/// swaps the last two strings of the 9-string `registerNetwork`, gives `setImmunityPeriod` and
/// `setAlphaSigmoidSteepness` other parameter types and lacks `toggleTransfers`; `subnet.abi` lacks
/// `getServingRateLimit`; both lack `getNetworkRegistrationBlock`. `netuid` is a `uint16`. Fractions "of 65,535" are
/// u16 fixed point (65,535 = 1.0).
/// @dev Warning: the caller is the coldkey. A contract that registers a subnet is its owner, so only that contract
/// can later call the owner-only setters and `toggleTransfers`.
/// @dev Warning: never attach value. The lock cost is debited from the caller's balance; `msg.value` sent to a
/// payable function here is not used, not refunded, and stays in the precompile's account.
/// @dev Warning: setters succeed only for the subnet's owner (or root), outside the admin freeze window before an
/// epoch, and within the owner's hyperparameter rate limits. Some setters are root-only or no-ops: see each one.
/// @dev Warning: a failed call ends in an EVM error, not a revert: it consumes all gas forwarded to the call and
/// returns no data. No EVM events are emitted. Root can switch the precompile off (admin-utils `PrecompileEnable`).
/// @dev Warning: call the functions that return nothing with a low-level call and check its success, for example
/// `Precompiles.X.call(abi.encodeCall(I.f, (…)))`. Before such a function, a high-level Solidity call requires code
/// at the target (`extcodesize > 0`) and reverts without it, and it is not established that the precompile
/// addresses hold code on Bittensor. Functions that return data skip that check.
interface ISubnetPrecompile {
    /* REGISTRATION */

    /// @notice Registers a new subnet owned by the caller, with `hotkey` as the owner hotkey and no identity.
    /// @dev Warning: the network lock cost (rao, changing over time) is debited from the caller's balance, not from
    /// `msg.value`. Nothing is returned: find the new netuid afterwards, for example with
    /// `getNetworkRegistrationBlock(netuid) == block.number`.
    /// @dev Warning: at the subnet limit, registering deregisters the subnet chosen for pruning, whose stakers are paid
    /// out in TAO and whose allowances (`IStakingV2.approve`) become void when its netuid is reused.
    /// @dev Warning: `hotkey` must be new or already owned by the caller; a new hotkey becomes owned by the caller.
    /// @param hotkey The owner hotkey's 32-byte account id.
    function registerNetwork(bytes32 hotkey) external payable;

    /// @notice Registers a new subnet owned by the caller, with an identity but no logo URL.
    /// @dev Same cost, result and warnings as `registerNetwork(bytes32)`. Each string has a byte limit; a longer one
    /// makes the call revert while decoding.
    /// @param hotkey The owner hotkey's 32-byte account id.
    /// @param subnetName At most 256 bytes.
    /// @param githubRepo At most 1,024 bytes.
    /// @param subnetContact At most 1,024 bytes.
    /// @param subnetUrl At most 1,024 bytes.
    /// @param discord At most 256 bytes.
    /// @param description At most 1,024 bytes.
    /// @param additional At most 1,024 bytes.
    function registerNetwork(
        bytes32 hotkey,
        string calldata subnetName,
        string calldata githubRepo,
        string calldata subnetContact,
        string calldata subnetUrl,
        string calldata discord,
        string calldata description,
        string calldata additional
    ) external payable;

    /// @notice Registers a new subnet owned by the caller, with an identity and a logo URL.
    /// @dev Same cost, result and warnings as `registerNetwork(bytes32)`.
    /// @dev Warning: the order is `…, description, additional, logoUrl`, as the chain decodes it; the shipped
    /// `subnet.sol` names the last two the other way round (same selector, swapped meaning).
    /// @param hotkey The owner hotkey's 32-byte account id.
    /// @param subnetName At most 256 bytes.
    /// @param githubRepo At most 1,024 bytes.
    /// @param subnetContact At most 1,024 bytes.
    /// @param subnetUrl At most 1,024 bytes.
    /// @param discord At most 256 bytes.
    /// @param description At most 1,024 bytes.
    /// @param additional At most 1,024 bytes.
    /// @param logoUrl At most 1,024 bytes.
    function registerNetwork(
        bytes32 hotkey,
        string calldata subnetName,
        string calldata githubRepo,
        string calldata subnetContact,
        string calldata subnetUrl,
        string calldata discord,
        string calldata description,
        string calldata additional,
        string calldata logoUrl
    ) external payable;

    /// @notice The block at which the subnet now on `netuid` was registered.
    /// @param netuid The subnet.
    /// @return blockNumber The registration block.
    function getNetworkRegistrationBlock(uint16 netuid) external view returns (uint64 blockNumber);

    /// @notice Allows or forbids stake transfers (`IStakingV2.transferStake`, `transferStakeFrom`) on the subnet.
    /// @dev Warning: owner (or root) only, under the admin freeze window and owner rate limits. Transfers are allowed
    /// by default; turning them off breaks every contract that pulls stake with `transferStakeFrom`.
    /// @param netuid The subnet.
    /// @param toggle True to allow transfers.
    function toggleTransfers(uint16 netuid, bool toggle) external payable;

    /* SERVING AND WEIGHTS */

    /// @notice The minimum number of blocks between two axon or prometheus updates of one neuron.
    /// @param netuid The subnet.
    /// @return blocks The limit, in blocks.
    function getServingRateLimit(uint16 netuid) external view returns (uint64 blocks);

    /// @notice Sets the serving rate limit (owner or root).
    /// @param netuid The subnet.
    /// @param servingRateLimit The limit, in blocks.
    function setServingRateLimit(uint16 netuid, uint64 servingRateLimit) external payable;

    /// @notice The weights version key: `setWeights` calls with a lower version key fail.
    /// @param netuid The subnet.
    /// @return versionKey The version key.
    function getWeightsVersionKey(uint16 netuid) external view returns (uint64 versionKey);

    /// @notice Sets the weights version key (owner or root).
    /// @param netuid The subnet.
    /// @param weightsVersionKey The version key.
    function setWeightsVersionKey(uint16 netuid, uint64 weightsVersionKey) external payable;

    /// @notice The minimum number of blocks between two weight settings of one neuron.
    /// @param netuid The subnet.
    /// @return blocks The limit, in blocks.
    function getWeightsSetRateLimit(uint16 netuid) external view returns (uint64 blocks);

    /// @notice Deprecated: does nothing.
    /// @dev Warning: succeeds without changing anything; the owner can no longer set the weights rate limit.
    /// @param netuid Ignored.
    /// @param weightsSetRateLimit Ignored (blocks).
    function setWeightsSetRateLimit(uint16 netuid, uint64 weightsSetRateLimit) external payable;

    /// @notice The largest weight a validator may give one uid.
    /// @dev Warning: a constant 65,535 (no limit) at the read commit.
    /// @param netuid The subnet.
    /// @return maxWeightOf65535 A fraction of 65,535.
    function getMaxWeightLimit(uint16 netuid) external view returns (uint16 maxWeightOf65535);

    /// @notice The minimum number of uids a weight vector must cover.
    /// @param netuid The subnet.
    /// @return count The minimum number of weights.
    function getMinAllowedWeights(uint16 netuid) external view returns (uint16 count);

    /// @notice Sets the minimum number of weights (owner or root).
    /// @param netuid The subnet.
    /// @param minAllowedWeights The minimum number of weights.
    function setMinAllowedWeights(uint16 netuid, uint16 minAllowedWeights) external payable;

    /// @notice Whether validators must commit weights before revealing them.
    /// @param netuid The subnet.
    /// @return enabled True when commit-reveal is on.
    function getCommitRevealWeightsEnabled(uint16 netuid) external view returns (bool enabled);

    /// @notice Turns commit-reveal on or off (owner or root).
    /// @param netuid The subnet.
    /// @param enabled True to require commit-reveal.
    function setCommitRevealWeightsEnabled(uint16 netuid, bool enabled) external payable;

    /// @notice The reveal period of commit-reveal (RevealPeriodEpochs).
    /// @param netuid The subnet.
    /// @return epochs The period, in epochs (tempos).
    function getCommitRevealWeightsInterval(uint16 netuid) external view returns (uint64 epochs);

    /// @notice Sets the reveal period (owner or root).
    /// @param netuid The subnet.
    /// @param interval The period, in epochs (tempos).
    function setCommitRevealWeightsInterval(uint16 netuid, uint64 interval) external payable;

    /* REGISTRATION OF NEURONS */

    /// @notice Whether neurons may register on the subnet.
    /// @param netuid The subnet.
    /// @return allowed True when registration is open.
    function getNetworkRegistrationAllowed(uint16 netuid) external view returns (bool allowed);

    /// @notice Opens or closes neuron registration.
    /// @dev Warning: root only: it always fails for a subnet owner.
    /// @param netuid The subnet.
    /// @param registrationAllowed True to allow registration.
    function setNetworkRegistrationAllowed(uint16 netuid, bool registrationAllowed) external payable;

    /// @notice Whether proof-of-work registration is allowed on the subnet.
    /// @param netuid The subnet.
    /// @return allowed True when proof-of-work registration is allowed.
    function getNetworkPowRegistrationAllowed(uint16 netuid) external view returns (bool allowed);

    /// @notice Would allow or forbid proof-of-work registration.
    /// @dev Warning: always fails (POWRegistrationDisabled) at the read commit, for every caller.
    /// @param netuid The subnet.
    /// @param registrationAllowed Ignored.
    function setNetworkPowRegistrationAllowed(uint16 netuid, bool registrationAllowed) external payable;

    /// @notice The lowest burn registration price.
    /// @param netuid The subnet.
    /// @return burnRao The price, in rao.
    function getMinBurn(uint16 netuid) external view returns (uint64 burnRao);

    /// @notice Deprecated: does nothing.
    /// @dev Warning: succeeds without changing anything; the owner can no longer set the minimum burn.
    /// @param netuid Ignored.
    /// @param minBurnRao Ignored (rao).
    function setMinBurn(uint16 netuid, uint64 minBurnRao) external payable;

    /// @notice The highest burn registration price.
    /// @param netuid The subnet.
    /// @return burnRao The price, in rao.
    function getMaxBurn(uint16 netuid) external view returns (uint64 burnRao);

    /// @notice Deprecated: does nothing.
    /// @dev Warning: succeeds without changing anything; the owner can no longer set the maximum burn.
    /// @param netuid Ignored.
    /// @param maxBurnRao Ignored (rao).
    function setMaxBurn(uint16 netuid, uint64 maxBurnRao) external payable;

    /// @notice The current proof-of-work difficulty.
    /// @param netuid The subnet.
    /// @return difficulty The difficulty.
    function getDifficulty(uint16 netuid) external view returns (uint64 difficulty);

    /// @notice Sets the proof-of-work difficulty.
    /// @dev Warning: root only: it always fails for a subnet owner.
    /// @param netuid The subnet.
    /// @param difficulty The difficulty.
    function setDifficulty(uint16 netuid, uint64 difficulty) external payable;

    /// @notice The lowest proof-of-work difficulty.
    /// @param netuid The subnet.
    /// @return difficulty The difficulty.
    function getMinDifficulty(uint16 netuid) external view returns (uint64 difficulty);

    /// @notice Sets the lowest proof-of-work difficulty.
    /// @dev Warning: root only: it always fails for a subnet owner.
    /// @param netuid The subnet.
    /// @param minDifficulty The difficulty.
    function setMinDifficulty(uint16 netuid, uint64 minDifficulty) external payable;

    /// @notice The highest proof-of-work difficulty.
    /// @param netuid The subnet.
    /// @return difficulty The difficulty.
    function getMaxDifficulty(uint16 netuid) external view returns (uint64 difficulty);

    /// @notice Sets the highest proof-of-work difficulty (owner or root).
    /// @param netuid The subnet.
    /// @param maxDifficulty The difficulty.
    function setMaxDifficulty(uint16 netuid, uint64 maxDifficulty) external payable;

    /// @notice The registration-parameter adjustment speed.
    /// @dev At the read commit the chain stores and reports this value but its registration price does not read it.
    /// @param netuid The subnet.
    /// @return adjustmentAlphaOfU64Max A fraction of 2^64 − 1.
    function getAdjustmentAlpha(uint16 netuid) external view returns (uint64 adjustmentAlphaOfU64Max);

    /// @notice Sets the adjustment speed (owner or root).
    /// @param netuid The subnet.
    /// @param adjustmentAlpha A fraction of 2^64 − 1.
    function setAdjustmentAlpha(uint16 netuid, uint64 adjustmentAlpha) external payable;

    /// @notice How long a newly registered neuron is protected from pruning.
    /// @param netuid The subnet.
    /// @return blocks The period, in blocks.
    function getImmunityPeriod(uint16 netuid) external view returns (uint16 blocks);

    /// @notice Sets the immunity period (owner or root).
    /// @param netuid The subnet.
    /// @param immunityPeriod The period, in blocks.
    function setImmunityPeriod(uint16 netuid, uint16 immunityPeriod) external payable;

    /* CONSENSUS */

    /// @notice The consensus majority threshold of Yuma Consensus.
    /// @param netuid The subnet.
    /// @return kappaOf65535 A fraction of 65,535.
    function getKappa(uint16 netuid) external view returns (uint16 kappaOf65535);

    /// @notice Sets kappa.
    /// @dev Warning: root only: it always fails for a subnet owner.
    /// @param netuid The subnet.
    /// @param kappa A fraction of 65,535.
    function setKappa(uint16 netuid, uint16 kappa) external payable;

    /// @notice The steepness of the consensus sigmoid (rho), an integer.
    /// @param netuid The subnet.
    /// @return rho The steepness.
    function getRho(uint16 netuid) external view returns (uint16 rho);

    /// @notice Sets rho (owner or root).
    /// @param netuid The subnet.
    /// @param rho The steepness.
    function setRho(uint16 netuid, uint16 rho) external payable;

    /// @notice The steepness of liquid alpha's sigmoid.
    /// @dev Warning: the chain stores a signed 16-bit value and returns its bits: a negative steepness (settable only
    /// by root) reads as 65,536 + value.
    /// @param netuid The subnet.
    /// @return steepness The steepness as the bits of an int16.
    function getAlphaSigmoidSteepness(uint16 netuid) external view returns (uint16 steepness);

    /// @notice Sets liquid alpha's sigmoid steepness (owner or root).
    /// @dev Warning: the value is reinterpreted as an int16: 32,768 and above are negative, which only root may set.
    /// @param netuid The subnet.
    /// @param steepness The steepness as the bits of an int16.
    function setAlphaSigmoidSteepness(uint16 netuid, uint16 steepness) external payable;

    /// @notice The legacy activity cutoff.
    /// @dev Warning: at the read commit the epoch uses `getActivityCutoffFactor` × tempo / 1000 instead.
    /// @param netuid The subnet.
    /// @return blocks The cutoff, in blocks.
    function getActivityCutoff(uint16 netuid) external view returns (uint16 blocks);

    /// @notice Sets the legacy activity cutoff (owner or root).
    /// @param netuid The subnet.
    /// @param activityCutoff The cutoff, in blocks.
    function setActivityCutoff(uint16 netuid, uint16 activityCutoff) external payable;

    /// @notice The activity cutoff as a multiple of the tempo: a neuron that has not set weights for
    /// factor × tempo / 1000 blocks (at least 1) is inactive.
    /// @param netuid The subnet.
    /// @return factorMilli The factor, in thousandths of a tempo.
    function getActivityCutoffFactor(uint16 netuid) external view returns (uint32 factorMilli);

    /// @notice Sets the activity cutoff factor (owner or root, within the chain's bounds).
    /// @param netuid The subnet.
    /// @param factorMilli The factor, in thousandths of a tempo.
    function setActivityCutoffFactor(uint16 netuid, uint32 factorMilli) external payable;

    /// @notice The bonds moving average.
    /// @param netuid The subnet.
    /// @return bondsMovingAveragePerMillion A fraction of 1,000,000.
    function getBondsMovingAverage(uint16 netuid) external view returns (uint64 bondsMovingAveragePerMillion);

    /// @notice Sets the bonds moving average (owner, at most 975,000; or root).
    /// @param netuid The subnet.
    /// @param bondsMovingAverage A fraction of 1,000,000.
    function setBondsMovingAverage(uint16 netuid, uint64 bondsMovingAverage) external payable;

    /// @notice Whether liquid alpha (per-bond EMA speeds between alpha low and alpha high) is on.
    /// @param netuid The subnet.
    /// @return enabled True when liquid alpha is on.
    function getLiquidAlphaEnabled(uint16 netuid) external view returns (bool enabled);

    /// @notice Turns liquid alpha on or off (owner or root).
    /// @param netuid The subnet.
    /// @param enabled True to enable.
    function setLiquidAlphaEnabled(uint16 netuid, bool enabled) external payable;

    /// @notice Liquid alpha's bounds.
    /// @param netuid The subnet.
    /// @return alphaLowOf65535 The lower bound, a fraction of 65,535.
    /// @return alphaHighOf65535 The upper bound, a fraction of 65,535.
    function getAlphaValues(uint16 netuid) external view returns (uint16 alphaLowOf65535, uint16 alphaHighOf65535);

    /// @notice Sets liquid alpha's bounds (owner or root).
    /// @param netuid The subnet.
    /// @param alphaLow The lower bound, a fraction of 65,535.
    /// @param alphaHigh The upper bound, a fraction of 65,535.
    function setAlphaValues(uint16 netuid, uint16 alphaLow, uint16 alphaHigh) external payable;

    /// @notice Whether the subnet runs Yuma Consensus 3.
    /// @param netuid The subnet.
    /// @return enabled True when Yuma 3 is on.
    function getYuma3Enabled(uint16 netuid) external view returns (bool enabled);

    /// @notice Turns Yuma 3 on or off (owner or root).
    /// @param netuid The subnet.
    /// @param enabled True to enable.
    function setYuma3Enabled(uint16 netuid, bool enabled) external payable;

    /// @notice Whether bonds may be reset.
    /// @param netuid The subnet.
    /// @return enabled True when bonds reset is on.
    function getBondsResetEnabled(uint16 netuid) external view returns (bool enabled);

    /// @notice Turns bonds reset on or off (owner or root).
    /// @param netuid The subnet.
    /// @param enabled True to enable.
    function setBondsResetEnabled(uint16 netuid, bool enabled) external payable;
}
