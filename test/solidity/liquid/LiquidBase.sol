// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPoolsHooks} from "../../../contracts/interfaces/IAlphaPoolsHooks.sol";
import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {PoolMath} from "../../../contracts/libraries/PoolMath.sol";
import {PoolsView} from "../../../contracts/libraries/PoolsView.sol";
import {Precompiles} from "../../../contracts/precompiles/Precompiles.sol";
import {AddressMappingAdapter} from "../../../contracts/precompiles/adapters/AddressMappingAdapter.sol";
import {AlphaAdapter} from "../../../contracts/precompiles/adapters/AlphaAdapter.sol";
import {BalanceTransferAdapter} from "../../../contracts/precompiles/adapters/BalanceTransferAdapter.sol";
import {DirectCreditCourier} from "../../../contracts/precompiles/adapters/DirectCreditCourier.sol";
import {MetagraphAdapter} from "../../../contracts/precompiles/adapters/MetagraphAdapter.sol";
import {NeuronAdapter} from "../../../contracts/precompiles/adapters/NeuronAdapter.sol";
import {StakingV2Adapter} from "../../../contracts/precompiles/adapters/StakingV2Adapter.sol";
import {SubnetAdapter} from "../../../contracts/precompiles/adapters/SubnetAdapter.sol";
import {UidLookupAdapter} from "../../../contracts/precompiles/adapters/UidLookupAdapter.sol";
import {AllocationRouter} from "../../../contracts/staking/AllocationRouter.sol";
import {LiquidAlphaVault} from "../../../contracts/staking/LiquidAlphaVault.sol";
import {LiquidVaultFactory} from "../../../contracts/staking/LiquidVaultFactory.sol";
import {StakingClient} from "../../../contracts/staking/StakingClient.sol";
import {ILiquidAlphaVault} from "../../../contracts/staking/interfaces/ILiquidAlphaVault.sol";

import {BaseTest} from "../BaseTest.sol";
import {Deploy} from "../utils/Deploy.sol";

/// @notice Cheatcodes the liquid staking tests use beyond `Vm`.
interface VmLiquid {
    struct Log {
        bytes32[] topics;
        bytes data;
        address emitter;
    }

    function etch(address target, bytes calldata newRuntimeBytecode) external;

    function recordLogs() external;

    function getRecordedLogs() external returns (Log[] memory logs);

    function snapshotState() external returns (uint256 snapshotId);

    function revertToState(uint256 snapshotId) external returns (bool success);

    function addr(uint256 privateKey) external pure returns (address);

    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);

    function getBlockNumber() external view returns (uint256 height);

    function getBlockTimestamp() external view returns (uint256 timestamp);
}

