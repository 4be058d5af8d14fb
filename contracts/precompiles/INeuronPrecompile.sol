// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title INeuronPrecompile
/// @notice Bittensor's neuron precompile at 0x0000000000000000000000000000000000000804: register a hotkey on a
/// subnet, set, commit and reveal weights, and serve an axon or prometheus endpoint.
/// @dev The ABI is that of the Rust implementation (subtensor `precompiles/src/neuron.rs`); the shipped
/// `neuron.sol`/`neuron.abi` lack `registerLimit`. `netuid` and uids are `uint16`; weights are u16 values that the
/// chain normalises.
/// @dev Warning: the caller is the origin. For registration it is the coldkey that pays and owns the hotkey; for
/// weights and serving it must be the registered hotkey itself, so a contract can only set weights or serve for
/// the hotkey that is its own mapped account blake2b_256("evm:" ‖ contract address).
/// @dev Warning: never attach value. Registration burns TAO from the caller's balance; `msg.value` sent to a payable
/// function here is not used, not refunded, and stays in the precompile's account.
/// @dev Warning: a failed call ends in an EVM error, not a revert: it consumes all gas forwarded to the call and
/// returns no data. No EVM events are emitted. Root can switch the precompile off (admin-utils `PrecompileEnable`).
/// @dev Warning: call the functions that return nothing with a low-level call and check its success, for example
/// `Precompiles.X.call(abi.encodeCall(I.f, (…)))`. Before such a function, a high-level Solidity call requires code
/// at the target (`extcodesize > 0`) and reverts without it, and it is not established that the precompile
/// addresses hold code on Bittensor. Functions that return data skip that check.
interface INeuronPrecompile {
    /* REGISTRATION */

    /// @notice Registers `hotkey` on subnet `netuid`, paying the current burn price from the caller's balance.
    /// @dev Warning: no price limit: the burn price moves with demand, even within a block; prefer `registerLimit`.
    /// @dev Warning: the caller is the coldkey: a new `hotkey` becomes owned by the caller (a contract's mapped
    /// account when a contract calls); a hotkey owned by another coldkey fails. Fails on the root subnet and when the
    /// subnet's registration is closed.
    /// @param netuid The subnet.
    /// @param hotkey The hotkey's 32-byte account id.
    function burnedRegister(uint16 netuid, bytes32 hotkey) external payable;

    /// @notice Like `burnedRegister`, but fails unless the current burn price is at most `limitPriceRao`.
    /// @dev Warning: `limitPriceRao` is the whole registration cost in rao, not a price per alpha.
    /// @param netuid The subnet.
    /// @param hotkey The hotkey's 32-byte account id.
    /// @param limitPriceRao The highest acceptable burn, in rao.
    function registerLimit(uint16 netuid, bytes32 hotkey, uint64 limitPriceRao) external payable;

    /* WEIGHTS */

    /// @notice Sets the caller's weights on subnet `netuid` (the caller must be a registered hotkey there).
    /// @dev Warning: fails while commit-reveal is on (use `commitWeights` and `revealWeights`), within the weights
    /// rate limit, when `versionKey` is below the subnet's weights version key, below the chain's minimum stake for
    /// setting weights, or when weighting other uids without a validator permit.
    /// @param netuid The subnet.
    /// @param dests The uids weighted.
    /// @param weights One weight per uid, as u16 values the chain normalises (relative, not fractions).
    /// @param versionKey The weights version key.
    function setWeights(
        uint16 netuid,
        uint16[] calldata dests,
        uint16[] calldata weights,
        uint64 versionKey
    ) external payable;

    /// @notice Commits the hash of weights the caller will reveal later (commit-reveal must be on).
    /// @dev The chain recomputes the hash at reveal as BLAKE2b-256 of the SCALE encoding of (the caller's 32-byte
    /// account id, the subnet's u16 storage index — the netuid for its main mechanism —, uids, values, salt,
    /// versionKey). At most 10 unrevealed commits per hotkey.
    /// @param netuid The subnet.
    /// @param commitHash The 32-byte commit hash.
    function commitWeights(uint16 netuid, bytes32 commitHash) external payable;

    /// @notice Reveals weights committed earlier with `commitWeights`.
    /// @dev Warning: fails outside the commit's reveal window (`ISubnetPrecompile.getCommitRevealWeightsInterval`
    /// epochs after the commit) or when the recomputed hash matches no commit.
    /// @param netuid The subnet.
    /// @param uids The uids weighted.
    /// @param values One weight per uid, as u16 values the chain normalises.
    /// @param salt The salt used in the commit.
    /// @param versionKey The weights version key used in the commit.
    function revealWeights(
        uint16 netuid,
        uint16[] calldata uids,
        uint16[] calldata values,
        uint16[] calldata salt,
        uint64 versionKey
    ) external payable;

    /* SERVING */

    /// @notice Publishes the caller's axon endpoint on subnet `netuid` (the caller must be a registered hotkey there).
    /// @dev Warning: rate-limited by `ISubnetPrecompile.getServingRateLimit`; the IP must match `ipType`.
    /// @param netuid The subnet.
    /// @param version The software version.
    /// @param ip The IP address as an integer (IPv4 in the low 32 bits).
    /// @param port The port.
    /// @param ipType 4 for IPv4, 6 for IPv6.
    /// @param protocol 0 for TCP, 1 for UDP.
    /// @param placeholder1 Reserved.
    /// @param placeholder2 Reserved.
    function serveAxon(
        uint16 netuid,
        uint32 version,
        uint128 ip,
        uint16 port,
        uint8 ipType,
        uint8 protocol,
        uint8 placeholder1,
        uint8 placeholder2
    ) external payable;

    /// @notice Like `serveAxon`, also publishing a TLS certificate for neuron-to-neuron connections.
    /// @param netuid The subnet.
    /// @param version The software version.
    /// @param ip The IP address as an integer (IPv4 in the low 32 bits).
    /// @param port The port.
    /// @param ipType 4 for IPv4, 6 for IPv6.
    /// @param protocol 0 for TCP, 1 for UDP.
    /// @param placeholder1 Reserved.
    /// @param placeholder2 Reserved.
    /// @param certificate The certificate bytes.
    function serveAxonTls(
        uint16 netuid,
        uint32 version,
        uint128 ip,
        uint16 port,
        uint8 ipType,
        uint8 protocol,
        uint8 placeholder1,
        uint8 placeholder2,
        bytes calldata certificate
    ) external payable;

    /// @notice Publishes the caller's prometheus (metrics) endpoint on subnet `netuid`.
    /// @dev Warning: rate-limited like `serveAxon`; the caller must be a registered hotkey there.
    /// @param netuid The subnet.
    /// @param version The software version.
    /// @param ip The IP address as an integer (IPv4 in the low 32 bits).
    /// @param port The port.
    /// @param ipType 4 for IPv4, 6 for IPv6.
    function servePrometheus(uint16 netuid, uint32 version, uint128 ip, uint16 port, uint8 ipType) external payable;
}
