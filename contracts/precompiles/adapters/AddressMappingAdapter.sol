// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAddressMappingPrecompile} from "../IAddressMappingPrecompile.sol";
import {PrecompileAdapter} from "./PrecompileAdapter.sol";

/// @title AddressMappingAdapter
/// @notice Bittensor's address mapping precompile (0x80C): blake2b_256("evm:" ‖ address), computed with the EIP-152
/// BLAKE2b compression (0x09) that an Ethereum chain has.
/// @dev Warning: on Bittensor 0x09 is Bn128Add, not BLAKE2F: contracts that run there call this precompile instead.
contract AddressMappingAdapter is PrecompileAdapter, IAddressMappingPrecompile {
    constructor(address courier) PrecompileAdapter(courier) {}

    /// @inheritdoc IAddressMappingPrecompile
    function addressMapping(address target) external view returns (bytes32) {
        return _coldkeyOf(target);
    }
}
