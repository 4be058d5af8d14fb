// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Vm
/// @notice The cheatcodes these tests use, at the standard cheatcode address (forge-std is not on npm).
interface Vm {
    /// @dev The creation code of a compiled contract ("File.sol:Contract"), from the project's artifacts.
    function getCode(string calldata artifact) external view returns (bytes memory creationBytecode);

    function prank(address sender) external;

    function startPrank(address sender) external;

    function stopPrank() external;

    function deal(address account, uint256 newBalance) external;

    function roll(uint256 newHeight) external;

    /// @dev The current block height; `block.number` may be cached by the optimizer across `roll`s within a test.
    function getBlockNumber() external view returns (uint256 height);

    function warp(uint256 newTimestamp) external;

    function expectRevert(bytes calldata revertData) external;

    function expectRevert(bytes4 revertData) external;

    function expectRevert() external;

    function assume(bool condition) external;

    function label(address account, string calldata newLabel) external;

    function load(address target, bytes32 slot) external view returns (bytes32 data);
}

/// @dev address(uint160(uint256(keccak256("hevm cheat code"))))
Vm constant VM = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
