// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {FundEngine} from "./FundEngine.sol";

/// @title FundRedemptions
/// @notice The fund engine without a strategy: a strategy whose code would not fit in one contract runs the engine's
/// redemption functions (`processRedemptions`, `claimStake`, `sellClaimedStake`) from here, by delegatecall, on its
/// own storage.
/// @dev The storage layout is the engine's, which every strategy starts with, so the code reads and writes the
/// calling fund's state. It is deployed by the strategy implementation's constructor (one per implementation) and is
/// never initialised itself: called directly, it holds no fund.
contract FundRedemptions is FundEngine {
    constructor(Precompiles memory precompiles_) FundEngine(precompiles_) {}
}
