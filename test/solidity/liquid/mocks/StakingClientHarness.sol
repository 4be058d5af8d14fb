// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StakingClient} from "../../../../contracts/staking/StakingClient.sol";

/// @notice Exposes `StakingClient`'s internal calls. It has no `receive()`: unstaked TAO must reach it anyway.
contract StakingClientHarness is StakingClient {
    constructor(Precompiles memory addresses) StakingClient(addresses) {}

    function fund() external payable {}

    function stake(bytes32 hotkey, uint16 netuid, uint256 amountRao, uint256 limit) external {
        _addStakeLimit(hotkey, netuid, amountRao, limit, false);
    }

    function unstake(bytes32 hotkey, uint16 netuid, uint256 alphaRao) external {
        _removeStake(hotkey, netuid, alphaRao);
    }

    function move(bytes32 fromHotkey, bytes32 toHotkey, uint16 netuid, uint256 alphaRao) external {
        _moveStake(fromHotkey, toHotkey, netuid, netuid, alphaRao);
    }

    function transfer(bytes32 toColdkey, bytes32 hotkey, uint16 netuid, uint256 alphaRao) external {
        _transferStake(toColdkey, hotkey, netuid, netuid, alphaRao);
    }

    function stakeOf(bytes32 hotkey, uint16 netuid) external view returns (uint256) {
        return _stakeOf(hotkey, netuid);
    }
}
