// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {UnitsLib} from "../../../../contracts/libraries/UnitsLib.sol";
import {VaultMath} from "../../../../contracts/libraries/VaultMath.sol";
import {IStakingV2} from "../../../../contracts/precompiles/IStakingV2.sol";
import {PoolsView} from "../../../../contracts/libraries/PoolsView.sol";
import {LiquidAlphaVault} from "../../../../contracts/staking/LiquidAlphaVault.sol";
import {LiquidVaultFactory} from "../../../../contracts/staking/LiquidVaultFactory.sol";
import {StakingClient} from "../../../../contracts/staking/StakingClient.sol";

import {LiquidBase} from "../LiquidBase.sol";
import {RuntimeStakingMock} from "../mocks/RuntimeStakingMock.sol";
import {StakingClientHarness} from "../mocks/StakingClientHarness.sol";
import {Deploy} from "../../utils/Deploy.sol";

/// @title StakingClientTest
/// @notice Both sides of the one environmental difference: against the runtime (a mock of its documented behaviour)
/// no value is ever attached and the TAO is debited from the client's balance; against the adapter exactly the staked
/// amount is attached and the stake works.
contract StakingClientTest is LiquidBase {
    RuntimeStakingMock internal runtime;

    function setUp() public override {
        super.setUp();
        runtime = new RuntimeStakingMock();
    }

    function _onRuntime() internal view returns (StakingClient.Precompiles memory) {
        return StakingClient.Precompiles(address(runtime), P.alpha, P.subnet, P.addressMapping);
    }

    function _harness(StakingClient.Precompiles memory addresses) internal returns (StakingClientHarness h) {
        h = new StakingClientHarness(addresses);
        runtime.setColdkey(address(h), h.COLDKEY());
    }

    /* THE PROBE */

    function test_probe_answersTrueOnlyForAnAdapter() public {
        assertTrue(_harness(P).STAKES_WITH_VALUE(), "adapter at the real address");
        StakingClient.Precompiles memory own = StakingClient.Precompiles(
            address(stakingAdapter),
            address(alphaAdapter),
            address(subnetAdapter),
            address(addressMappingAdapter)
        );
        assertTrue(_harness(own).STAKES_WITH_VALUE(), "adapter at its own address");
        assertTrue(!_harness(_onRuntime()).STAKES_WITH_VALUE(), "the runtime fails the probe");
        StakingClient.Precompiles memory empty = StakingClient.Precompiles(
            address(0xE0805),
            P.alpha,
            P.subnet,
            P.addressMapping
        );
        assertTrue(!_harness(empty).STAKES_WITH_VALUE(), "an address without code answers nothing");
    }

    function test_coldkey_isTheMappedAccount() public {
        StakingClientHarness h = _harness(P);
        assertEq(h.COLDKEY(), pools.coldkeyOf(address(h)), "blake2b(evm: ++ address)");
    }

    /* THE RUNTIME SIDE */

    function test_runtime_stakeAttachesNoValueAndDebitsTheBalance() public {
        StakingClientHarness h = _harness(_onRuntime());
        h.fund{value: _wei(10 * TAO)}();
        h.stake(VALIDATOR_HOTKEY, NETUID, 4 * TAO, NO_LIMIT);
        assertEq(runtime.valueReceivedWei(), 0, "no value attached");
        assertEq(address(runtime).balance, 0, "the precompile holds nothing");
        assertEq(address(h).balance, _wei(6 * TAO), "debited from the client's balance");
        assertEq(h.stakeOf(VALIDATOR_HOTKEY, NETUID), 4 * TAO, "staked");

        h.unstake(VALIDATOR_HOTKEY, NETUID, TAO);
        assertEq(address(h).balance, _wei(7 * TAO), "credited without receive()");
        h.move(VALIDATOR_HOTKEY, OWNER1_HOTKEY, NETUID, TAO);
        h.transfer(ck(alice), OWNER1_HOTKEY, NETUID, TAO / 2);
        assertEq(runtime.valueReceivedWei(), 0, "still none, over every call");
        assertEq(runtime.calls(), 4, "four precompile calls");
    }

    function test_runtime_vaultDepositAndRedeemAttachNoValue() public {
        LiquidVaultFactory f = _deployVaultFactory(_onRuntime());
        LiquidAlphaVault v = LiquidAlphaVault(f.createVault(NETUID, VALIDATOR_HOTKEY));
        runtime.setColdkey(address(v), v.COLDKEY());
        assertTrue(!v.STAKES_WITH_VALUE(), "the vault found the runtime");

        uint256 shares = _deposit(alice, v, 10 * TAO);
        assertEq(runtime.valueReceivedWei(), 0, "deposit attached nothing");
        assertEq(address(v).balance, 0, "the runtime debited the vault");
        assertEq(shares, VaultMath.toSharesDown(10 * TAO, 0, 0), "shares of the ledger's 1:1 stake");

        uint256 before = alice.balance;
        uint256 tao = _redeem(alice, v, shares);
        assertEq(alice.balance - before, _wei(tao), "alice paid from the credited TAO");
        assertEq(tao, 10 * TAO - 1, "1:1, less the one alpha-rao left to the chain's rounding");
        assertEq(runtime.valueReceivedWei(), 0, "redeem attached nothing");
    }

    function test_RevertWhen_runtimeFails_theClientNamesTheCall() public {
        StakingClientHarness h = _harness(_onRuntime());
        h.fund{value: _wei(1 * TAO)}();
        vm.expectRevert(
            abi.encodeWithSelector(StakingClient.StakingCallFailed.selector, IStakingV2.addStakeLimit.selector)
        );
        h.stake(VALIDATOR_HOTKEY, NETUID, 2 * TAO, NO_LIMIT);
    }

    function test_RevertWhen_amountAboveU64_beforeTheCall() public {
        StakingClientHarness h = _harness(_onRuntime());
        uint256 tooMuch = uint256(type(uint64).max) + 1;
        vm.expectRevert(abi.encodeWithSelector(UnitsLib.ExceedsU64.selector, tooMuch));
        h.stake(VALIDATOR_HOTKEY, NETUID, tooMuch, NO_LIMIT);
        vm.expectRevert(abi.encodeWithSelector(UnitsLib.ExceedsU64.selector, tooMuch));
        h.unstake(VALIDATOR_HOTKEY, NETUID, tooMuch);
        assertEq(runtime.calls(), 0, "the precompile was never called");
    }

    /* THE ADAPTER SIDE */

    function test_adapter_stakeAttachesExactlyTheAmountAndWorks() public {
        StakingClientHarness h = _harness(P);
        h.fund{value: _wei(10 * TAO)}();
        uint256 quote = PoolsView.quote(pools, NETUID, 4 * TAO, true);
        h.stake(VALIDATOR_HOTKEY, NETUID, 4 * TAO, NO_LIMIT);
        assertEq(address(h).balance, _wei(6 * TAO), "exactly the amount left the client");
        assertApproxAbs(h.stakeOf(VALIDATOR_HOTKEY, NETUID), quote, 1, "the pools' quote, as stake");
        assertEq(P.staking.balance, 0, "the adapter keeps nothing");

        uint256 stake = h.stakeOf(VALIDATOR_HOTKEY, NETUID);
        h.unstake(VALIDATOR_HOTKEY, NETUID, stake);
        assertGt(address(h).balance, _wei(9 * TAO), "unstaked TAO reached a client without receive()");
        assertEq(h.stakeOf(VALIDATOR_HOTKEY, NETUID), 0, "all unstaked");
    }

    function test_adapter_movesAndTransfersAttachNothing() public {
        StakingClientHarness h = _harness(P);
        h.fund{value: _wei(10 * TAO)}();
        h.stake(VALIDATOR_HOTKEY, NETUID, 10 * TAO, NO_LIMIT);
        uint256 balanceBefore = address(h).balance;
        uint256 stake = h.stakeOf(VALIDATOR_HOTKEY, NETUID);
        h.move(VALIDATOR_HOTKEY, OWNER1_HOTKEY, NETUID, stake / 2);
        h.transfer(ck(alice), OWNER1_HOTKEY, NETUID, h.stakeOf(OWNER1_HOTKEY, NETUID));
        assertEq(address(h).balance, balanceBefore, "no value left the client");
        assertGt(_ownStake(alice, OWNER1_HOTKEY, NETUID), 0, "alice received stake");
    }
}
