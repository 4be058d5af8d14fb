// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Create2} from "@openzeppelin/contracts/utils/Create2.sol";

/// @title VaultAddress
/// @notice Where the liquid vault factory deploys the vault of (netuid, hotkey) for one subnet instance: CREATE2 with
/// salt keccak256(netuid, hotkey, registration block). One definition for the factory that deploys there and for the
/// router, which finds a leg's vault without a call to the factory.
library VaultAddress {
    function salt(uint16 netuid, bytes32 hotkey, uint64 registeredAtBlock) internal pure returns (bytes32) {
        return keccak256(abi.encode(netuid, hotkey, registeredAtBlock));
    }

    function compute(
        address factory,
        bytes32 initCodeHash,
        uint16 netuid,
        bytes32 hotkey,
        uint64 registeredAtBlock
    ) internal pure returns (address) {
        return Create2.computeAddress(salt(netuid, hotkey, registeredAtBlock), initCodeHash, factory);
    }
}
