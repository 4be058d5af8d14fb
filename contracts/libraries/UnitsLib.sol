// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

library UnitsLib {
    uint256 internal constant WEI_PER_RAO = 1e9;
}
