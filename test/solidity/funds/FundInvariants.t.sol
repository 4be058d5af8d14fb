// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {AllocatorFund} from "../../../contracts/funds/AllocatorFund.sol";
import {FundFactory} from "../../../contracts/funds/FundFactory.sol";
import {IFundEngine} from "../../../contracts/funds/IFundEngine.sol";
import {MiningFund} from "../../../contracts/funds/MiningFund.sol";
import {IAlphaPools} from "../../../contracts/interfaces/IAlphaPools.sol";

import {Assertions} from "../utils/Assertions.sol";
import {VM} from "../utils/Vm.sol";
import {FundBase} from "./FundBase.sol";

/// @notice Drives an allocator fund through what holders, its manager, outside traders and time can do, and keeps
/// ghost flags for what must never happen. It never reverts: refused actions are caught.
contract FundHandler is Assertions {
    uint256 internal constant TAO = 1e9;
    uint256 internal constant WEI = 1e9;
    uint256 internal constant NO_DEADLINE = type(uint256).max;
    /// @dev Below this value the fund keeps the alpha of a sale (the chain's minimum unstake), per position and batch.
    uint256 internal constant MIN_UNSTAKE_RAO = 5_000_000;

    AllocatorFund public immutable fund;
    IAlphaPools public immutable pools;
    address public immutable manager;
    uint16 public immutable netuid;
    bytes32 public immutable hotkey;
    address[] public actors;
    address public trader = address(0x7A4DE2);

    uint256[] public requestIds;
    bool public depositMovedPrice;
    bool public redemptionLoweredPrice;
    bool public redemptionRaisedPriceBeyondDust;
    uint256 public calls;

    constructor(AllocatorFund fund_, IAlphaPools pools_, address manager_, address[] memory actors_) {
        fund = fund_;
        pools = pools_;
        manager = manager_;
        actors = actors_;
        (netuid, hotkey, ) = _firstPosition(fund_);
    }

    function _firstPosition(AllocatorFund f) private view returns (uint16, bytes32, address) {
        IFundEngine.Position[] memory p = f.positions();
        return (p[0].netuid, p[0].hotkey, p[0].vault);
    }

    function holders() external view returns (address[] memory) {
        return actors;
    }

    function requestCount() external view returns (uint256) {
        return requestIds.length;
    }

    /* HOLDERS */

    function deposit(uint256 actorSeed, uint256 amount) external {
        ++calls;
        address who = _actor(actorSeed);
        amount = _bound(amount, 1, 50 * TAO);
        VM.deal(who, who.balance + amount * WEI);
        (uint256 nav0, uint256 supply0) = _navAndSupply();
        VM.prank(who);
        try fund.deposit{value: amount * WEI}(who, 0) {
            (uint256 nav1, uint256 supply1) = _navAndSupply();
            // NAV per share, cross-multiplied, within rounding: a share rounds down, and the virtual share and rao
            // of the price (against inflation) misprice a deposit by at most amount × (1 / NAV + 1e9 / supply).
            uint256 tolerance = 2 + amount / (nav0 + 1) + (amount * 1e9) / (supply0 + 1);
            if (_lower(nav1, supply1, nav0, supply0, tolerance) || _higher(nav1, supply1, nav0, supply0, tolerance)) {
                depositMovedPrice = true;
            }
        } catch {}
    }

    function requestRedemption(uint256 actorSeed, uint256 fraction, bool inKind) external {
        ++calls;
        address who = _actor(actorSeed);
        uint256 balance = fund.balanceOf(who);
        if (balance == 0) return;
        uint256 shares = _bound(fraction, 1, balance);
        if (shares < fund.minRedemptionShares()) shares = balance;
        VM.prank(who);
        try fund.requestRedemption(shares, who, inKind) returns (uint256 id) {
            requestIds.push(id);
        } catch {}
    }

    function cancel(uint256 seed) external {
        ++calls;
        if (requestIds.length == 0) return;
        uint256 id = requestIds[seed % requestIds.length];
        IFundEngine.Request memory r = fund.request(id);
        if (r.shares == 0) return;
        VM.prank(r.owner);
        try fund.cancelRedemption(id) {} catch {}
    }

    function process(uint256 maxRequests, uint256 shareFraction) external {
        ++calls;
        maxRequests = _bound(maxRequests, 1, 8);
        uint256 maxShares = shareFraction % 3 == 0 ? type(uint256).max : _bound(shareFraction, 1, 100e18);
        (uint256 nav0, uint256 supply0) = _navAndSupply();
        uint256 positions = fund.positions().length;
        try fund.processRedemptions(maxRequests, maxShares) {
            (uint256 nav1, uint256 supply1) = _navAndSupply();
            // Each position's value rounds down by at most a rao; the alpha of a batch worth less than the minimum
            // unstake stays with the fund, to the holders who remain.
            if (_lower(nav1, supply1, nav0, supply0, positions + 1)) redemptionLoweredPrice = true;
            if (_higher(nav1, supply1, nav0, supply0, positions * (MIN_UNSTAKE_RAO + 2) + 2)) {
                redemptionRaisedPriceBeyondDust = true;
            }
        } catch {}
    }

    function claim(uint256 actorSeed) external {
        ++calls;
        address who = _actor(actorSeed);
        if (fund.claimableRao(who) == 0) return;
        VM.prank(who);
        try fund.claim() {} catch {}
    }

    function claimStake(uint256 actorSeed) external {
        ++calls;
        address who = _actor(actorSeed);
        if (fund.claimableAlphaRao(who, 0) == 0) return;
        bytes32 coldkey = pools.coldkeyOf(who);
        VM.prank(who);
        try fund.claimStake(0, coldkey) {} catch {}
    }

    function transferShares(uint256 fromSeed, uint256 toSeed, uint256 fraction) external {
        ++calls;
        address from = _actor(fromSeed);
        uint256 balance = fund.balanceOf(from);
        if (balance == 0) return;
        VM.prank(from);
        fund.transfer(_actor(toSeed), _bound(fraction, 1, balance));
    }

    /* MANAGER, MARKET, TIME */

    function allocate(uint256 index, uint256 amount) external {
        ++calls;
        uint256 idle = fund.idleRao();
        if (idle < 10_000_000) return;
        VM.prank(manager);
        try fund.allocate(index % 2, _bound(amount, 10_000_000, idle), type(uint256).max) {} catch {}
    }

    function deallocate(uint256 index, uint256 fraction) external {
        ++calls;
        index %= 2;
        uint256 alpha = fund.positionAlphaRao(index);
        if (alpha == 0) return;
        VM.prank(manager);
        try fund.deallocate(index, _bound(fraction, 1, alpha), 0) {} catch {}
    }

    function trade(uint256 amount, bool buy) external {
        ++calls;
        amount = _bound(amount, TAO / 10, 20 * TAO);
        if (buy) {
            VM.deal(trader, trader.balance + amount * WEI);
            VM.prank(trader);
            try pools.addStake{value: amount * WEI}(hotkey, netuid, 0, NO_DEADLINE) {} catch {}
        } else {
            uint256 own = pools.getStake(hotkey, pools.coldkeyOf(trader), netuid);
            if (own == 0) return;
            VM.prank(trader);
            try pools.removeStake(hotkey, netuid, own / 2 + 1, 0, NO_DEADLINE) {} catch {}
        }
    }

    function accrueFees() external {
        ++calls;
        fund.accrueFees();
    }

    function passTime(uint256 secondsForward, uint256 blocks) external {
        ++calls;
        VM.warp(block.timestamp + _bound(secondsForward, 1, 2 days));
        VM.roll(block.number + _bound(blocks, 0, 20));
    }

    /* INTERNAL */

    /// @dev NAV with pending fees counted, and the supply the fees would make.
    function _navAndSupply() internal view returns (uint256 navRao, uint256 supply) {
        (uint256 m, uint256 p, ) = fund.pendingFeeShares();
        return (fund.grossAssetsRao(), fund.totalSupply() + m + p);
    }

    /// @dev Whether nav1 / supply1 < nav0 / supply0 by more than `toleranceRao` of NAV.
    function _lower(
        uint256 nav1,
        uint256 supply1,
        uint256 nav0,
        uint256 supply0,
        uint256 toleranceRao
    ) internal pure returns (bool) {
        if (supply0 == 0 || supply1 == 0) return false;
        return (nav1 + toleranceRao) * supply0 < nav0 * supply1;
    }

    /// @dev Whether nav1 / supply1 > nav0 / supply0 by more than `toleranceRao` of NAV.
    function _higher(
        uint256 nav1,
        uint256 supply1,
        uint256 nav0,
        uint256 supply0,
        uint256 toleranceRao
    ) internal pure returns (bool) {
        if (supply0 == 0 || supply1 == 0) return false;
        return nav1 * supply0 > nav0 * supply1 + toleranceRao * supply0;
    }

    function _actor(uint256 seed) internal view returns (address) {
        return actors[seed % actors.length];
    }
}

