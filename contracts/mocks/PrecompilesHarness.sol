// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Precompiles} from "../precompiles/Precompiles.sol";

/// @notice Exposes the `Precompiles` address constants, keyed by interface name, to the test that checks them against
/// the precompile table read from subtensor. Never deployed by the product.
contract PrecompilesHarness {
    function precompileAddresses() external pure returns (string[] memory interfaces, address[] memory addresses) {
        interfaces = new string[](8);
        addresses = new address[](8);
        (interfaces[0], addresses[0]) = ("IBalanceTransferPrecompile", Precompiles.BALANCE_TRANSFER);
        (interfaces[1], addresses[1]) = ("IMetagraphPrecompile", Precompiles.METAGRAPH);
        (interfaces[2], addresses[2]) = ("ISubnetPrecompile", Precompiles.SUBNET);
        (interfaces[3], addresses[3]) = ("INeuronPrecompile", Precompiles.NEURON);
        (interfaces[4], addresses[4]) = ("IStakingV2", Precompiles.STAKING_V2);
        (interfaces[5], addresses[5]) = ("IUidLookupPrecompile", Precompiles.UID_LOOKUP);
        (interfaces[6], addresses[6]) = ("IAlphaPrecompile", Precompiles.ALPHA);
        (interfaces[7], addresses[7]) = ("IAddressMappingPrecompile", Precompiles.ADDRESS_MAPPING);
    }
}