/// @title LiquidBase
/// @notice The subnet economy of `BaseTest` with the precompile adapters installed, as the local chain installs them:
/// deployed, copied to Bittensor's precompile addresses (their immutables live in their code, so the copies need no
/// storage), and given the ORIGIN roles at both addresses. A vault factory and the router use the real addresses,
/// unless a suite overrides `_atRealAddresses` to run against the adapters' own addresses.
/// @dev A vault subnet is registered and started; its validator hotkey `VALIDATOR_HOTKEY` is a registered neuron.
abstract contract LiquidBase is BaseTest {
    VmLiquid internal constant vmx = VmLiquid(address(uint160(uint256(keccak256("hevm cheat code")))));

    uint256 internal constant NO_LIMIT = type(uint256).max;
    /// @dev The chain's minimum stake plus the pool fee on it: the smallest deposit the pools accept.
    uint256 internal MIN_DEPOSIT_RAO;

    address internal governance = address(0x60BE);
    address internal guardian = address(0x6A2D);
    address internal dave = address(0xDA7E);

    DirectCreditCourier internal courier;
    StakingV2Adapter internal stakingAdapter;
    AlphaAdapter internal alphaAdapter;
    SubnetAdapter internal subnetAdapter;
    MetagraphAdapter internal metagraphAdapter;
    NeuronAdapter internal neuronAdapter;
    UidLookupAdapter internal uidLookupAdapter;
    BalanceTransferAdapter internal balanceTransferAdapter;
    AddressMappingAdapter internal addressMappingAdapter;

    /// @dev The addresses the staking contracts call.
    StakingClient.Precompiles internal P;
    LiquidVaultFactory internal factory;
    AllocationRouter internal router;

    uint16 internal NETUID;
    bytes32 internal VALIDATOR_HOTKEY;
    LiquidAlphaVault internal vault;

    function setUp() public virtual override {
        super.setUp();
        MIN_DEPOSIT_RAO = PoolMath.grossForNet(MIN_STAKE_RAO, FEE_RATE);
        _installAdapters();
        factory = _deployVaultFactory(P);
        router = AllocationRouter(payable(Deploy.create("AllocationRouter.sol:AllocationRouter", abi.encode(factory))));

        NETUID = _emittingSubnet(owner1, OWNER1_HOTKEY);
        VALIDATOR_HOTKEY = _hotkey(validator1, owner1);
        _registerNeuron(NETUID, owner1, VALIDATOR_HOTKEY);
        // Some outside stake makes the hotkey pool and the subnet pool realistic.
        _stake(carol, VALIDATOR_HOTKEY, NETUID, 50 * TAO);
        vault = LiquidAlphaVault(factory.createVault(NETUID, VALIDATOR_HOTKEY));
        _cacheLiquidColdkeys();
    }

    /// @dev A vault factory (governance, guardian and the minimum deposit of this suite) over `precompiles`.
    function _deployVaultFactory(StakingClient.Precompiles memory precompiles) internal returns (LiquidVaultFactory) {
        address vaultCode = Deploy.create("LiquidVaultCode.sol:LiquidVaultCode", "");
        bytes memory args = abi.encode(governance, guardian, precompiles, MIN_DEPOSIT_RAO, vaultCode);
        return LiquidVaultFactory(Deploy.create("LiquidVaultFactory.sol:LiquidVaultFactory", args));
    }

    /// @dev Whether the staking contracts call the adapters at Bittensor's addresses (the local chain) or at their own.
    function _atRealAddresses() internal pure virtual returns (bool) {
        return true;
    }

    /// @dev The dust-sweep threshold of the staking adapter (0 on the chain's defaults).
    function _nominatorMinRequiredStakeRao() internal pure virtual returns (uint256) {
        return 0;
    }

    function _installAdapters() internal {
        courier = DirectCreditCourier(payable(Deploy.create("DirectCreditCourier.sol:DirectCreditCourier", "")));
        address c = address(courier);
        stakingAdapter = StakingV2Adapter(
            payable(
                Deploy.create(
                    "StakingV2Adapter.sol:StakingV2Adapter",
                    abi.encode(pools, metagraph, registry, _nominatorMinRequiredStakeRao(), c)
                )
            )
        );
        alphaAdapter = AlphaAdapter(
            payable(Deploy.create("AlphaAdapter.sol:AlphaAdapter", abi.encode(pools, registry, c)))
        );
        subnetAdapter = SubnetAdapter(
            payable(Deploy.create("SubnetAdapter.sol:SubnetAdapter", abi.encode(registry, pools, c)))
        );
        metagraphAdapter = MetagraphAdapter(
            payable(Deploy.create("MetagraphAdapter.sol:MetagraphAdapter", abi.encode(metagraph, pools, registry, c)))
        );
        neuronAdapter = NeuronAdapter(
            payable(Deploy.create("NeuronAdapter.sol:NeuronAdapter", abi.encode(metagraph, c)))
        );
        uidLookupAdapter = UidLookupAdapter(
            payable(Deploy.create("UidLookupAdapter.sol:UidLookupAdapter", abi.encode(metagraph, c)))
        );
        balanceTransferAdapter = BalanceTransferAdapter(
            payable(Deploy.create("BalanceTransferAdapter.sol:BalanceTransferAdapter", abi.encode(c)))
        );
        addressMappingAdapter = AddressMappingAdapter(
            payable(Deploy.create("AddressMappingAdapter.sol:AddressMappingAdapter", abi.encode(c)))
        );
        _grantOrigin(address(stakingAdapter), address(neuronAdapter));
        if (_atRealAddresses()) {
            vmx.etch(Precompiles.STAKING_V2, address(stakingAdapter).code);
            vmx.etch(Precompiles.ALPHA, address(alphaAdapter).code);
            vmx.etch(Precompiles.SUBNET, address(subnetAdapter).code);
            vmx.etch(Precompiles.METAGRAPH, address(metagraphAdapter).code);
            vmx.etch(Precompiles.NEURON, address(neuronAdapter).code);
            vmx.etch(Precompiles.UID_LOOKUP, address(uidLookupAdapter).code);
            vmx.etch(Precompiles.BALANCE_TRANSFER, address(balanceTransferAdapter).code);
            vmx.etch(Precompiles.ADDRESS_MAPPING, address(addressMappingAdapter).code);
            _grantOrigin(Precompiles.STAKING_V2, Precompiles.NEURON);
            P = StakingClient.Precompiles(
                Precompiles.STAKING_V2,
                Precompiles.ALPHA,
                Precompiles.SUBNET,
                Precompiles.ADDRESS_MAPPING
            );
        } else {
            P = StakingClient.Precompiles(
                address(stakingAdapter),
                address(alphaAdapter),
                address(subnetAdapter),
                address(addressMappingAdapter)
            );
        }
    }

    function _grantOrigin(address staking, address neuron) internal {
        vm.startPrank(admin);
        pools.grantRole(pools.ORIGIN_ROLE(), staking);
        metagraph.grantRole(metagraph.ORIGIN_ROLE(), neuron);
        vm.stopPrank();
    }

    function _cacheLiquidColdkeys() internal {
        address[4] memory more = [governance, guardian, dave, address(router)];
        for (uint256 i; i < more.length; ++i) _coldkeys[more[i]] = pools.coldkeyOf(more[i]);
        _coldkeys[address(vault)] = pools.coldkeyOf(address(vault));
    }

    /* CLOCKS */

    /// @dev The timestamp read through the cheatcode (`_blockNumber` comes from BaseTest): with via-IR the compiler may
    /// reuse an earlier `block.timestamp` within one test after a `warp`.
    function _timestamp() internal view returns (uint256) {
        return vmx.getBlockTimestamp();
    }

    function _advance(uint256 blocks) internal {
        vm.roll(_blockNumber() + blocks);
    }

    /// @dev `_registerSubnet` with the clock read through the cheatcodes.
    function _register(address owner, bytes32 hotkey) internal returns (uint16 netuid) {
        uint256 last = registry.lastLockBlock();
        if (last != 0 && _blockNumber() < last + NETWORK_RATE_LIMIT) vm.roll(last + NETWORK_RATE_LIMIT);
        uint256 cost = registry.lockCost();
        vm.deal(owner, owner.balance + _wei(cost));
        vm.prank(owner);
        netuid = registry.registerNetwork{value: _wei(cost)}(hotkey, "subnet", cost);
    }

    /* VAULT HELPERS */

    function _deposit(address who, ILiquidAlphaVault v, uint256 rao) internal returns (uint256 shares) {
        vm.deal(who, who.balance + _wei(rao));
        vm.prank(who);
        shares = v.deposit{value: _wei(rao)}(who, 0, NO_LIMIT, NO_DEADLINE);
    }

    function _redeem(address who, ILiquidAlphaVault v, uint256 shares) internal returns (uint256 taoRao) {
        vm.prank(who);
        taoRao = v.redeem(shares, who, who, 0, NO_DEADLINE);
    }

    /// @dev The vault's stake as the model keeps it.
    function _vaultStake(ILiquidAlphaVault v) internal view returns (uint256) {
        (uint16 netuid, bytes32 hk, bytes32 coldkey) = v.position();
        return pools.getStake(hk, coldkey, netuid);
    }

    /// @dev Credits `alphaRao` of dividends to `hotkey` on `netuid` as an epoch settlement does, then lets it vest.
    function _dividend(uint16 netuid, bytes32 hotkey, uint256 alphaRao) internal {
        _advance(50);
        vm.startPrank(settler);
        (uint32 generation, ) = IAlphaPoolsHooks(address(pools)).closePending(netuid);
        IAlphaPoolsHooks(address(pools)).creditDividend(
            netuid,
            generation,
            hotkey,
            metagraph.ownerOf(hotkey),
            alphaRao
        );
        vm.stopPrank();
        _advance(pools.subnetConfig(netuid).tempo + 1);
    }

    /// @dev Pushes the pool price of `netuid` up: an outsider stakes `rao`. Returns the alpha it bought.
    function _pumpPrice(uint16 netuid, uint256 rao) internal returns (uint256 alphaRao) {
        alphaRao = _stake(stranger, VALIDATOR_HOTKEY, netuid, rao);
    }

    /// @dev Pushes the pool price of `netuid` down: carol sells `alphaRao` of her stake.
    function _dumpPrice(uint16 netuid, uint256 alphaRao) internal returns (uint256 taoRao) {
        taoRao = _unstake(carol, VALIDATOR_HOTKEY, netuid, alphaRao);
    }

    function _ownStake(address who, bytes32 hk, uint16 netuid) internal view returns (uint256) {
        return pools.getStake(hk, ck(who), netuid);
    }

    function _spotRao(uint16 netuid) internal view returns (uint256) {
        return PoolsView.spotPriceWad(pools, netuid) / 1e9;
    }

    /// @dev Dissolves `netuid` the only way the model does: a registration at the subnet limit prunes the non-immune
    /// subnet with the lowest moving price. `netuid` is made the only non-immune one: it ages past the immunity
    /// period, then fillers and the newcomer register within it. Returns the pruned generation.
    function _dissolve(uint16 netuid) internal returns (uint32 generation) {
        generation = pools.subnetConfig(netuid).generation;
        uint256 immuneUntil = uint256(registry.subnet(netuid).registeredAt) + NETWORK_IMMUNITY;
        if (_blockNumber() <= immuneUntil) vm.roll(immuneUntil + 1);
        while (registry.subnetCount() < SUBNET_LIMIT) {
            address owner = address(uint160(0x5100 + registry.subnetCount()));
            _register(owner, _hotkey(address(uint160(0x5200 + registry.subnetCount())), owner));
        }
        (uint16 chosen, ) = registry.pruneCandidate();
        assertEq(chosen, netuid, "the subnet to dissolve is the pruning candidate");
        bytes32 newcomer = _hotkey(address(0x5EE), address(0x5EF));
        uint16 reused = _register(address(0x5EF), newcomer);
        assertEq(reused, netuid, "netuid reused by the new registration");
    }

    /// @dev Σ of `v`'s share balances over the actors the tests use.
    function _sumBalances(ILiquidAlphaVault v, address[] memory holders) internal view returns (uint256 sum) {
        for (uint256 i; i < holders.length; ++i) sum += LiquidAlphaVault(address(v)).balanceOf(holders[i]);
    }
}
