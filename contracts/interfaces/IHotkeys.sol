// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IHotkeys
/// @notice Hotkeys as subtensor keeps them: the coldkey that owns each hotkey (`Owner`) and its validator take
/// (`Delegates`).
interface IHotkeys {
    /// @notice The coldkey that owns `hotkey`, or zero when the hotkey was never registered.
    function ownerOf(bytes32 hotkey) external view returns (bytes32 coldkey);

    /// @notice The part of `hotkey`'s dividends that goes to its owner, of 65,535.
    function takeOf(bytes32 hotkey) external view returns (uint16 takeOf65535);
}
