// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title LockCostLib
/// @notice subtensor's subnet registration lock cost: each registration doubles the last lock, which then decays
/// linearly back to the minimum over the reduction interval.
/// @dev cost = max(min, m·last − ⌊last / interval⌋·(now − lastBlock)), m = 1 before the first registration, else 2.
/// The division comes first, with integer division, as in subtensor's `get_network_lock_cost`.
library LockCostLib {
    function lockCost(
        uint256 minLockRao,
        uint256 lastLockRao,
        uint256 lastLockBlock,
        uint256 currentBlock,
        uint256 reductionInterval
    ) internal pure returns (uint256) {
        uint256 base = lastLockBlock == 0 ? lastLockRao : 2 * lastLockRao;
        uint256 reduction =
            reductionInterval == 0 ? base : (lastLockRao / reductionInterval) * (currentBlock - lastLockBlock);
        uint256 cost = base > reduction ? base - reduction : 0;
        return cost > minLockRao ? cost : minLockRao;
    }
}
