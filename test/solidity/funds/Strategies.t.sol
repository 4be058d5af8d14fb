// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AllocatorFund} from "../../../contracts/funds/AllocatorFund.sol";
import {FundFactory} from "../../../contracts/funds/FundFactory.sol";
import {IFundEngine} from "../../../contracts/funds/IFundEngine.sol";
import {SubnetIndexFund} from "../../../contracts/funds/SubnetIndexFund.sol";

import {FundBase} from "./FundBase.sol";

/// @title StrategiesTest
/// @notice The allocator's caps under the timelock, and the index's permissionless, rate-limited rebalance.
contract StrategiesTest is FundBase {
    function _index() internal returns (SubnetIndexFund fund) {
        IFundEngine.Position[] memory p = new IFundEngine.Position[](1);
        p[0] = IFundEngine.Position(FUND_NETUID, FUND_HOTKEY, address(0));
        uint16[] memory caps = new uint16[](1);
        bytes memory init = abi.encodeCall(SubnetIndexFund.initialize, (_config(p, 0, 0), caps, 200, 1 hours));
        fund = SubnetIndexFund(payable(funds.createFund(FundFactory.Kind.Index, bytes32(++saltCounter), init)));
        _coldkeys[address(fund)] = fund.coldkey();
    }

    function test_AllocatorStaysWithinCapsSetUnderTimelock() public {
        uint256 trade = _tradeRao();
        AllocatorFund fund = _allocatorFund(_defaultPositions(), 0, 0, trade / 4);
        _depositTo(fund, alice, 50 * TAO);
        vm.prank(manager);
        vm.expectRevert(); // CapExceeded: the value after the stake is above the cap
        fund.allocate(0, trade, NO_LIMIT);
        vm.prank(governance);
        vm.expectRevert(abi.encodeWithSelector(IFundEngine.NotSelf.selector, governance));
        fund.setCap(FUND_NETUID, 1_000 * TAO);
        _timelocked(fund, abi.encodeCall(AllocatorFund.setCap, (FUND_NETUID, 1_000 * TAO)));
        vm.prank(manager);
        uint256 alpha = fund.allocate(0, trade, NO_LIMIT);
        assertGt(alpha, 0, "allocated within the raised cap");
        vm.prank(governance);
        fund.lowerCap(FUND_NETUID, trade / 4);
        assertEq(fund.capRaoOf(FUND_NETUID), trade / 4, "lowered at once");
    }

    function test_IndexRebalanceIsPermissionlessAndRateLimited() public {
        SubnetIndexFund fund = _index();
        uint256 trade = _tradeRao();
        vm.deal(alice, _wei(trade));
        vm.prank(alice);
        fund.deposit{value: _wei(trade)}(alice, 0);
        uint256[] memory w = fund.targetWeightsBps();
        assertEq(w[0], 10_000, "one subnet takes the whole weight");
        vm.prank(stranger);
        (, uint256 bought) = fund.rebalance();
        assertGt(bought, 0, "bought toward the target");
        assertGt(fund.positionAlphaRao(0), 0, "holds the subnet");
        uint256 next = fund.lastRebalance() + 1 hours;
        vm.expectRevert(abi.encodeWithSelector(SubnetIndexFund.RebalanceTooSoon.selector, next, _timestamp()));
        fund.rebalance();
    }

    function test_IndexRebalanceIgnoresAFlashSpotMove() public {
        SubnetIndexFund fund = _index();
        uint256 trade = _tradeRao();
        vm.deal(alice, _wei(trade));
        vm.prank(alice);
        fund.deposit{value: _wei(trade)}(alice, 0);
        _pumpFundPrice(40 * trade); // spot far above the moving price, in the same block
        uint256 navBefore = fund.navRao();
        (uint256 sold, uint256 bought) = fund.rebalance();
        assertEq(sold + bought, 0, "no trade at a manipulated price");
        assertEq(fund.navRao(), navBefore, "NAV untouched");
    }
}
