// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IMetagraphPrecompile
/// @notice Bittensor's metagraph precompile at 0x0000000000000000000000000000000000000802: read-only data about the
/// neurons (uids) of a subnet, as the last epoch left them.
/// @dev The ABI is that of the Rust implementation (subtensor `precompiles/src/metagraph.rs`). `netuid` and `uid` are
/// `uint16`. Scores are u16 fixed-point fractions of 65,535 (65,535 = 1.0).
/// @dev Warning: for a uid that does not exist, the score getters return 0 or false, but `getStake`, `getAxon`,
/// `getHotkey` and `getColdkey` fail with an EVM error that consumes the forwarded gas and returns no data.
/// Root can switch the precompile off (admin-utils `PrecompileEnable`).
interface IMetagraphPrecompile {
    /// @notice A neuron's advertised server endpoint, field for field as the precompile encodes it.
    struct AxonInfo {
        /// @dev The block at which the axon was last served.
        uint64 blockNumber;
        uint32 version;
        /// @dev The IP address as an integer (IPv4 in the low 32 bits).
        uint128 ip;
        uint16 port;
        /// @dev 4 for IPv4, 6 for IPv6.
        uint8 ipType;
        /// @dev 0 for TCP, 1 for UDP.
        uint8 protocol;
    }

    /// @notice The number of uids in the subnet.
    /// @param netuid The subnet.
    /// @return count The number of uids.
    function getUidCount(uint16 netuid) external view returns (uint16 count);

    /// @notice The TAO value of all stake on the uid's hotkey.
    /// @dev Warning: not specific to `netuid`: the hotkey's alpha on every subnet, each at its spot price.
    /// @param netuid The subnet.
    /// @param uid The neuron.
    /// @return stakeRao The value, in rao.
    function getStake(uint16 netuid, uint16 uid) external view returns (uint64 stakeRao);

    /// @notice Deprecated: rank is no longer computed.
    /// @dev Warning: always 0.
    /// @param netuid The subnet.
    /// @param uid The neuron.
    /// @return rankOf65535 Always 0.
    function getRank(uint16 netuid, uint16 uid) external view returns (uint16 rankOf65535);

    /// @notice Deprecated: trust is no longer computed.
    /// @dev Warning: always 0.
    /// @param netuid The subnet.
    /// @param uid The neuron.
    /// @return trustOf65535 Always 0.
    function getTrust(uint16 netuid, uint16 uid) external view returns (uint16 trustOf65535);

    /// @notice The uid's consensus weight from the last epoch.
    /// @param netuid The subnet.
    /// @param uid The neuron.
    /// @return consensusOf65535 A fraction of 65,535.
    function getConsensus(uint16 netuid, uint16 uid) external view returns (uint16 consensusOf65535);

    /// @notice The uid's share of the miners' incentive from the last epoch.
    /// @param netuid The subnet.
    /// @param uid The neuron.
    /// @return incentiveOf65535 A fraction of 65,535.
    function getIncentive(uint16 netuid, uint16 uid) external view returns (uint16 incentiveOf65535);

    /// @notice The uid's share of the validators' dividends from the last epoch.
    /// @param netuid The subnet.
    /// @param uid The neuron.
    /// @return dividendsOf65535 A fraction of 65,535.
    function getDividends(uint16 netuid, uint16 uid) external view returns (uint16 dividendsOf65535);

    /// @notice The alpha the uid earned in the last epoch.
    /// @param netuid The subnet.
    /// @param uid The neuron.
    /// @return emissionAlphaRao The emission, in alpha-rao.
    function getEmission(uint16 netuid, uint16 uid) external view returns (uint64 emissionAlphaRao);

    /// @notice The uid's validator trust from the last epoch.
    /// @param netuid The subnet.
    /// @param uid The neuron.
    /// @return vtrustOf65535 A fraction of 65,535.
    function getVtrust(uint16 netuid, uint16 uid) external view returns (uint16 vtrustOf65535);

    /// @notice Whether the uid holds a validator permit.
    /// @param netuid The subnet.
    /// @param uid The neuron.
    /// @return permitted True with a permit.
    function getValidatorStatus(uint16 netuid, uint16 uid) external view returns (bool permitted);

    /// @notice The block at which the uid last set weights (its registration block until it does).
    /// @param netuid The subnet.
    /// @param uid The neuron.
    /// @return blockNumber The block number.
    function getLastUpdate(uint16 netuid, uint16 uid) external view returns (uint64 blockNumber);

    /// @notice Whether the uid was active (set weights within the activity cutoff) at the last epoch.
    /// @param netuid The subnet.
    /// @param uid The neuron.
    /// @return active True when active.
    function getIsActive(uint16 netuid, uint16 uid) external view returns (bool active);

    /// @notice The uid's axon endpoint.
    /// @dev Encoded as one static tuple of six words, like the Rust `AxonInfo` struct.
    /// @param netuid The subnet.
    /// @param uid The neuron.
    /// @return axon The endpoint (all zero when never served).
    function getAxon(uint16 netuid, uint16 uid) external view returns (AxonInfo memory axon);

    /// @notice The uid's hotkey.
    /// @param netuid The subnet.
    /// @param uid The neuron.
    /// @return hotkey The hotkey's 32-byte account id.
    function getHotkey(uint16 netuid, uint16 uid) external view returns (bytes32 hotkey);

    /// @notice The coldkey that owns the uid's hotkey.
    /// @param netuid The subnet.
    /// @param uid The neuron.
    /// @return coldkey The coldkey's 32-byte account id.
    function getColdkey(uint16 netuid, uint16 uid) external view returns (bytes32 coldkey);
}
