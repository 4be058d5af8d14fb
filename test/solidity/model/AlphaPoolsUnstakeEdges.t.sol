// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPools} from "../../../contracts/interfaces/IAlphaPools.sol";
import {PoolMath} from "../../../contracts/libraries/PoolMath.sol";
import {AlphaPools} from "../../../contracts/model/AlphaPools.sol";
import {BaseTest} from "../BaseTest.sol";

/// @notice The unstake guards that need more alpha than the pool ever sold: a miner's incentive, minted by
/// emission, sold into a small pool. The pools here have no emission reserve, so no TAO is injected and the
/// reserves stay exactly as opened: x = 1e9 alpha-rao, y = 5e8 rao.
contract AlphaPoolsUnstakeEdgesTest is BaseTest {
    uint16 internal constant ID = 7;
    uint256 internal constant FEE = 33;
    uint256 internal constant X = 1e9;
    uint256 internal constant Y = 5e8;
    bytes32 internal constant MINER = keccak256("edge miner");

    AlphaPools internal p;
    uint256 internal held;

    function setUp() public override {
        super.setUp();
        p = new AlphaPools(admin, MOVING_ALPHA_WAD, EMA_HALVING_BLOCKS, TAO_WEIGHT_WAD);
        vm.startPrank(admin);
        p.grantRole(p.REGISTRY_ROLE(), address(this));
        p.grantRole(p.METAGRAPH_ROLE(), address(this));
        p.grantRole(p.SETTLER_ROLE(), address(this));
        vm.stopPrank();
        vm.deal(address(this), _wei(Y));
        p.openSubnet{value: _wei(Y)}(ID, OWNER1_HOTKEY, ck(owner1), X, 20, uint16(FEE), 2_000_000);
        p.startEmission(ID);
        p.registerHotkey(MINER, ck(alice));
        _rollBy(3000);
        p.poke(ID);
        IAlphaPools.PendingEmission memory pending = p.pendingEmission(ID);
        p.settleEpoch(ID, _payout(pending.server));
        held = p.getStake(MINER, ck(alice), ID);
        AlphaPools.Pool memory pool = p.poolState(ID);
        assertEq(pool.alphaReserve, X, "no alpha injected");
        assertEq(pool.taoReserve, Y, "no TAO injected");
        assertGt(held, 1000 * X + (1000 * X) / 100, "the miner holds more than 1000 pools of alpha");
    }

    function _payout(uint64 incentive) internal pure returns (IAlphaPools.EpochPayout memory payout) {
        payout.hotkeys = new bytes32[](1);
        payout.hotkeys[0] = MINER;
        payout.incentive = new uint64[](1);
        payout.incentive[0] = incentive;
        payout.dividends = new uint64[](1);
    }

    function test_RevertWhen_removeStake_inputAboveThousandReserves() public {
        uint256 net = held - PoolMath.feeOnGross(held, FEE);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.SwapInputTooLarge.selector, net, 1000 * X));
        p.removeStake(MINER, ID, held, 0, NO_DEADLINE);
    }

    /// @dev Selling 600 pools' worth leaves y·x/(x + net) = 5e8/601 ≈ 831 947 rao, below the 1e6 minimum reserve.
    function test_RevertWhen_removeStake_leavesTaoReserveBelowMinimum() public {
        uint256 net = 600 * X;
        uint256 gross = PoolMath.grossForNet(net, FEE);
        uint256 taoOut = PoolMath.amountOutDown(gross - PoolMath.feeOnGross(gross, FEE), X, Y);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.ReservesTooLow.selector, Y - taoOut, 1_000_000));
        p.removeStake(MINER, ID, gross, 0, NO_DEADLINE);
    }

    /// @dev One alpha-rao pays a one-rao fee (rounded up), so nothing is left to swap.
    function test_RevertWhen_removeStake_outputRoundsToZero() public {
        vm.prank(alice);
        vm.expectRevert(IAlphaPools.InsufficientLiquidity.selector);
        p.removeStake(MINER, ID, 1, 0, NO_DEADLINE);
    }
}

/// @notice The last guard of the share ledger: even with virtual shares, a hotkey pool holding one alpha-rao of
/// stake that then earns thousands of alpha in dividends values one share above a minimum stake of a dear alpha.
/// Such a stake would mint no shares; it reverts instead of being absorbed.
contract AlphaPoolsZeroSharesTest is BaseTest {
    uint16 internal constant ID = 8;
    uint256 internal constant FEE = 33;
    bytes32 internal constant VALIDATOR = keccak256("dust validator");

    function test_RevertWhen_addStake_wouldMintNoShares() public {
        AlphaPools p = new AlphaPools(admin, MOVING_ALPHA_WAD, EMA_HALVING_BLOCKS, TAO_WEIGHT_WAD);
        vm.startPrank(admin);
        p.grantRole(p.REGISTRY_ROLE(), address(this));
        p.grantRole(p.METAGRAPH_ROLE(), address(this));
        p.grantRole(p.SETTLER_ROLE(), address(this));
        vm.stopPrank();
        // 1000 TAO against 1 alpha: a minimum stake buys about 2000 alpha-rao.
        vm.deal(address(this), _wei(1000 * TAO));
        p.openSubnet{value: _wei(1000 * TAO)}(ID, OWNER1_HOTKEY, ck(owner1), 1e9, 20, uint16(FEE), 2_000_000);
        p.registerHotkey(VALIDATOR, ck(bob));
        vm.deal(bob, _wei(TAO));
        vm.startPrank(bob);
        uint256 bought = p.addStake{value: _wei(TAO)}(VALIDATOR, ID, 0, NO_DEADLINE);
        p.removeStake(VALIDATOR, ID, bought - 1, 0, NO_DEADLINE);
        vm.stopPrank();

        p.startEmission(ID);
        _rollBy(20_000);
        p.poke(ID);
        IAlphaPools.EpochPayout memory payout;
        payout.hotkeys = new bytes32[](1);
        payout.hotkeys[0] = VALIDATOR;
        payout.incentive = new uint64[](1);
        payout.dividends = new uint64[](1);
        payout.dividends[0] = p.pendingEmission(ID).validator;
        p.settleEpoch(ID, payout);

        uint256 gross = PoolMath.grossForNet(2_000_000, FEE);
        uint256 quote = p.simSwapTaoForAlpha(ID, gross);
        uint256 totalAlpha = p.getTotalHotkeyAlpha(VALIDATOR, ID);
        bytes32 slot = keccak256(abi.encode(VALIDATOR, keccak256(abi.encode(uint256((uint48(1) << 16) | ID), 9))));
        uint256 totalShares = uint256(vm.load(address(p), slot)) >> 128;
        assertLt(quote * (totalShares + 1e9), totalAlpha + 1, "the stake is worth less than one share");
        uint256 oneShare = (totalAlpha + 1 + totalShares + 1e9 - 1) / (totalShares + 1e9);
        vm.deal(alice, _wei(gross));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPools.AmountTooLow.selector, quote, oneShare));
        p.addStake{value: _wei(gross)}(VALIDATOR, ID, 0, NO_DEADLINE);
    }
}
