// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPoolsTypes} from "../../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {IMetagraph} from "../../../../contracts/interfaces/IMetagraph.sol";
import {ISubnetRegistry} from "../../../../contracts/interfaces/ISubnetRegistry.sol";
import {PoolsView} from "../../../../contracts/libraries/PoolsView.sol";
import {IAddressMappingPrecompile} from "../../../../contracts/precompiles/IAddressMappingPrecompile.sol";
import {IAlphaPrecompile} from "../../../../contracts/precompiles/IAlphaPrecompile.sol";
import {IBalanceTransferPrecompile} from "../../../../contracts/precompiles/IBalanceTransferPrecompile.sol";
import {IMetagraphPrecompile} from "../../../../contracts/precompiles/IMetagraphPrecompile.sol";
import {INeuronPrecompile} from "../../../../contracts/precompiles/INeuronPrecompile.sol";
import {ISubnetPrecompile} from "../../../../contracts/precompiles/ISubnetPrecompile.sol";
import {IUidLookupPrecompile} from "../../../../contracts/precompiles/IUidLookupPrecompile.sol";
import {Precompiles} from "../../../../contracts/precompiles/Precompiles.sol";
import {
    IBalanceTransferAdapterExtension,
    ISubnetAdapterExtension
} from "../../../../contracts/precompiles/adapters/IModelAdapter.sol";

import {LiquidBase} from "../LiquidBase.sol";
import {PrecompileCaller} from "../mocks/Actors.sol";

