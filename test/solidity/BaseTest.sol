// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AlphaPools} from "../../contracts/model/AlphaPools.sol";
import {AlphaPoolsExtension} from "../../contracts/model/AlphaPoolsExtension.sol";
import {Metagraph} from "../../contracts/model/Metagraph.sol";
import {RootDividends} from "../../contracts/model/RootDividends.sol";
import {SubnetRegistry} from "../../contracts/model/SubnetRegistry.sol";
import {IAlphaPoolsTypes} from "../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {ISubnetRegistry} from "../../contracts/interfaces/ISubnetRegistry.sol";

import {Assertions} from "./utils/Assertions.sol";
import {VM, Vm} from "./utils/Vm.sol";
import {Deploy} from "./utils/Deploy.sol";

/// @title BaseTest
/// @notice Deploys and wires the subnet economy as the deployment does, with named actors and helpers.
/// @dev Parameters are chosen for tests: a fast EMA, a short tempo, a small subnet limit and short immunity. Hotkeys
/// are EVM accounts' ids (a hotkey proves control through its EVM account): `_hotkey(who, owner)` approves `owner`'s
/// coldkey from `who` and returns the hotkey.
abstract contract BaseTest is Assertions {
    Vm internal constant vm = VM;

    uint256 internal constant WEI_PER_RAO = 1e9;
    uint256 internal constant TAO = 1e9; // rao per TAO (and alpha-rao per alpha)
    uint256 internal constant WAD = 1e18;
    uint256 internal constant NO_DEADLINE = type(uint256).max;

    // AlphaPools
    uint256 internal constant MOVING_ALPHA_WAD = 1e17; // 0.1
    uint256 internal constant EMA_HALVING_BLOCKS = 100;
    uint256 internal constant TAO_WEIGHT_WAD = 0.18e18;
    uint256 internal constant INITIAL_ISSUANCE_RAO = 0;
    // SubnetRegistry
    uint16 internal constant MIN_TEMPO = 10;
    uint64 internal constant MIN_LOCK_RAO = 100e9;
    uint32 internal constant LOCK_REDUCTION_INTERVAL = 1_000;
    uint32 internal constant NETWORK_RATE_LIMIT = 10;
    uint32 internal constant NETWORK_IMMUNITY = 50;
    uint16 internal constant SUBNET_LIMIT = 3;
    uint16 internal constant FEE_RATE = 33;
    uint64 internal constant MIN_STAKE_RAO = 2_000_000;
    // Metagraph
    uint64 internal constant INITIAL_BURN_RAO = 1e9;
    uint16 internal constant DEFAULT_TAKE = 11_796;
    uint16 internal constant MAX_TAKE = 11_796;
    uint32 internal constant TAKE_RATE_LIMIT = 1_000;

    address internal admin = address(0xAD);
    address internal settler = address(0x5E771E);
    address internal pauser = address(0xBA05E);
    address internal origin = address(0x0121);
    address internal alice = address(0xA11CE);
    address internal bob = address(0xB0B);
    address internal carol = address(0xCA201);
    address internal owner1 = address(0x0E1);
    address internal owner2 = address(0x0E2);
    address internal owner3 = address(0x0E3);
    address internal validator1 = address(0x7A11);
    address internal validator2 = address(0x7A12);
    address internal miner1 = address(0x3111);
    address internal stranger = address(0x5757);

    /// @dev Owner hotkeys: accounts of their own that approved their owner's coldkey.
    bytes32 internal OWNER1_HOTKEY;
    bytes32 internal OWNER2_HOTKEY;
    bytes32 internal OWNER3_HOTKEY;

    AlphaPools internal pools;
    SubnetRegistry internal registry;
    Metagraph internal metagraph;
    RootDividends internal rootDividends;

    function setUp() public virtual {
        vm.roll(1000);
        vm.warp(1_700_000_000);
        AlphaPoolsExtension extension = Deploy.alphaPoolsExtension(
            MOVING_ALPHA_WAD,
            EMA_HALVING_BLOCKS,
            TAO_WEIGHT_WAD
        );
        pools = Deploy.alphaPools(
            admin,
            MOVING_ALPHA_WAD,
            EMA_HALVING_BLOCKS,
            TAO_WEIGHT_WAD,
            INITIAL_ISSUANCE_RAO,
            extension
        );
        registry = Deploy.subnetRegistry(
            admin,
            pools,
            MIN_TEMPO,
            MIN_LOCK_RAO,
            LOCK_REDUCTION_INTERVAL,
            NETWORK_RATE_LIMIT,
            NETWORK_IMMUNITY,
            SUBNET_LIMIT,
            _defaultHyperparameters(),
            ISubnetRegistry.PoolSettings(FEE_RATE, MIN_STAKE_RAO)
        );
        metagraph = Deploy.metagraph(admin, pools, registry, INITIAL_BURN_RAO, DEFAULT_TAKE, MAX_TAKE, TAKE_RATE_LIMIT);
        rootDividends = Deploy.rootDividends(admin, pools);

        vm.startPrank(admin);
        registry.setMetagraph(metagraph);
        pools.wire(metagraph, rootDividends);
        pools.grantRole(pools.REGISTRY_ROLE(), address(registry));
        pools.grantRole(pools.METAGRAPH_ROLE(), address(metagraph));
        pools.grantRole(pools.ROOT_DIVIDENDS_ROLE(), address(rootDividends));
        pools.grantRole(pools.SETTLER_ROLE(), settler);
        pools.grantRole(pools.PAUSER_ROLE(), pauser);
        pools.grantRole(pools.ORIGIN_ROLE(), origin);
        metagraph.grantRole(metagraph.SETTLER_ROLE(), settler);
        rootDividends.grantRole(rootDividends.SETTLER_ROLE(), settler);
        vm.stopPrank();

        _cacheColdkeys();
        OWNER1_HOTKEY = _hotkey(address(0x0E1F), owner1);
        OWNER2_HOTKEY = _hotkey(address(0x0E2F), owner2);
        OWNER3_HOTKEY = _hotkey(address(0x0E3F), owner3);
        vm.deal(address(this), 1_000_000 * TAO * WEI_PER_RAO);
        if (_reserveFundingRao() != 0) pools.fundEmissionReserve{value: _wei(_reserveFundingRao())}();
    }

    /// @dev TAO put into the emission reserve at set-up; a test contract can override it (0 = unfunded).
    function _reserveFundingRao() internal pure virtual returns (uint256) {
        return 100_000 * TAO;
    }

    function _defaultHyperparameters() internal pure virtual returns (ISubnetRegistry.Hyperparameters memory hp) {
        hp = ISubnetRegistry.Hyperparameters({
            tempo: 20,
            maxUids: 8,
            maxValidators: 4,
            kappaOf65535: 32_767,
            bondsMovingAveragePpm: 900_000,
            bondsPenaltyOf65535: 65_535,
            yuma3: true,
            liquidAlpha: false,
            alphaLowOf65535: 45_875,
            alphaHighOf65535: 58_982,
            alphaSigmoidSteepness: 1_000,
            activityCutoff: 5_000,
            immunityPeriod: 20,
            weightsRateLimit: 5,
            weightsVersionKey: 0,
            commitReveal: false,
            transfersEnabled: true,
            minBurnRao: 1_000_000,
            maxBurnRao: 100e9,
            burnHalfLife: 360,
            burnIncreaseMultWad: 1.26e18
        });
    }

    /* HELPERS */

    function _wei(uint256 rao) internal pure returns (uint256) {
        return rao * WEI_PER_RAO;
    }

    /// @dev Coldkeys are cached at set-up so that computing one between a prank and its call does not use up
    /// the prank (the mapping goes through the 0x09 precompile).
    mapping(address account => bytes32) internal _coldkeys;

    function ck(address account) internal view returns (bytes32 coldkey) {
        coldkey = _coldkeys[account];
        if (coldkey == bytes32(0)) coldkey = pools.coldkeyOf(account);
    }

    function _cacheColdkeys() internal {
        address[15] memory actors = [
            admin,
            settler,
            pauser,
            origin,
            alice,
            bob,
            carol,
            owner1,
            owner2,
            owner3,
            validator1,
            validator2,
            miner1,
            stranger,
            address(this)
        ];
        for (uint256 i; i < actors.length; ++i) _coldkeys[actors[i]] = pools.coldkeyOf(actors[i]);
    }

    /// @dev The hotkey of EVM account `who`, approved for registration by `owner`'s coldkey.
    function _hotkey(address who, address owner) internal returns (bytes32 hotkey) {
        hotkey = pools.coldkeyOf(who);
        _coldkeys[who] = hotkey;
        bytes32 ownerColdkey = ck(owner);
        if (hotkey != ownerColdkey && metagraph.ownerOf(hotkey) == bytes32(0)) {
            vm.prank(who);
            metagraph.approveHotkeyOwner(ownerColdkey);
        }
    }

    /// @dev Registers a subnet for `owner` at the current lock cost, moving past the rate limit first.
    function _registerSubnet(address owner, bytes32 hotkey) internal returns (uint16 netuid) {
        uint256 last = registry.lastLockBlock();
        if (last != 0 && _blockNumber() < last + NETWORK_RATE_LIMIT) vm.roll(last + NETWORK_RATE_LIMIT);
        uint256 cost = registry.lockCost();
        vm.deal(owner, owner.balance + _wei(cost));
        vm.prank(owner);
        netuid = registry.registerNetwork{value: _wei(cost)}(hotkey, "subnet", cost);
    }

    /// @dev Registers a subnet and starts its emission (from the next block).
    function _emittingSubnet(address owner, bytes32 hotkey) internal returns (uint16 netuid) {
        netuid = _registerSubnet(owner, hotkey);
        vm.prank(owner);
        registry.startCall(netuid);
        _rollBy(1);
    }

    /// @dev Registers `hotkey` (owned by `owner`) as a neuron of `netuid`, paying the current burn.
    function _registerNeuron(uint16 netuid, address owner, bytes32 hotkey) internal returns (uint16 uid) {
        uint256 burn = metagraph.burnCost(netuid);
        vm.deal(owner, owner.balance + _wei(burn));
        vm.prank(owner);
        uid = metagraph.burnedRegister{value: _wei(burn)}(netuid, hotkey, burn);
    }

    function _stake(address who, bytes32 hotkey, uint16 netuid, uint256 rao) internal returns (uint256 alphaOut) {
        vm.deal(who, who.balance + _wei(rao));
        vm.prank(who);
        alphaOut = pools.addStake{value: _wei(rao)}(hotkey, netuid, 0, NO_DEADLINE);
    }

    function _unstake(address who, bytes32 hotkey, uint16 netuid, uint256 alpha) internal returns (uint256 taoOut) {
        vm.prank(who);
        taoOut = pools.removeStake(hotkey, netuid, alpha, 0, NO_DEADLINE);
    }

    /// @dev Asserts that `netuid`'s alpha issuance is exactly accounted for: in the pool, `stakedRao` (its hotkey pools,
    /// vested or vesting), unowned (chain buys, burns), pending for the epoch (less the recycled root share) or owed
    /// by the settlement and to root stakers.
    function _assertAlphaIssuanceAccounted(uint16 netuid, uint256 stakedRao) internal view {
        (IAlphaPoolsTypes.Pool memory p, IAlphaPoolsTypes.Emission memory em, IAlphaPoolsTypes.Books memory b) = pools
            .storedSubnet(netuid);
        (uint256 settlementOwed, uint256 rootOwed) = pools.owedAlpha(netuid, pools.subnetConfig(netuid).generation);
        uint256 accounted =
            uint256(p.alphaRao) +
                stakedRao +
                em.unownedAlphaRao +
                b.pendingAlphaOutRao -
                b.pendingRecycledRootAlphaRao +
                settlementOwed +
                rootOwed;
        assertEq(b.alphaIssuanceRao, accounted, "issuance = pool + staked + unowned + pending + owed");
    }

    /// @dev The height from the cheatcode: the optimizer may reuse an earlier `block.number` read after a `roll`.
    function _blockNumber() internal view returns (uint256) {
        return vm.getBlockNumber();
    }

    function _rollBy(uint256 blocks) internal {
        vm.roll(_blockNumber() + blocks);
    }

    receive() external payable {}
}