/// @notice Drives a mining fund's raise that cannot reach its soft cap: contributions, the close, refunds.
contract RaiseHandler is Assertions {
    uint256 internal constant TAO = 1e9;
    uint256 internal constant WEI = 1e9;

    MiningFund public immutable fund;
    address[] public actors;
    mapping(address => uint256) public contributed;
    mapping(address => uint256) public refunded;
    bool public refundMismatch;

    constructor(MiningFund fund_, address[] memory actors_) {
        fund = fund_;
        actors = actors_;
    }

    function holders() external view returns (address[] memory) {
        return actors;
    }

    function contribute(uint256 actorSeed, uint256 amount) external {
        address who = actors[actorSeed % actors.length];
        amount = _bound(amount, 1, 30 * TAO);
        VM.deal(who, who.balance + amount * WEI);
        VM.prank(who);
        try fund.contribute{value: amount * WEI}(new bytes32[](0)) {
            contributed[who] += amount;
        } catch {}
    }

    function passTime(uint256 secondsForward) external {
        VM.warp(block.timestamp + _bound(secondsForward, 1, 3 days));
    }

    function finalize() external {
        try fund.finalize() {} catch {}
    }

    function refund(uint256 actorSeed) external {
        address who = actors[actorSeed % actors.length];
        uint256 before = who.balance;
        VM.prank(who);
        try fund.refund() returns (uint256 taoRao) {
            refunded[who] += taoRao;
            if (who.balance - before != taoRao * WEI || refunded[who] != contributed[who]) refundMismatch = true;
        } catch {}
    }
}

