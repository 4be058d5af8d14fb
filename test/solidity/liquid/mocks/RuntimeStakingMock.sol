// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {VM} from "../../utils/Vm.sol";

/// @title RuntimeStakingMock
/// @notice Bittensor's staking precompile as its runtime behaves towards a calling contract, for the one behaviour no
/// adapter can show: TAO is debited from the caller's own balance (here with the `deal` cheatcode), never taken from
/// `msg.value`, and unstaked TAO is credited to the caller's balance without a call.
/// @dev Like the runtime, it answers no adapter probe and fails on any selector it does not know by consuming the
/// forwarded gas (INVALID). Value attached to any call is kept, as the runtime keeps it in the precompile's account,
/// and counted in `valueReceivedWei` so a test can prove a client never attaches any. Stake is a plain ledger at a
/// price of 1 rao per alpha-rao.
contract RuntimeStakingMock {
    mapping(bytes32 hotkey => mapping(bytes32 coldkey => mapping(uint256 netuid => uint256 alphaRao))) public stakeOf;
    mapping(address => bytes32) public coldkeyOfCaller;
    uint256 public valueReceivedWei;
    uint256 public calls;

    /// @dev The caller's coldkey, as the address mapping precompile would give it; tests register it.
    function setColdkey(address caller, bytes32 coldkey) external {
        coldkeyOfCaller[caller] = coldkey;
    }

    function addStake(bytes32 hotkey, uint256 amountRao, uint256 netuid) external payable {
        _stake(hotkey, amountRao, netuid);
    }

    function addStakeLimit(bytes32 hotkey, uint256 amountRao, uint256, bool, uint256 netuid) external payable {
        _stake(hotkey, amountRao, netuid);
    }

    function removeStake(bytes32 hotkey, uint256 amountAlphaRao, uint256 netuid) external payable {
        _record();
        bytes32 coldkey = _coldkey();
        uint256 stake = stakeOf[hotkey][coldkey][netuid];
        uint256 amount = amountAlphaRao > stake ? stake : amountAlphaRao;
        if (amount == 0) _fail();
        stakeOf[hotkey][coldkey][netuid] = stake - amount;
        // Credited to the caller's balance, without calling it.
        VM.deal(msg.sender, msg.sender.balance + amount * 1e9);
    }

    function moveStake(
        bytes32 fromHotkey,
        bytes32 toHotkey,
        uint256 fromNetuid,
        uint256 toNetuid,
        uint256 amount
    ) external payable {
        _record();
        bytes32 coldkey = _coldkey();
        if (stakeOf[fromHotkey][coldkey][fromNetuid] < amount || amount == 0) _fail();
        stakeOf[fromHotkey][coldkey][fromNetuid] -= amount;
        stakeOf[toHotkey][coldkey][toNetuid] += amount;
    }

    function transferStake(
        bytes32 toColdkey,
        bytes32 hotkey,
        uint256 fromNetuid,
        uint256 toNetuid,
        uint256 amount
    ) external payable {
        _record();
        bytes32 coldkey = _coldkey();
        if (stakeOf[hotkey][coldkey][fromNetuid] < amount || amount == 0) _fail();
        stakeOf[hotkey][coldkey][fromNetuid] -= amount;
        stakeOf[hotkey][toColdkey][toNetuid] += amount;
    }

    function getStake(bytes32 hotkey, bytes32 coldkey, uint256 netuid) external view returns (uint256) {
        return stakeOf[hotkey][coldkey][netuid];
    }

    function getNominatorMinRequiredStake() external pure returns (uint256) {
        return 0;
    }

    fallback() external payable {
        _fail();
    }

    receive() external payable {
        _fail();
    }

    function _stake(bytes32 hotkey, uint256 amountRao, uint256 netuid) internal {
        _record();
        uint256 amountWei = amountRao * 1e9;
        // The runtime debits the caller's balance; without enough, the dispatch fails.
        if (amountRao == 0 || msg.sender.balance < amountWei) _fail();
        VM.deal(msg.sender, msg.sender.balance - amountWei);
        stakeOf[hotkey][_coldkey()][netuid] += amountRao;
    }

    function _record() internal {
        valueReceivedWei += msg.value;
        calls += 1;
    }

    function _coldkey() internal view returns (bytes32 coldkey) {
        coldkey = coldkeyOfCaller[msg.sender];
        if (coldkey == bytes32(0)) _fail();
    }

    function _fail() internal pure {
        assembly ("memory-safe") {
            invalid()
        }
    }
}
