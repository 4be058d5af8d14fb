// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPools} from "../../../contracts/interfaces/IAlphaPools.sol";
import {BaseTest} from "../BaseTest.sol";

/// @notice Shared set-up for the AlphaPools suites: a registered (non-emitting) 100 TAO / 100 alpha subnet, a
/// registrar that can open pools directly, and the spec formulas the tests compare against.
abstract contract AlphaPoolsTestBase is BaseTest {
    uint256 internal constant D = 65_535;
    uint256 internal constant FEE = 33; // the registry's default fee rate
    uint256 internal constant MIN_STAKE = 2_000_000;
    uint256 internal constant MIN_RESERVE = 1_000_000;

    address internal registrar = address(0x2E6);
    uint16 internal netuid;

    function setUp() public virtual override {
        super.setUp();
        vm.startPrank(admin);
        pools.grantRole(pools.REGISTRY_ROLE(), registrar);
        vm.stopPrank();
        _coldkeys[registrar] = pools.coldkeyOf(registrar);
        netuid = _registerSubnet(owner1, OWNER1_HOTKEY);
    }

    /* SPEC FORMULAS (subtensor's constant product with the fee taken from the gross input, rounded up) */

    function _fee(uint256 gross, uint256 rate) internal pure returns (uint256) {
        return (gross * rate + D - 1) / D;
    }

    function _out(uint256 netIn, uint256 reserveIn, uint256 reserveOut) internal pure returns (uint256) {
        return (reserveOut * netIn) / (reserveIn + netIn);
    }

    function _reserves(uint16 id) internal view returns (uint256 tao, uint256 alpha) {
        (tao, alpha) = (pools.poolState(id).taoReserve, pools.poolState(id).alphaReserve);
    }

    /// @dev Opens a pool directly (as the registry would) with the given reserves and minimum stake.
    function _openPool(uint16 id, bytes32 hotkey, address owner, uint256 tao, uint256 alpha, uint64 minStake) internal {
        vm.deal(registrar, registrar.balance + _wei(tao));
        vm.prank(registrar);
        pools.openSubnet{value: _wei(tao)}(id, hotkey, ck(owner), alpha, 20, uint16(FEE), minStake);
    }

    function _payout(
        bytes32[] memory hotkeys,
        uint64[] memory incentive,
        uint64[] memory dividends
    ) internal pure returns (IAlphaPools.EpochPayout memory) {
        return IAlphaPools.EpochPayout({hotkeys: hotkeys, incentive: incentive, dividends: dividends, minerBurn: 0});
    }

    function _one(bytes32 a) internal pure returns (bytes32[] memory arr) {
        arr = new bytes32[](1);
        arr[0] = a;
    }

    function _one64(uint64 a) internal pure returns (uint64[] memory arr) {
        arr = new uint64[](1);
        arr[0] = a;
    }
}
