// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title UnitsLib
/// @notice Conversions between the EVM's 18-decimal TAO (wei) and the chain's 9-decimal units (rao, alpha-rao).
/// @dev 1 rao = 1e9 wei. Bittensor moves only whole rao between accounts, so every conversion names its rounding.
library UnitsLib {
    uint256 internal constant WEI_PER_RAO = 1e9;

    /// @notice `amountWei` is not a whole number of rao.
    error NotWholeRao(uint256 amountWei);

    /// @dev Reverts unless `amountWei` converts without a remainder, so no sub-rao dust is ever credited.
    function toRaoExact(uint256 amountWei) internal pure returns (uint256) {
        if (amountWei % WEI_PER_RAO != 0) revert NotWholeRao(amountWei);
        return amountWei / WEI_PER_RAO;
    }

    function toRaoDown(uint256 amountWei) internal pure returns (uint256) {
        return amountWei / WEI_PER_RAO;
    }

    function toWei(uint256 amountRao) internal pure returns (uint256) {
        return amountRao * WEI_PER_RAO;
    }
}
