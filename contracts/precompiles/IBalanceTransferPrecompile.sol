// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IBalanceTransferPrecompile
/// @notice Bittensor's balance transfer precompile at 0x0000000000000000000000000000000000000800: sends the attached
/// TAO to a native Bittensor account (a 32-byte account id), which a plain EVM value transfer cannot address.
/// @dev The ABI is that of the Rust implementation (subtensor `precompiles/src/balance_transfer.rs`).
/// @dev Warning: a failed call ends in an EVM error that consumes the forwarded gas and returns no data. No EVM event
/// is emitted for the outgoing transfer. Root can switch the precompile off (admin-utils `PrecompileEnable`).
/// @dev Warning: call the functions that return nothing with a low-level call and check its success, for example
/// `Precompiles.X.call(abi.encodeCall(I.f, (…)))`. Before such a function, a high-level Solidity call requires code
/// at the target (`extcodesize > 0`) and reverts without it, and it is not established that the precompile
/// addresses hold code on Bittensor. Functions that return data skip that check.
interface IBalanceTransferPrecompile {
    /// @notice Sends `msg.value` to the account `destination`.
    /// @dev Unlike every other precompile here, this one spends `msg.value`: the EVM moves it to the precompile's
    /// account, which then transfers `msg.value / 1e9` rao to `destination`.
    /// @dev Warning: `msg.value` is in wei (1e-18 TAO) and the chain moves whole rao: the part of `msg.value` below
    /// 1e9 wei is not transferred, and a `msg.value` below 1e9 wei does nothing. Send multiples of 1e9 wei.
    /// @dev Warning: a `destination` account that does not exist yet must receive at least the existential deposit
    /// (500 rao), or the call fails.
    /// @param destination The receiving 32-byte account id (an SS58 address decoded; for an EVM address, its mapped
    /// account).
    function transfer(bytes32 destination) external payable;
}