/// @title ReadAdaptersTest
/// @notice The alpha, metagraph, subnet, neuron, uid lookup, balance transfer and address mapping adapters, installed
/// at Bittensor's addresses, against the chain's units and failure modes.
contract ReadAdaptersTest is LiquidBase {
    IAlphaPrecompile internal alpha = IAlphaPrecompile(Precompiles.ALPHA);
    IMetagraphPrecompile internal meta = IMetagraphPrecompile(Precompiles.METAGRAPH);
    ISubnetPrecompile internal subnet = ISubnetPrecompile(Precompiles.SUBNET);
    PrecompileCaller internal caller;

    uint256 internal constant BOUNDED_GAS = 300_000;

    function setUp() public override {
        super.setUp();
        caller = new PrecompileCaller();
    }

    /* ALPHA */

    function test_alpha_priceIsTaoPerAlphaTimes1e18_truncatedTo1e9() public view {
        uint256 priceWad = alpha.getAlphaPrice(NETUID);
        uint256 exact = PoolsView.spotPriceWad(pools, NETUID);
        assertEq(priceWad % 1e9, 0, "a multiple of 1e9");
        assertEq(priceWad, (exact / 1e9) * 1e9, "the spot price, truncated to 1e-9 TAO");
        assertGt(priceWad, 1e18, "above 1 TAO per alpha after carol's stake: 1e18 scale, not rao");
        assertEq(alpha.getAlphaPrice(0), 1e18, "root is 1:1");
        assertEq(alpha.getAlphaPrice(200), 0, "an unregistered netuid");
        assertEq(alpha.getMovingAlphaPrice(NETUID) % 1e9, 0, "moving price truncated too");
        assertLe(alpha.getMovingAlphaPrice(NETUID), 1e18, "the moving price is capped at 1 TAO");
    }

    function test_alpha_simSwapsMatchTheSwapsAndIncludeTheFee() public {
        uint256 simAlpha = alpha.simSwapTaoForAlpha(NETUID, uint64(7 * TAO));
        assertEq(simAlpha, _stake(alice, VALIDATOR_HOTKEY, NETUID, 7 * TAO), "stake as simulated");
        uint256 simTao = alpha.simSwapAlphaForTao(NETUID, uint64(simAlpha / 2));
        assertEq(simTao, _unstake(alice, VALIDATOR_HOTKEY, NETUID, simAlpha / 2), "unstake as simulated");
        (IAlphaPoolsTypes.Pool memory pool, , , ) = PoolsView.subnetNow(pools, NETUID);
        uint256 feeless = (uint256(pool.alphaRao) * TAO) / (uint256(pool.taoRao) + TAO);
        assertLt(alpha.simSwapTaoForAlpha(NETUID, uint64(TAO)), feeless, "the fee is taken");
        assertEq(alpha.simSwapTaoForAlpha(0, uint64(TAO)), TAO, "root swaps 1:1");
    }

    function test_alpha_simSwapFailsWhereTheSwapWould() public {
        assertTrue(
            !caller.callWithGas(
                Precompiles.ALPHA,
                BOUNDED_GAS,
                abi.encodeCall(IAlphaPrecompile.simSwapTaoForAlpha, (NETUID, type(uint64).max))
            ),
            "input above 1000 times the reserve"
        );
        assertGe(caller.lastGasUsed(), BOUNDED_GAS, "consuming the gas");
        assertTrue(
            !caller.callWithGas(
                Precompiles.ALPHA,
                BOUNDED_GAS,
                abi.encodeCall(IAlphaPrecompile.simSwapTaoForAlpha, (201, uint64(TAO)))
            ),
            "an unregistered subnet"
        );
    }

    function test_alpha_poolGettersAreTheModelsReservesNow() public {
        assertEq(alpha.getTaoInEmission(NETUID), 0, "without root stake the cap is 0: all TAO emission buys alpha");
        _stake(bob, OWNER1_HOTKEY, 0, 1_000 * TAO);
        _advance(1);
        (IAlphaPoolsTypes.Pool memory pool, , IAlphaPoolsTypes.Books memory books, ) = PoolsView.subnetNow(
            pools,
            NETUID
        );
        assertEq(alpha.getTaoInPool(NETUID), pool.taoRao, "SubnetTAO, rao");
        assertEq(alpha.getAlphaInPool(NETUID), pool.alphaRao, "SubnetAlphaIn");
        assertEq(alpha.getAlphaIssuance(NETUID), books.alphaIssuanceRao, "issuance");
        assertEq(alpha.getAlphaOutPool(NETUID), books.alphaIssuanceRao - pool.alphaRao, "outside the pool");
        assertEq(alpha.getSubnetVolume(NETUID), pool.volumeRao, "volume");
        assertEq(alpha.getSubnetMechanism(NETUID), 1, "dynamic");
        assertEq(alpha.getSubnetMechanism(0), 0, "root is stable");
        assertEq(alpha.getRootNetuid(), 0, "root netuid");
        assertEq(alpha.getEMAPriceHalvingBlocks(NETUID), EMA_HALVING_BLOCKS, "EMA half-life");
        assertEq(alpha.getTaoWeight(), (TAO_WEIGHT_WAD * type(uint64).max) / 1e18, "TaoWeight as a u64 fraction");
        assertEq(alpha.getCKBurn(), 0, "no childkeys in the model");
        assertGt(alpha.getAlphaOutEmission(NETUID), 0, "alpha emitted per block");
        assertGt(alpha.getTaoInEmission(NETUID), 0, "TAO injected per block");
    }

    /// @dev Every subnet here trades at or above 1 TAO (each starts at the median price and fees stay in the pools),
    /// so the sum, which leaves such subnets out, is 0.
    function test_alpha_sumOfPricesLeavesOutSubnetsAtOrAboveOneTao() public {
        _emittingSubnet(owner2, OWNER2_HOTKEY);
        assertGe(alpha.getAlphaPrice(NETUID), 1e18, "first subnet at or above 1 TAO");
        assertEq(alpha.getSumAlphaPrice(), 0, "left out of the sum");
    }

    /* METAGRAPH */

    function test_metagraph_neuronsAsTheModelRecordsThem() public view {
        assertEq(meta.getUidCount(NETUID), metagraph.neuronCount(NETUID), "uid count");
        assertEq(meta.getHotkey(NETUID, 0), OWNER1_HOTKEY, "uid 0 is the owner's hotkey");
        assertEq(meta.getColdkey(NETUID, 0), ck(owner1), "its coldkey");
        assertEq(meta.getHotkey(NETUID, 1), VALIDATOR_HOTKEY, "uid 1");
        assertTrue(meta.getValidatorStatus(NETUID, 0), "the owner's uid has a permit");
        assertEq(meta.getRank(NETUID, 1), 0, "rank is deprecated");
        assertEq(meta.getTrust(NETUID, 1), 0, "trust is deprecated");
        uint256 stakeRao = (pools.hotkeyPool(VALIDATOR_HOTKEY, NETUID).alphaRao * _spotRao(NETUID)) / 1e9;
        assertEq(meta.getStake(NETUID, 1), stakeRao, "TAO value of the hotkey's stake, in rao");
        IMetagraph.NeuronView memory n = metagraph.neurons(NETUID, 1, 1)[0];
        assertEq(meta.getLastUpdate(NETUID, 1), n.lastUpdate, "last update");
        assertTrue(meta.getIsActive(NETUID, 1), "active within the cutoff");
    }

    function test_metagraph_aUidThatDoesNotExist() public {
        assertEq(meta.getEmission(NETUID, 99), 0, "scores read 0");
        assertTrue(!meta.getValidatorStatus(NETUID, 99), "no permit");
        assertTrue(
            !caller.callWithGas(
                Precompiles.METAGRAPH,
                BOUNDED_GAS,
                abi.encodeCall(IMetagraphPrecompile.getHotkey, (NETUID, 99))
            ),
            "getHotkey fails"
        );
        assertGe(caller.lastGasUsed(), BOUNDED_GAS, "consuming the gas");
        assertTrue(
            !caller.callWithGas(
                Precompiles.METAGRAPH,
                BOUNDED_GAS,
                abi.encodeCall(IMetagraphPrecompile.getAxon, (NETUID, 99))
            ),
            "getAxon fails"
        );
    }

    /* SUBNET */

    function test_subnet_registrationBlockIdentifiesTheInstance() public {
        uint64 registeredAt = subnet.getNetworkRegistrationBlock(NETUID);
        assertEq(registeredAt, registry.subnet(NETUID).registeredAt, "the registry's block");
        assertEq(subnet.getNetworkRegistrationBlock(77), 0, "0 for an unregistered netuid");
        _dissolve(NETUID);
        assertGt(subnet.getNetworkRegistrationBlock(NETUID), registeredAt, "a new instance, a new block");
    }

    function test_subnet_hyperparameterGettersInTheChainsTypes() public view {
        ISubnetRegistry.Hyperparameters memory hp = registry.hyperparameters(NETUID);
        assertEq(subnet.getKappa(NETUID), hp.kappaOf65535, "kappa");
        assertEq(subnet.getImmunityPeriod(NETUID), hp.immunityPeriod, "immunity");
        assertEq(subnet.getMinBurn(NETUID), hp.minBurnRao, "min burn, rao");
        assertEq(subnet.getMaxBurn(NETUID), hp.maxBurnRao, "max burn, rao");
        assertEq(subnet.getBondsMovingAverage(NETUID), hp.bondsMovingAveragePpm, "bonds moving average");
        assertEq(subnet.getActivityCutoff(NETUID), hp.activityCutoff, "activity cutoff");
        assertEq(subnet.getAlphaSigmoidSteepness(NETUID), uint16(hp.alphaSigmoidSteepness), "steepness bits");
        assertTrue(subnet.getYuma3Enabled(NETUID) == hp.yuma3, "yuma 3");
        assertTrue(subnet.getLiquidAlphaEnabled(NETUID) == hp.liquidAlpha, "liquid alpha");
        assertTrue(subnet.getCommitRevealWeightsEnabled(NETUID) == hp.commitReveal, "commit reveal");
        (uint16 low, uint16 high) = subnet.getAlphaValues(NETUID);
        assertEq(low, hp.alphaLowOf65535, "alpha low");
        assertEq(high, hp.alphaHighOf65535, "alpha high");
    }

    function test_subnet_unmodelledCallsFail() public {
        assertTrue(
            !caller.callWithGas(
                Precompiles.SUBNET,
                BOUNDED_GAS,
                abi.encodeCall(ISubnetPrecompile.toggleTransfers, (NETUID, false))
            ),
            "toggleTransfers is not answered"
        );
        assertTrue(
            !caller.callWithGas(Precompiles.SUBNET, BOUNDED_GAS, abi.encodeCall(ISubnetPrecompile.getRho, (NETUID))),
            "nor a getter of a setting the model lacks"
        );
    }

    function test_subnet_dissolutionRefundsArePulledPermissionlessly() public {
        uint256 alphaStake = _stake(alice, VALIDATOR_HOTKEY, NETUID, 10 * TAO);
        assertGt(alphaStake, 0, "alice staked");
        uint32 generation = _dissolve(NETUID);
        uint256 expected = registry.refundOf(VALIDATOR_HOTKEY, ck(alice), NETUID, generation);
        uint256 before = alice.balance;
        vm.prank(stranger);
        uint256 refund = ISubnetAdapterExtension(Precompiles.SUBNET).claimDissolutionRefunds(
            alice,
            VALIDATOR_HOTKEY,
            NETUID
        );
        assertEq(refund, expected, "her pro-rata refund");
        assertEq(alice.balance - before, _wei(refund), "credited to her, whoever asked");
        assertEq(
            ISubnetAdapterExtension(Precompiles.SUBNET).claimDissolutionRefunds(alice, VALIDATOR_HOTKEY, NETUID),
            0,
            "nothing twice"
        );
    }

    /* NEURON */

    function test_neuron_burnedRegisterPaysFromTheAttachedValueAndRefundsTheRest() public {
        bytes32 hk = _hotkey(address(0x7A13), alice);
        uint256 burn = metagraph.burnCost(NETUID);
        vm.deal(alice, _wei(burn) + _wei(TAO));
        vm.prank(alice);
        INeuronPrecompile(Precompiles.NEURON).burnedRegister{value: _wei(burn) + _wei(TAO)}(NETUID, hk);
        (bool registered, ) = metagraph.uidOf(NETUID, hk);
        assertTrue(registered, "registered");
        assertEq(metagraph.ownerOf(hk), ck(alice), "owned by the caller's coldkey");
        assertEq(alice.balance, _wei(TAO), "the unused value came back");
    }

    function test_neuron_registerLimitBelowTheBurnFails() public {
        bytes32 hk = _hotkey(address(0x7A14), address(caller));
        uint256 burn = metagraph.burnCost(NETUID);
        vm.deal(address(caller), _wei(burn));
        assertTrue(
            !caller.callWithGas{value: _wei(burn)}(
                Precompiles.NEURON,
                BOUNDED_GAS,
                abi.encodeCall(INeuronPrecompile.registerLimit, (NETUID, hk, uint64(burn - 1)))
            ),
            "the burn is above the limit"
        );
    }

    /* UID LOOKUP, ADDRESS MAPPING, BALANCE TRANSFER */

    function test_uidLookup_findsTheUidOfTheAddressesHotkey() public view {
        IUidLookupPrecompile.LookupItem[] memory found = IUidLookupPrecompile(Precompiles.UID_LOOKUP).uidLookup(
            NETUID,
            validator1,
            8
        );
        assertEq(found.length, 1, "one match");
        assertEq(found[0].uid, 1, "the validator's uid");
        assertEq(
            IUidLookupPrecompile(Precompiles.UID_LOOKUP).uidLookup(NETUID, validator1, 0).length,
            0,
            "limit 0 scans nothing"
        );
        assertEq(IUidLookupPrecompile(Precompiles.UID_LOOKUP).uidLookup(NETUID, bob, 8).length, 0, "no association");
    }

    function test_addressMapping_isTheChainsMapping() public view {
        assertEq(
            IAddressMappingPrecompile(Precompiles.ADDRESS_MAPPING).addressMapping(alice),
            pools.coldkeyOf(alice),
            "blake2b(evm: ++ address)"
        );
    }

    function test_balanceTransfer_movesWholeRaoAndHoldsForTheMappedAccount() public {
        uint256 value = _wei(3 * TAO) + 123; // 123 wei of dust
        vm.deal(alice, value);
        vm.prank(alice);
        IBalanceTransferPrecompile(Precompiles.BALANCE_TRANSFER).transfer{value: value}(ck(bob));
        assertEq(
            IBalanceTransferAdapterExtension(Precompiles.BALANCE_TRANSFER).heldRao(ck(bob)),
            3 * TAO,
            "value / 1e9 rao"
        );
        assertEq(alice.balance, 123, "the sub-rao dust never left the sender");
        uint256 before = bob.balance;
        vm.prank(bob);
        IBalanceTransferAdapterExtension(Precompiles.BALANCE_TRANSFER).withdrawHeld();
        assertEq(bob.balance - before, _wei(3 * TAO), "the mapped account's EVM address takes it");
        vm.deal(alice, 5e8);
        vm.prank(alice);
        IBalanceTransferPrecompile(Precompiles.BALANCE_TRANSFER).transfer{value: 5e8}(ck(bob));
        assertEq(
            IBalanceTransferAdapterExtension(Precompiles.BALANCE_TRANSFER).heldRao(ck(bob)),
            0,
            "below 1 rao: nothing"
        );
        assertEq(alice.balance, 5e8, "and nothing lost");
    }
}
