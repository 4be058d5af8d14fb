// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IAlphaPools} from "../../../contracts/interfaces/IAlphaPools.sol";
import {IAlphaPoolsHooks} from "../../../contracts/interfaces/IAlphaPoolsHooks.sol";
import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {IMetagraph} from "../../../contracts/interfaces/IMetagraph.sol";
import {ISubnetRegistry} from "../../../contracts/interfaces/ISubnetRegistry.sol";

import {SecurityBase} from "./SecurityBase.sol";

/// @notice Finding 8: an unchecked uint64 cast of the opening alpha stored 2^64 + 1 as 1. Every narrowing cast must
/// be checked: a value above the field's width reverts with SafeCast's error, never truncates. Each test feeds a value
/// one above the width to an entry that narrows it (and the width itself, which must be stored exactly).
contract RegressionNarrowingCastsTest is SecurityBase {
    address internal registrar = address(0x4E6157);
    uint16 internal constant SPARE_NETUID = 200;

    function setUp() public override {
        super.setUp();
        vm.startPrank(admin);
        pools.grantRole(pools.REGISTRY_ROLE(), registrar);
        vm.stopPrank();
        vm.deal(registrar, type(uint128).max);
        vm.deal(alice, type(uint128).max);
    }

    function _expectDowncast(uint8 bits, uint256 value) internal {
        vm.expectRevert(abi.encodeWithSelector(SafeCast.SafeCastOverflowedUintDowncast.selector, bits, value));
    }

    /// @dev The finding itself: the pools' opening alpha (SubnetAlphaIn) is a uint64.
    function test_Regression_UncheckedOpeningAlpha_revertsAbove2Pow64() public {
        uint256 lockWei = _wei(100 * TAO);
        vm.prank(registrar);
        _expectDowncast(64, 2 ** 64 + 1);
        pools.openSubnet{value: lockWei}(SPARE_NETUID, 2 ** 64 + 1, MIN_STAKE_RAO, FEE_RATE, 20, true);
        // The TAO side of the opening is narrowed the same way.
        vm.prank(registrar);
        _expectDowncast(64, 2 ** 64);
        pools.openSubnet{value: _wei(2 ** 64)}(SPARE_NETUID, 100 * TAO, MIN_STAKE_RAO, FEE_RATE, 20, true);
        assertTrue(!pools.subnetConfig(SPARE_NETUID).active, "nothing opened");

        // The largest value that fits is stored as it is.
        vm.prank(registrar);
        pools.openSubnet{value: lockWei}(SPARE_NETUID, type(uint64).max, MIN_STAKE_RAO, FEE_RATE, 20, true);
        assertEq(_pool(SPARE_NETUID).alphaRao, type(uint64).max, "alpha reserve stored exactly");
        assertEq(_books(SPARE_NETUID).alphaIssuanceRao, type(uint64).max, "alpha issuance stored exactly");
    }

    /// @dev Root stake (uint64 of TAO): root has no swap and no input cap, so the cast is the only guard. A subnet's
    /// pool refuses such an input earlier, with its own error (the swap input cap), before any cast.
    function test_Regression_NarrowingCasts_stakeAbove2Pow64() public {
        vm.prank(alice);
        _expectDowncast(64, 2 ** 64);
        pools.addStake{value: _wei(2 ** 64)}(OWNER1_HOTKEY, ROOT, 0, NO_DEADLINE);
        assertEq(_rootStake().taoRao, 0, "no root stake recorded");

        uint16 netuid = _newEmittingSubnet(owner1, OWNER1_HOTKEY);
        pools.poke(netuid);
        uint256 taoReserve = _pool(netuid).taoRao;
        uint256 net = 2 ** 64 - (2 ** 64 * FEE_RATE + 65_534) / 65_535;
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPoolsTypes.SwapInputTooLarge.selector, net, taoReserve * 1000));
        pools.addStake{value: _wei(2 ** 64)}(OWNER1_HOTKEY, netuid, 0, NO_DEADLINE);
    }

    /// @dev The emission reserve is a uint56 (72 million TAO).
    function test_Regression_NarrowingCasts_reserveAbove2Pow56() public {
        vm.deal(address(this), type(uint128).max);
        uint256 reserve = _reserveRao();
        assertEq(reserve, 100_000 * TAO, "the set-up's funding");
        uint256 fits = 2 ** 56 - 1 - reserve;
        _expectDowncast(56, 2 ** 56);
        pools.fundEmissionReserve{value: _wei(fits + 1)}();
        pools.fundEmissionReserve{value: _wei(fits)}();
        assertEq(_reserveRao(), 2 ** 56 - 1, "the reserve holds exactly its width");
        _expectDowncast(56, 2 ** 56);
        pools.fundEmissionReserve{value: _wei(1)}();
    }

    /// @dev Block numbers are stored as uint32. Past block 2^32 − 1 every entry that catches up (poke, staking,
    /// funding) must revert cleanly instead of storing a truncated block number (a truncated last-accrual block of
    /// 0 would make the next catch-up emit for 2^32 blocks again).
    function test_Regression_NarrowingCasts_blockNumberAbove2Pow32() public {
        uint16 netuid = _newEmittingSubnet(owner1, OWNER1_HOTKEY);
        _stake(bob, OWNER1_HOTKEY, netuid, 10 * TAO);
        vm.roll(2 ** 32 - 1);
        pools.poke(netuid);
        assertEq(_pool(netuid).lastAccrualBlock, 2 ** 32 - 1, "the last block that fits is stored exactly");
        (IAlphaPoolsTypes.Global memory g, , ) = pools.storedGlobal();
        assertEq(g.lastBlock, 2 ** 32 - 1, "global last block");

        vm.roll(2 ** 32);
        _expectDowncast(32, 2 ** 32);
        pools.poke(netuid);
        _expectDowncast(32, 2 ** 32);
        pools.fundEmissionReserve{value: _wei(TAO)}();
        vm.prank(alice);
        _expectDowncast(32, 2 ** 32);
        pools.addStake{value: _wei(TAO)}(OWNER1_HOTKEY, netuid, 0, NO_DEADLINE);
        vm.prank(bob);
        _expectDowncast(32, 2 ** 32);
        pools.removeStake(OWNER1_HOTKEY, netuid, 1e9, 0, NO_DEADLINE);
        vm.prank(alice);
        _expectDowncast(32, 2 ** 32);
        pools.addStake{value: _wei(TAO)}(OWNER1_HOTKEY, ROOT, 0, NO_DEADLINE);
    }

    /// @dev A hotkey pool's vesting dividends were a uint48 (281,474 alpha): a settlement crediting more at once (here
    /// ~400,000 blocks of a subnet's emission, never settled) reverted and left the epoch unpayable. The field is now
    /// a uint64, which holds any pot (a pot is alpha of the subnet's issuance, below 2^64).
    function test_Regression_NarrowingCasts_vestingDividendAbove2Pow48() public {
        uint16 netuid = _newEmittingSubnet(owner1, OWNER1_HOTKEY);
        _stake(alice, OWNER1_HOTKEY, netuid, 10 * TAO);
        _advance(400_000);
        (uint32 generation, IAlphaPoolsTypes.PendingEmission memory pot) = _closePot(netuid);
        uint256 total = pot.ownerCutAlphaRao + pot.serverAlphaRao + pot.validatorAlphaRao + pot.rootAlphaRao;
        assertGt(total, 2 ** 48, "the pot exceeds the old field");
        vm.prank(settler);
        pools.creditDividend(netuid, generation, OWNER1_HOTKEY, ck(owner1), total);
        assertEq(pools.hotkeyPool(OWNER1_HOTKEY, netuid).unvestedAlphaRao, total, "the whole pot vests");
    }

    /// @dev Typed narrow arguments are checked by the ABI decoder: calldata carrying a value above the type's width
    /// (which a truncating decoder would read as value mod 2^N) is refused, and nothing changes.
    function test_Regression_NarrowingCasts_abiRefusesOutOfRangeArguments() public {
        uint16 netuid = _newEmittingSubnet(owner1, OWNER1_HOTKEY);
        uint32 generation = _generation(netuid);

        // setMinerBurn(uint16 netuid, uint16 minerBurnOf65535) with 2^16 + 1000 (would read as 1000).
        bytes memory data = abi.encodeWithSelector(
            IAlphaPoolsHooks.setMinerBurn.selector,
            netuid,
            uint256(2 ** 16 + 1000)
        );
        vm.prank(settler);
        (bool ok, bytes memory ret) = address(pools).call(data);
        assertTrue(!ok && ret.length == 0, "setMinerBurn refuses a uint16 above its width");
        assertEq(pools.subnetConfig(netuid).minerBurnOf65535, 0, "miner burn unchanged");

        // recordPayout(uint16, uint32, uint16, bytes32, uint64) with an emission of 2^64 + 5 (would read as 5).
        data = abi.encodeCall(IMetagraph.recordPayout, (netuid, generation, 0, OWNER1_HOTKEY, 0));
        // The emission is the last word of the calldata.
        assembly ("memory-safe") {
            mstore(add(data, mload(data)), add(shl(64, 1), 5))
        }
        vm.prank(settler);
        (ok, ret) = address(metagraph).call(data);
        assertTrue(!ok && ret.length == 0, "recordPayout refuses a uint64 above its width");
        assertEq(metagraph.neurons(netuid, 0, 1)[0].emissionAlphaRao, 0, "emission unchanged");

        // increaseTake(bytes32, uint16) with 2^16 + 100 (would read as 100).
        data = abi.encodeWithSelector(IMetagraph.increaseTake.selector, OWNER1_HOTKEY, uint256(2 ** 16 + 100));
        vm.prank(owner1);
        (ok, ret) = address(metagraph).call(data);
        assertTrue(!ok && ret.length == 0, "increaseTake refuses a uint16 above its width");
        assertEq(metagraph.takeOf(OWNER1_HOTKEY), DEFAULT_TAKE, "take unchanged");

        // setPoolSettings(uint16, (uint16 fee, uint64 minStake)) with a fee of 2^16 + 100.
        data = abi.encodeWithSelector(
            registry.setPoolSettings.selector,
            netuid,
            uint256(2 ** 16 + 100),
            uint256(MIN_STAKE_RAO)
        );
        vm.prank(admin);
        (ok, ret) = address(registry).call(data);
        assertTrue(!ok && ret.length == 0, "setPoolSettings refuses a uint16 fee above its width");
        assertEq(pools.subnetConfig(netuid).feeRateOf65535, FEE_RATE, "fee unchanged");

        // setHyperparameters(uint16, Hyperparameters) with a tempo of 2^16 + 20 (would read as 20).
        data = abi.encodeCall(ISubnetRegistry.setHyperparameters, (netuid, _defaultHyperparameters()));
        assembly ("memory-safe") {
            // word 0 after the selector is the netuid, word 1 the tempo
            mstore(add(data, 68), add(shl(16, 1), 20))
        }
        vm.prank(owner1);
        (ok, ret) = address(registry).call(data);
        assertTrue(!ok && ret.length == 0, "setHyperparameters refuses a uint16 tempo above its width");
    }
}
