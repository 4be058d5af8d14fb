// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IMetagraph
/// @notice Neurons of each subnet (uid, hotkey, coldkey), registration by burn, validator permits and weights.
/// @dev Warning: weights are not stored. `setWeights` keeps a commitment (hash, last-update block) and emits the full
/// vector, so a keeper rebuilds the weight matrix from `WeightsSet` logs and checks it against `weightsCommitment`.
interface IMetagraph {
    event NeuronRegistered(
        uint16 indexed netuid,
        uint16 indexed uid,
        bytes32 indexed hotkey,
        bytes32 coldkey,
        uint256 burnRao,
        bytes32 replacedHotkey
    );
    event WeightsSet(
        uint16 indexed netuid,
        uint16 indexed uid,
        bytes32 indexed hotkey,
        uint16[] uids,
        uint16[] values,
        uint64 versionKey
    );
    event CommitRevealSet(uint16 indexed netuid, bool enabled);
    event WeightsCommitted(uint16 indexed netuid, uint16 indexed uid, bytes32 indexed hotkey, bytes32 hash);
    event ValidatorPermitsUpdated(uint16 indexed netuid, uint256 permitted);
    event EmissionsRecorded(uint16 indexed netuid, uint256 count);
    event SubnetReset(uint16 indexed netuid, uint32 generation);

    error UnknownSubnet(uint16 netuid);
    error HotkeyAlreadyRegistered(uint16 netuid, bytes32 hotkey, uint16 uid);
    error BurnAboveMax(uint256 burnRao, uint256 maxBurnRao);
    error InsufficientBurn(uint256 sentRao, uint256 burnRao);
    error NoPrunableNeuron(uint16 netuid);
    error NotRegistered(uint16 netuid, bytes32 hotkey);
    error LengthMismatch(uint256 uids, uint256 values);
    error UidOutOfRange(uint16 uid, uint256 n);
    error DuplicateUid(uint16 uid);
    error IncorrectVersionKey(uint64 given, uint64 required);
    error NoValidatorPermit(uint16 netuid, uint16 uid);
    error WeightsRateLimited(uint16 netuid, uint16 uid, uint256 nextAllowedBlock);
    error TaoTransferFailed(address to, uint256 amountWei);
    error NotSubnetOwner(uint16 netuid, address caller);
    error CommitRevealEnabled(uint16 netuid);
    error CommitRevealDisabled(uint16 netuid);
    error NoWeightsCommit(uint16 netuid, uint16 uid);
    error RevealTooEarly(uint16 netuid, uint16 uid, uint256 firstBlock);
    error RevealExpired(uint16 netuid, uint16 uid, uint256 lastBlock);
    error RevealMismatch(uint16 netuid, uint16 uid);
}
