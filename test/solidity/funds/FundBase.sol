// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AllocatorFund} from "../../../contracts/funds/AllocatorFund.sol";
import {FundFactory} from "../../../contracts/funds/FundFactory.sol";
import {IFundEngine} from "../../../contracts/funds/IFundEngine.sol";
import {MiningFund} from "../../../contracts/funds/MiningFund.sol";
import {SubnetIndexFund} from "../../../contracts/funds/SubnetIndexFund.sol";
import {Precompiles} from "../../../contracts/precompiles/Precompiles.sol";

import {IAlphaPoolsHooks} from "../../../contracts/interfaces/IAlphaPoolsHooks.sol";
import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {LiquidAlphaVault} from "../../../contracts/staking/LiquidAlphaVault.sol";

import {LiquidBase} from "../liquid/LiquidBase.sol";
import {Deploy} from "../utils/Deploy.sol";

/// @title FundBase
/// @notice The liquid staking set-up (adapters at Bittensor's precompile addresses, a vault subnet with a validator)
/// plus the three fund implementations and the fund factory, with helpers to launch funds.
abstract contract FundBase is LiquidBase {
    uint32 internal constant NOTICE = 1 days;
    uint32 internal constant TIMELOCK = 2 days;
    uint16 internal constant SLIPPAGE_BPS = 1_000;

    address internal manager = address(0x3A4A6E2);
    address internal feeRecipient = address(0xFEE);
    address internal organization = address(0x0264);

    MiningFund internal miningImplementation;
    AllocatorFund internal allocatorImplementation;
    SubnetIndexFund internal indexImplementation;
    FundFactory internal funds;
    uint256 internal saltCounter;

    /// @dev A subnet of its own for the funds, never pumped: its spot price stays near its moving price (which the
    /// chain caps at 1 TAO per alpha), with a validator and a vault.
    uint16 internal FUND_NETUID;
    bytes32 internal FUND_HOTKEY;
    LiquidAlphaVault internal fundVault;

    function setUp() public virtual override {
        super.setUp();
        miningImplementation = MiningFund(
            payable(Deploy.create("MiningFund.sol:MiningFund", abi.encode(P, Precompiles.NEURON)))
        );
        allocatorImplementation = AllocatorFund(
            payable(Deploy.create("AllocatorFund.sol:AllocatorFund", abi.encode(P)))
        );
        indexImplementation = SubnetIndexFund(
            payable(Deploy.create("SubnetIndexFund.sol:SubnetIndexFund", abi.encode(P)))
        );
        FUND_NETUID = _register(owner2, OWNER2_HOTKEY);
        vm.prank(owner2);
        registry.startCall(FUND_NETUID);
        FUND_HOTKEY = _hotkey(validator2, owner2);
        _registerNeuron(FUND_NETUID, owner2, FUND_HOTKEY);
        fundVault = LiquidAlphaVault(factory.createVault(FUND_NETUID, FUND_HOTKEY));
        _lowerFundPrice();
        funds = FundFactory(
            Deploy.create(
                "FundFactory.sol:FundFactory",
                abi.encode(miningImplementation, allocatorImplementation, indexImplementation)
            )
        );
    }

    function _roles() internal view returns (IFundEngine.Roles memory) {
        return IFundEngine.Roles(governance, guardian, manager, feeRecipient);
    }

    function _config(
        IFundEngine.Position[] memory positions,
        uint16 managementFeeBps,
        uint16 performanceFeeBps
    ) internal view returns (IFundEngine.EngineConfig memory) {
        return
            IFundEngine.EngineConfig({
                name: "Test Fund",
                symbol: "TFUND",
                roles: _roles(),
                managementFeeBps: managementFeeBps,
                performanceFeeBps: performanceFeeBps,
                noticePeriodSeconds: NOTICE,
                timelockSeconds: TIMELOCK,
                maxSlippageBps: SLIPPAGE_BPS,
                minRedemptionShares: 1e15,
                positions: positions
            });
    }

    /// @dev Direct stake on the vault subnet's validator, and the vault itself.
    function _defaultPositions() internal view returns (IFundEngine.Position[] memory p) {
        p = new IFundEngine.Position[](2);
        p[0] = IFundEngine.Position(FUND_NETUID, FUND_HOTKEY, address(0));
        p[1] = IFundEngine.Position(FUND_NETUID, FUND_HOTKEY, address(fundVault));
    }

    function _allocatorFund(
        IFundEngine.Position[] memory positions,
        uint16 managementFeeBps,
        uint16 performanceFeeBps,
        uint256 capRao
    ) internal returns (AllocatorFund fund) {
        uint16[] memory netuids = new uint16[](positions.length);
        uint256[] memory caps = new uint256[](positions.length);
        for (uint256 i; i < positions.length; ++i) {
            netuids[i] = positions[i].netuid;
            caps[i] = capRao;
        }
        bytes memory init = abi.encodeCall(
            AllocatorFund.initialize,
            (_config(positions, managementFeeBps, performanceFeeBps), netuids, caps)
        );
        fund = AllocatorFund(payable(funds.createFund(FundFactory.Kind.Allocator, bytes32(++saltCounter), init)));
        _coldkeys[address(fund)] = fund.coldkey();
    }

    function _depositTo(AllocatorFund fund, address who, uint256 rao) internal returns (uint256 shares) {
        vm.deal(who, who.balance + _wei(rao));
        vm.prank(who);
        shares = fund.deposit{value: _wei(rao)}(who, 0);
    }

    function _warpBy(uint256 secondsForward) internal {
        vm.warp(_timestamp() + secondsForward);
    }

    /// @dev Schedules `data` by governance, waits out the timelock and executes it.
    function _timelocked(IFundEngine fund, bytes memory data) internal {
        vm.prank(governance);
        TimelockTarget(address(fund)).schedule(data);
        _warpBy(TIMELOCK);
        vm.prank(governance);
        TimelockTarget(address(fund)).execute(data);
    }

    /// @dev Brings the fund subnet's spot price below 1 TAO per alpha, where the chain's moving price (capped at 1)
    /// can follow it: the subnet's pending emission is credited to its owner as stake, who sells it; then the moving
    /// price catches up.
    function _lowerFundPrice() internal {
        _advance(300);
        vm.startPrank(settler);
        (uint32 generation, IAlphaPoolsTypes.PendingEmission memory pot) = IAlphaPoolsHooks(address(pools))
            .closePending(FUND_NETUID);
        uint256 alphaRao = pot.ownerCutAlphaRao + pot.serverAlphaRao + pot.validatorAlphaRao;
        IAlphaPoolsHooks(address(pools)).creditStake(FUND_NETUID, generation, FUND_HOTKEY, ck(owner2), alphaRao);
        vm.stopPrank();
        _unstake(owner2, FUND_HOTKEY, FUND_NETUID, alphaRao);
        // The spot price now climbs back (emission) while the moving price falls toward it: stop where they meet.
        for (uint256 i; i < 200; ++i) {
            uint256 spot = _spotRao(FUND_NETUID);
            uint256 moving = _movingRao(FUND_NETUID);
            if (spot <= (moving * 102) / 100 && spot >= (moving * 98) / 100) return;
            _advance(2);
        }
        revert("the fund subnet's spot and moving prices never met");
    }

    /// @dev A crash of the fund subnet: a whale earns the subnet's emission for a while (the moving price keeps up
    /// with the spot price meanwhile), then sells it all at once, so the spot price falls far below the moving price,
    /// which follows only over many blocks. Returns the spot price after the crash.
    function _crashFundPrice() internal returns (uint256 spotRao) {
        address whale = address(0x3A1E);
        bytes32 whaleColdkey = ck(whale);
        uint256 alphaRao;
        for (uint256 i; i < 20 && alphaRao * 100 < uint256(alphaAdapter.getAlphaInPool(FUND_NETUID)) * 20; ++i) {
            _advance(300);
            vm.startPrank(settler);
            (uint32 generation, IAlphaPoolsTypes.PendingEmission memory pot) = IAlphaPoolsHooks(address(pools))
                .closePending(FUND_NETUID);
            uint256 potAlphaRao = pot.ownerCutAlphaRao + pot.serverAlphaRao + pot.validatorAlphaRao;
            IAlphaPoolsHooks(address(pools)).creditStake(
                FUND_NETUID,
                generation,
                FUND_HOTKEY,
                whaleColdkey,
                potAlphaRao
            );
            vm.stopPrank();
            alphaRao = pools.getStake(FUND_HOTKEY, whaleColdkey, FUND_NETUID);
        }
        for (uint256 i; i < 200; ++i) {
            uint256 spot = _spotRao(FUND_NETUID);
            uint256 moving = _movingRao(FUND_NETUID);
            if (spot <= (moving * 102) / 100 && spot >= (moving * 98) / 100) break;
            _advance(2);
        }
        _unstake(whale, FUND_HOTKEY, FUND_NETUID, alphaRao);
        spotRao = _spotRao(FUND_NETUID);
        // The crash must take the spot price below the floor of every fund (the moving price less 10%).
        assertLt(spotRao, (_movingRao(FUND_NETUID) * 9) / 10, "the spot price crashed below the floor");
    }

    function _movingRao(uint16 netuid) internal view returns (uint256) {
        return alphaAdapter.getMovingAlphaPrice(netuid) / 1e9;
    }

    /// @dev A trade that moves the fund subnet's price by about 5%: 2.5% of the pool's TAO.
    function _tradeRao() internal view returns (uint256) {
        return (uint256(alphaAdapter.getTaoInPool(FUND_NETUID)) * 25) / 1_000;
    }

    /// @dev Pushes the fund subnet's spot price up: an outsider stakes `rao`.
    function _pumpFundPrice(uint256 rao) internal returns (uint256) {
        return _stake(stranger, FUND_HOTKEY, FUND_NETUID, rao);
    }

    /// @dev Lets the moving price follow the spot price: many blocks pass.
    function _settlePrices(uint256 blocks) internal {
        _advance(blocks);
    }
}

interface TimelockTarget {
    function schedule(bytes calldata data) external returns (bytes32);

    function execute(bytes calldata data) external;
}
