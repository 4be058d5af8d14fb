// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {VM} from "../utils/Vm.sol";

/// @title SigningVm
/// @notice The cheatcodes the settlement tests add to `utils/Vm.sol`, at the same cheatcode address: keys and
/// signatures, the chain id and the block number, and expected events.
interface SigningVm {
    function addr(uint256 privateKey) external pure returns (address keyAddr);

    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);

    function chainId(uint256 newChainId) external;

    /// @dev The block number as the cheatcodes set it. Under via-IR, `block.number` may be read once and reused
    /// within a function (the optimizer treats it as constant for a transaction), so tests that roll read this.
    function getBlockNumber() external view returns (uint256 height);

    function expectEmit(bool checkTopic1, bool checkTopic2, bool checkTopic3, bool checkData, address emitter) external;
}

SigningVm constant SIGNING_VM = SigningVm(address(VM));
