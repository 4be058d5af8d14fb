// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {IRootDividends} from "../../../contracts/interfaces/IRootDividends.sol";
import {AlphaPools} from "../../../contracts/model/AlphaPools.sol";
import {RootDividends} from "../../../contracts/model/RootDividends.sol";
import {Assertions} from "../utils/Assertions.sol";
import {VM} from "../utils/Vm.sol";
import {RegistryTestBase} from "./RegistryTestBase.sol";

/// @dev Random root stakers, root dividends and claims on one subnet, with ghost totals of what was credited and
/// claimed. No call reverts: inputs are bounded, and what the model refuses is skipped.
contract RootDividendsHandler is Assertions {
    uint256 internal constant TAO = 1e9;
    uint256 internal constant MIN_STAKE_RAO = 2_000_000;

    AlphaPools internal immutable pools;
    RootDividends internal immutable rootDividends;
    address internal immutable settler;
    uint16 internal immutable netuid;
    uint32 internal immutable generation;

    address[3] internal actors;
    bytes32[3] internal coldkeys;
    bytes32[2] internal hotkeys;

    uint256 public creditedAlphaRao;
    uint256 public claimedAlphaRao;
    uint256 public calls;

    constructor(
        AlphaPools pools_,
        RootDividends rootDividends_,
        address settler_,
        uint16 netuid_,
        address[3] memory actors_,
        bytes32[3] memory coldkeys_,
        bytes32[2] memory hotkeys_
    ) {
        (pools, rootDividends, settler, netuid) = (pools_, rootDividends_, settler_, netuid_);
        generation = pools_.subnetConfig(netuid_).generation;
        (actors, coldkeys, hotkeys) = (actors_, coldkeys_, hotkeys_);
    }

    function actor(uint256 i) external view returns (address, bytes32) {
        return (actors[i], coldkeys[i]);
    }

    function hotkey(uint256 i) external view returns (bytes32) {
        return hotkeys[i];
    }

    function stakeRoot(uint256 who, uint256 which, uint256 amount) external {
        calls++;
        who = _bound(who, 0, 2);
        amount = _bound(amount, MIN_STAKE_RAO, 50 * TAO);
        VM.deal(actors[who], amount * 1e9);
        VM.prank(actors[who]);
        pools.addStake{value: amount * 1e9}(hotkeys[_bound(which, 0, 1)], 0, 0, type(uint256).max);
    }

    function unstakeRoot(uint256 who, uint256 which, uint256 amount) external {
        calls++;
        who = _bound(who, 0, 2);
        bytes32 h = hotkeys[_bound(which, 0, 1)];
        uint256 available = pools.getStake(h, coldkeys[who], 0);
        if (available == 0) return;
        amount = _bound(amount, 1, available);
        // a partial unstake must leave the minimum stake's worth behind the sale, as on the chain
        if (amount < available && amount < MIN_STAKE_RAO) amount = available;
        VM.prank(actors[who]);
        pools.removeStake(h, 0, amount, 0, type(uint256).max);
    }

    function moveRoot(uint256 who, uint256 from, uint256 amount) external {
        calls++;
        who = _bound(who, 0, 2);
        uint256 f = _bound(from, 0, 1);
        uint256 available = pools.getStake(hotkeys[f], coldkeys[who], 0);
        if (available < MIN_STAKE_RAO) return;
        amount = _bound(amount, MIN_STAKE_RAO, available);
        VM.prank(actors[who]);
        pools.moveStake(hotkeys[f], hotkeys[1 - f], 0, 0, amount, 0, type(uint256).max);
    }

    /// @dev An epoch: pending alpha closed into the settler's pot, part of it credited to a hotkey's root stakers.
    function credit(uint256 which, uint256 amount, uint256 blocks) external {
        calls++;
        VM.roll(block.number + _bound(blocks, 1, 30));
        VM.prank(settler);
        pools.closePending(netuid);
        (uint256 owed, ) = pools.owedAlpha(netuid, generation);
        bytes32 h = hotkeys[_bound(which, 0, 1)];
        uint256 rootStake = pools.hotkeyPool(h, 0).alphaRao;
        uint256 cap = owed < rootStake ? owed : rootStake;
        if (cap == 0) return;
        amount = _bound(amount, 1, cap);
        VM.prank(settler);
        if (rootDividends.creditRootDividend(netuid, generation, h, amount)) creditedAlphaRao += amount;
    }

    function claim(uint256 who, uint256 which, bool keep) external {
        calls++;
        who = _bound(who, 0, 2);
        VM.prank(actors[who]);
        rootDividends.setRootClaimType(keep ? IRootDividends.RootClaimType.Keep : IRootDividends.RootClaimType.Swap);
        uint16[] memory netuids = new uint16[](1);
        netuids[0] = netuid;
        claimedAlphaRao += rootDividends.claimRoot(hotkeys[_bound(which, 0, 1)], coldkeys[who], netuids);
    }
}

/// @notice Root dividends under random stake changes, credits and claims: what the root stakers may claim is always
/// covered by the alpha the pools hold for them, and the books match the ghost totals.
contract RootDividendsInvariantTest is RegistryTestBase {
    RootDividendsHandler internal handler;
    uint16 internal netuid;

    function setUp() public override {
        super.setUp();
        netuid = _emittingSubnet(owner1, OWNER1_HOTKEY);
        _neuron(netuid, validator1);
        _neuron(netuid, validator2);
        // every hotkey starts with some root stake, so credits can go through from the first call
        _stake(owner2, ck(validator1), 0, 10 * TAO);
        _stake(owner2, ck(validator2), 0, 10 * TAO);
        handler = new RootDividendsHandler(
            pools,
            rootDividends,
            settler,
            netuid,
            [alice, bob, carol],
            [ck(alice), ck(bob), ck(carol)],
            [ck(validator1), ck(validator2)]
        );
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @dev Σ of every claim ≤ the alpha owed to root stakers: no claim can draw on alpha that is not there.
    function invariant_claimableIsCovered() public view {
        uint32 generation = pools.subnetConfig(netuid).generation;
        (, uint256 rootOwed) = pools.owedAlpha(netuid, generation);
        uint256 claimable;
        for (uint256 h; h < 2; ++h) {
            bytes32 hotkey = handler.hotkey(h);
            for (uint256 i; i < 3; ++i) {
                (, bytes32 coldkey) = handler.actor(i);
                claimable += rootDividends.rootClaimable(hotkey, coldkey, netuid);
            }
            claimable += rootDividends.rootClaimable(hotkey, ck(owner2), netuid);
        }
        assertLe(claimable, rootOwed, "claimable <= root debt");
    }

    /// @dev The root debt is exactly what was credited less what was claimed.
    function invariant_rootDebtMatchesTheGhosts() public view {
        uint32 generation = pools.subnetConfig(netuid).generation;
        (, uint256 rootOwed) = pools.owedAlpha(netuid, generation);
        assertEq(rootOwed, handler.creditedAlphaRao() - handler.claimedAlphaRao(), "root debt = credited - claimed");
    }

    /// @dev Root is a 1:1 pool: its TAO is the sum of the hotkeys' root stakes.
    function invariant_rootTaoIsTheStakes() public view {
        (, , IAlphaPoolsTypes.RootStake memory root) = pools.storedGlobal();
        uint256 staked =
            pools.hotkeyPool(handler.hotkey(0), 0).alphaRao + pools.hotkeyPool(handler.hotkey(1), 0).alphaRao;
        assertEq(root.taoRao, staked, "root TAO = root stakes");
    }
}