/// @title FundInvariantsTest
/// @notice Invariants of the engine under `FundHandler` (an allocator fund with a direct and a vault position) and of a
/// failing raise under `RaiseHandler`: share supply = Σ balances + shares locked in the queue; NAV per share never
/// moves from a deposit or a redemption beyond rounding in the fund's favour (and the documented dust of unstakes
/// under the minimum); Σ what holders can redeem ≤ assets; refunds equal contributions.
contract FundInvariantsTest is FundBase {
    FundHandler internal handler;
    RaiseHandler internal raise;
    AllocatorFund internal fund;
    MiningFund internal mining;

    function setUp() public override {
        super.setUp();
        fund = _allocatorFund(_defaultPositions(), 200, 2_000, 1_000_000 * TAO);
        address[] memory actors = new address[](4);
        (actors[0], actors[1], actors[2], actors[3]) = (alice, bob, carol, dave);
        handler = new FundHandler(fund, pools, manager, actors);
        _depositTo(fund, alice, 20 * TAO);
        vm.prank(manager);
        fund.allocate(0, 5 * TAO, NO_LIMIT);

        IFundEngine.Position[] memory none = new IFundEngine.Position[](0);
        MiningFund.RaiseTerms memory t = MiningFund.RaiseTerms({
            softCapRao: 1_000_000 * TAO, // out of reach: every raise fails
            hardCapRao: 2_000_000 * TAO,
            startTime: uint64(_timestamp()),
            endTime: uint64(_timestamp() + 10 days),
            minContributionRao: 1,
            maxContributionRao: 100 * TAO,
            allowlistRoot: bytes32(0),
            organization: organization,
            organizationAllocationBps: 0,
            vestingCliffSeconds: 0,
            vestingDurationSeconds: 0
        });
        bytes memory init = abi.encodeCall(MiningFund.initialize, (_config(none, 0, 0), t));
        mining = MiningFund(payable(funds.createFund(FundFactory.Kind.Mining, bytes32(++saltCounter), init)));
        raise = new RaiseHandler(mining, actors);
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](2);
        targets[0] = address(handler);
        targets[1] = address(raise);
    }

    function invariant_shareSupplyIsBalancesPlusLockedShares() public view {
        address[] memory holders = handler.holders();
        uint256 sum = fund.balanceOf(feeRecipient);
        for (uint256 i; i < holders.length; ++i) sum += fund.balanceOf(holders[i]);
        assertEq(fund.totalSupply(), sum + fund.lockedShares(), "supply = sum of balances + locked shares");
        assertEq(fund.balanceOf(address(fund)), fund.lockedShares(), "the fund holds exactly the locked shares");
        uint256 queued;
        for (uint256 id = fund.queueHead(); id < fund.queueTail(); ++id) queued += fund.request(id).shares;
        assertEq(queued, fund.lockedShares(), "locked shares = shares of the queued requests");
    }

    function invariant_whatHoldersCanRedeemIsCovered() public view {
        address[] memory holders = handler.holders();
        uint256 claims = fund.previewRedeemRao(fund.balanceOf(feeRecipient) + fund.lockedShares());
        uint256 owedRao;
        uint256 owedAlpha;
        for (uint256 i; i < holders.length; ++i) {
            claims += fund.previewRedeemRao(fund.balanceOf(holders[i]));
            owedRao += fund.claimableRao(holders[i]);
            owedAlpha += fund.claimableAlphaRao(holders[i], 0);
        }
        assertLe(claims, fund.grossAssetsRao(), "sum of what holders can redeem <= assets");
        assertLe(owedRao, fund.reservedRao(), "TAO owed is held apart");
        assertLe(fund.reservedRao(), address(fund).balance / 1e9, "and covered by the balance");
        assertEq(owedAlpha, fund.owedAlphaRao(0), "alpha owed is accounted");
        assertLe(
            owedAlpha,
            pools.getStake(FUND_HOTKEY, fund.coldkey(), FUND_NETUID),
            "and covered by the fund's stake"
        );
    }

    function invariant_depositsAndRedemptionsKeepNavPerShare() public view {
        assertTrue(!handler.depositMovedPrice(), "a deposit moved NAV per share beyond rounding");
        assertTrue(!handler.redemptionLoweredPrice(), "a redemption lowered NAV per share");
        assertTrue(!handler.redemptionRaisedPriceBeyondDust(), "a redemption raised NAV per share beyond dust");
    }

    function invariant_failedRaiseRefundsEqualContributions() public view {
        assertTrue(!raise.refundMismatch(), "a refund differed from the contribution");
        address[] memory holders = raise.holders();
        uint256 outstanding;
        for (uint256 i; i < holders.length; ++i) {
            address who = holders[i];
            assertEq(mining.contributedRao(who) + raise.refunded(who), raise.contributed(who), "nothing lost");
            outstanding += mining.contributedRao(who);
        }
        assertGe(address(mining).balance / 1e9, outstanding, "every outstanding contribution is held");
        assertEq(mining.totalSupply(), 0, "a failed raise mints no shares");
    }
}
