// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {IMetagraph} from "../../../contracts/interfaces/IMetagraph.sol";
import {ISubnetRegistry} from "../../../contracts/interfaces/ISubnetRegistry.sol";
import {RegistryTestBase} from "./RegistryTestBase.sol";

/// @title GenesisTest
/// @notice A genesis import writes a subnet as another chain has it (pool, neurons, stake, moving price) and nothing
/// else: only the genesis role, only until the genesis closes (explicitly or at the first registration), with every
/// book balanced, and the imported subnets start emitting together, weighted by their imported moving prices.
contract GenesisTest is RegistryTestBase {
    address internal importer = address(0x6E4E);
    bytes32 internal constant FOREIGN_OWNER_HOTKEY = keccak256("owner hotkey");
    bytes32 internal constant FOREIGN_OWNER_COLDKEY = keccak256("owner coldkey");
    bytes32 internal constant FOREIGN_VALIDATOR = keccak256("validator hotkey");
    bytes32 internal constant FOREIGN_MINER = keccak256("miner hotkey");

    function setUp() public override {
        super.setUp();
        vm.startPrank(admin);
        registry.grantRole(registry.GENESIS_ROLE(), importer);
        vm.stopPrank();
        vm.deal(importer, 10_000_000 * TAO * WEI_PER_RAO);
    }

    /// @dev Owner, a validator staked by alice, a miner staked by its own coldkey.
    function _neurons() internal view returns (ISubnetRegistry.GenesisNeuron[] memory list) {
        list = new ISubnetRegistry.GenesisNeuron[](3);
        list[0] = ISubnetRegistry.GenesisNeuron(FOREIGN_OWNER_HOTKEY, FOREIGN_OWNER_COLDKEY, uint64(500 * TAO), true);
        list[1] = ISubnetRegistry.GenesisNeuron(FOREIGN_VALIDATOR, ck(alice), uint64(40_000 * TAO), true);
        list[2] = ISubnetRegistry.GenesisNeuron(FOREIGN_MINER, ck(bob), 0, false);
    }

    function _import(uint16 netuid, uint256 taoRao, uint256 alphaRao, uint64 movingPriceWad) internal {
        ISubnetRegistry.GenesisNeuron[] memory list = _neurons();
        vm.prank(importer);
        registry.importSubnet{value: _wei(taoRao)}(netuid, owner1, "Imported", alphaRao, movingPriceWad, list);
    }

    function test_importSubnet_writesThePoolNeuronsStakeAndMovingPrice() public {
        _import(9, 30_000 * TAO, 300_000 * TAO, 0.1e18);

        (IAlphaPoolsTypes.Pool memory pool, , IAlphaPoolsTypes.Books memory books) = pools.storedSubnet(9);
        assertEq(pool.taoRao, 30_000 * TAO, "TAO reserve as imported");
        assertEq(pool.alphaRao, 300_000 * TAO, "alpha reserve as imported");
        assertEq(books.alphaIssuanceRao, (300_000 + 40_500) * TAO, "issuance: the pool and the staked alpha");
        assertEq(pools.getStake(FOREIGN_OWNER_HOTKEY, FOREIGN_OWNER_COLDKEY, 9), 500 * TAO, "owner's stake");
        assertEq(pools.getStake(FOREIGN_VALIDATOR, ck(alice), 9), 40_000 * TAO, "validator's stake");
        assertEq(pools.hotkeyPool(FOREIGN_MINER, 9).alphaRao, 0, "no stake on the miner");

        ISubnetRegistry.Subnet memory s = registry.subnet(9);
        assertEq(s.owner, owner1, "owner account");
        assertEq(s.ownerColdkey, FOREIGN_OWNER_COLDKEY, "owner coldkey: uid 0's");
        assertEq(s.ownerHotkey, FOREIGN_OWNER_HOTKEY, "owner hotkey: uid 0's");
        assertEq(s.lockedRao, 0, "nothing locked");
        assertEq(registry.subnetCount(), 1, "counted");

        IMetagraph.NeuronView[] memory list = metagraph.neurons(9, 0, 10);
        assertEq(list.length, 3, "three neurons");
        ISubnetRegistry.GenesisNeuron[] memory expected = _neurons();
        for (uint256 i; i < 3; ++i) {
            assertEq(list[i].uid, i, "uid = index");
            assertEq(list[i].hotkey, expected[i].hotkey, "hotkey");
            assertEq(list[i].coldkey, expected[i].coldkey, "coldkey");
            assertTrue(list[i].validatorPermit == expected[i].validatorPermit, "permit");
            assertEq(metagraph.ownerOf(expected[i].hotkey), expected[i].coldkey, "hotkey owner");
        }

        // Nothing emits before the genesis closes, and the owner cannot start it alone.
        assertEq(pools.subnetConfig(9).firstEmissionBlock, 0, "not emitting yet");
        vm.prank(owner1);
        vm.expectRevert(ISubnetRegistry.GenesisNotClosed.selector);
        registry.startCall(9);
    }

    function test_closeGenesis_startsEveryImportedSubnetTogetherFromItsMovingPrice() public {
        _import(4, 10_000 * TAO, 100_000 * TAO, 0.1e18);
        _advance(3);
        _import(8, 30_000 * TAO, 100_000 * TAO, 0.3e18);
        uint256 closedAt = _blockNow();
        vm.prank(importer);
        registry.closeGenesis();
        assertTrue(registry.genesisClosed(), "closed");

        (IAlphaPoolsTypes.Global memory g, , ) = pools.storedGlobal();
        assertEq(g.totalWeight, 0.4e9, "weights: the moving prices in rao per alpha");
        assertEq(g.sumMovingPriceRao, 0.4e9, "sum of moving prices");
        for (uint16 netuid = 4; netuid <= 8; netuid += 4) {
            (, IAlphaPoolsTypes.Emission memory em, ) = pools.storedSubnet(netuid);
            assertEq(em.movingPriceWad, netuid == 4 ? 0.1e18 : 0.3e18, "moving price as imported");
            assertEq(pools.subnetConfig(netuid).firstEmissionBlock, closedAt + 1, "same first block");
        }

        // The TAO emission splits by moving price: 1 to 3.
        _advance(20);
        pools.poke(4);
        pools.poke(8);
        (IAlphaPoolsTypes.Pool memory p4, , ) = pools.storedSubnet(4);
        (IAlphaPoolsTypes.Pool memory p8, , ) = pools.storedSubnet(8);
        uint256 in4 = p4.taoRao - 10_000 * TAO;
        uint256 in8 = p8.taoRao - 30_000 * TAO;
        assertGt(in4, 0, "emission reached the first subnet");
        // Within 5 %: the injection and the chain buys round per block.
        assertGe(in8 * 100, 3 * in4 * 95, "three times the TAO for three times the moving price (not less)");
        assertLe(in8 * 100, 3 * in4 * 105, "three times the TAO for three times the moving price (not more)");
    }

    function test_importedStake_isRealStake_itsHolderUnstakesToTao() public {
        _import(5, 30_000 * TAO, 300_000 * TAO, 0.1e18);
        vm.prank(importer);
        registry.closeGenesis();
        _advance(1);
        uint256 before = alice.balance;
        vm.prank(alice);
        uint256 taoOut = pools.removeStake(FOREIGN_VALIDATOR, 5, 10_000 * TAO, 0, NO_DEADLINE);
        assertGt(taoOut, 900 * TAO, "about 10,000 alpha at 0.1 TAO, less slippage and fee");
        assertEq(alice.balance - before, _wei(taoOut), "paid in TAO");
        // And a newcomer stakes on an imported hotkey.
        assertGt(_stake(carol, FOREIGN_MINER, 5, 100 * TAO), 0, "stake on an imported miner");
    }

    function test_genesis_onlyTheRoleWhileOpen_theFirstRegistrationClosesIt() public {
        ISubnetRegistry.GenesisNeuron[] memory list = _neurons();
        vm.deal(stranger, _wei(1_000 * TAO));
        bytes memory unauthorized = abi.encodeWithSelector(
            IAccessControl.AccessControlUnauthorizedAccount.selector,
            stranger,
            registry.GENESIS_ROLE()
        );
        vm.prank(stranger);
        vm.expectRevert(unauthorized);
        registry.importSubnet{value: _wei(1_000 * TAO)}(3, stranger, "x", 1_000 * TAO, 0, list);
        vm.prank(stranger);
        vm.expectRevert(unauthorized);
        registry.closeGenesis();

        _import(2, 1_000 * TAO, 10_000 * TAO, 0.1e18);
        // An ordinary registration ends the genesis and starts the imported subnet with it.
        uint16 registered = _registerSubnet(owner2, OWNER2_HOTKEY);
        assertEq(registered, 1, "the lowest free netuid");
        assertTrue(registry.genesisClosed(), "closed by the registration");
        assertEq(pools.subnetConfig(2).firstEmissionBlock, _blockNow() + 1, "the imported subnet emits");
        vm.prank(importer);
        vm.expectRevert(ISubnetRegistry.GenesisClosed.selector);
        registry.importSubnet{value: _wei(1_000 * TAO)}(3, owner1, "late", 10_000 * TAO, 0, list);
        vm.prank(importer);
        vm.expectRevert(ISubnetRegistry.GenesisClosed.selector);
        registry.closeGenesis();
    }

    function test_importSubnet_refusesBadInput_andLeavesNothingBehind() public {
        ISubnetRegistry.GenesisNeuron[] memory list = _neurons();
        uint256 value = _wei(1_000 * TAO);
        vm.startPrank(importer);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.InvalidNetuid.selector, 0));
        registry.importSubnet{value: value}(0, owner1, "root", 10_000 * TAO, 0, list);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.InvalidNetuid.selector, 256));
        registry.importSubnet{value: value}(256, owner1, "past", 10_000 * TAO, 0, list);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.MovingPriceAboveOne.selector, 1e18 + 1));
        registry.importSubnet{value: value}(3, owner1, "dear", 10_000 * TAO, 1e18 + 1, list);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.InvalidName.selector, 0));
        registry.importSubnet{value: value}(3, owner1, "", 10_000 * TAO, 0, list);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.InvalidNeuronCount.selector, 0, 8));
        registry.importSubnet{value: value}(
            3,
            owner1,
            "empty",
            10_000 * TAO,
            0,
            new ISubnetRegistry.GenesisNeuron[](0)
        );
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.InvalidNeuronCount.selector, 9, 8));
        registry.importSubnet{value: value}(3, owner1, "crowd", 10_000 * TAO, 0, _crowd(9));

        // The same hotkey twice on a subnet, or a hotkey another coldkey owns.
        list[2].hotkey = FOREIGN_VALIDATOR;
        list[2].coldkey = ck(alice);
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.HotkeyAlreadyRegistered.selector, 3, FOREIGN_VALIDATOR, 1));
        registry.importSubnet{value: value}(3, owner1, "twice", 10_000 * TAO, 0, list);
        list = _neurons();
        list[1].coldkey = ck(bob);
        registry.importSubnet{value: value}(3, owner1, "first", 10_000 * TAO, 0, _neurons());
        vm.expectRevert(
            abi.encodeWithSelector(IMetagraph.HotkeyOwnedByOther.selector, FOREIGN_OWNER_HOTKEY, FOREIGN_OWNER_COLDKEY)
        );
        list[0].coldkey = ck(bob);
        registry.importSubnet{value: value}(4, owner1, "other", 10_000 * TAO, 0, list);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.NetuidTaken.selector, 3));
        registry.importSubnet{value: value}(3, owner1, "again", 10_000 * TAO, 0, _neurons());
        vm.stopPrank();
        assertEq(registry.subnetCount(), 1, "only the valid import counts");
        assertTrue(!registry.isActive(4), "a refused import leaves no subnet");
    }

    function test_importNeurons_placesMoreAtTheNextUids() public {
        _import(9, 30_000 * TAO, 300_000 * TAO, 0.1e18);
        ISubnetRegistry.GenesisNeuron[] memory more = new ISubnetRegistry.GenesisNeuron[](2);
        more[0] = ISubnetRegistry.GenesisNeuron(keccak256("fourth"), ck(carol), uint64(70 * TAO), true);
        more[1] = ISubnetRegistry.GenesisNeuron(keccak256("fifth"), keccak256("fifth"), 0, false);
        vm.prank(importer);
        registry.importNeurons(9, more);

        IMetagraph.NeuronView[] memory list = metagraph.neurons(9, 0, 10);
        assertEq(list.length, 5, "three and two");
        assertEq(list[3].uid, 3, "the next uid");
        assertEq(list[3].hotkey, keccak256("fourth"), "hotkey at uid 3");
        assertTrue(list[3].validatorPermit && !list[4].validatorPermit, "permits as given");
        assertEq(list[4].coldkey, keccak256("fifth"), "coldkey at uid 4");
        assertEq(pools.getStake(keccak256("fourth"), ck(carol), 9), 70 * TAO, "stake of the later neuron");
        (, , IAlphaPoolsTypes.Books memory books) = pools.storedSubnet(9);
        assertEq(books.alphaIssuanceRao, (300_000 + 40_500 + 70) * TAO, "issuance: the pool and all the stake");

        // Not past maxUids (8), not twice the same hotkey, only on a subnet imported at this genesis, only while open.
        vm.startPrank(importer);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.InvalidNeuronCount.selector, 9, 8));
        registry.importNeurons(9, _crowd(4));
        vm.expectRevert(abi.encodeWithSelector(IMetagraph.HotkeyAlreadyRegistered.selector, 9, keccak256("fourth"), 3));
        registry.importNeurons(9, more);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.NotImported.selector, 4));
        registry.importNeurons(4, _crowd(1));
        registry.closeGenesis();
        vm.expectRevert(ISubnetRegistry.GenesisClosed.selector);
        registry.importNeurons(9, _crowd(1));
        vm.stopPrank();
    }

    function test_importSubnet_atTheSubnetLimit() public {
        for (uint16 netuid = 1; netuid <= SUBNET_LIMIT; ++netuid) {
            ISubnetRegistry.GenesisNeuron[] memory one = new ISubnetRegistry.GenesisNeuron[](1);
            one[0] = ISubnetRegistry.GenesisNeuron(bytes32(uint256(netuid)), bytes32(uint256(netuid)), 0, true);
            vm.prank(importer);
            registry.importSubnet{value: _wei(1_000 * TAO)}(netuid, owner1, "full", 10_000 * TAO, 0, one);
        }
        vm.prank(importer);
        vm.expectRevert(abi.encodeWithSelector(ISubnetRegistry.SubnetLimitReached.selector, SUBNET_LIMIT));
        registry.importSubnet{value: _wei(1_000 * TAO)}(9, owner1, "over", 10_000 * TAO, 0, _neurons());
    }

    /// @dev Any import balances the books and is backed: alpha issuance is the pool plus the stake (and, once it
    /// emits, the pending and unowned alpha), the pools hold the TAO they owe, and the imported stake leaves as TAO.
    function testFuzz_importSubnet_booksBalanceAndTheStakeIsBacked(
        uint256 taoRao,
        uint256 alphaRao,
        uint256 ownerStake,
        uint256 validatorStake,
        uint256 movingPriceWad,
        uint256 blocks
    ) public {
        taoRao = _bound(taoRao, 100 * TAO, 1_000_000 * TAO);
        alphaRao = _bound(alphaRao, 1_000 * TAO, 10_000_000 * TAO);
        ISubnetRegistry.GenesisNeuron[] memory list = _neurons();
        list[0].stakeAlphaRao = uint64(_bound(ownerStake, 0, 1_000_000 * TAO));
        list[1].stakeAlphaRao = uint64(_bound(validatorStake, 1_000 * TAO, 1_000_000 * TAO));
        uint64 moving = uint64(_bound(movingPriceWad, 0, WAD));
        blocks = _bound(blocks, 1, 500);
        vm.prank(importer);
        registry.importSubnet{value: _wei(taoRao)}(6, owner1, "Fuzzed", alphaRao, moving, list);
        _assertIssuanceBalanced(6);
        vm.prank(importer);
        registry.closeGenesis();
        _advance(blocks);
        pools.poke(6);
        _assertIssuanceBalanced(6);

        (IAlphaPoolsTypes.Global memory g, , IAlphaPoolsTypes.RootStake memory r) = pools.storedGlobal();
        (IAlphaPoolsTypes.Pool memory pool, , ) = pools.storedSubnet(6);
        assertGe(address(pools).balance, _wei(uint256(pool.taoRao) + g.reserveRao + r.taoRao), "solvent");

        // As much of it as one swap may sell (the chain caps a swap's input at a multiple of the input reserve).
        uint256 selling = Math.min(list[1].stakeAlphaRao, pool.alphaRao);
        uint256 before = alice.balance;
        vm.prank(alice);
        uint256 taoOut = pools.removeStake(FOREIGN_VALIDATOR, 6, selling, 0, NO_DEADLINE);
        assertGt(taoOut, 0, "the imported stake sells for TAO");
        assertLt(taoOut, pool.taoRao, "never more than the pool holds");
        assertEq(alice.balance - before, _wei(taoOut), "paid");
        _assertIssuanceBalanced(6);
    }

    function _assertIssuanceBalanced(uint16 netuid) internal view {
        uint256 staked;
        ISubnetRegistry.GenesisNeuron[] memory list = _neurons();
        for (uint256 i; i < list.length; ++i) {
            IAlphaPoolsTypes.HotkeyPool memory hp = pools.hotkeyPool(list[i].hotkey, netuid);
            staked += uint256(hp.alphaRao) + hp.unvestedAlphaRao;
        }
        _assertAlphaIssuanceAccounted(netuid, staked);
    }

    /// @dev `n` neurons with distinct keys, none staked.
    function _crowd(uint256 n) internal pure returns (ISubnetRegistry.GenesisNeuron[] memory list) {
        list = new ISubnetRegistry.GenesisNeuron[](n);
        for (uint256 i; i < n; ++i) {
            list[i] = ISubnetRegistry.GenesisNeuron(bytes32(i + 1), bytes32(i + 1), 0, false);
        }
    }
}
