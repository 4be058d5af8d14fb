// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {IAlphaPoolsTypes} from "../../../contracts/interfaces/IAlphaPoolsTypes.sol";
import {ISubnetRegistry} from "../../../contracts/interfaces/ISubnetRegistry.sol";
import {UnitsLib} from "../../../contracts/libraries/UnitsLib.sol";
import {PoolsTestBase} from "./PoolsTestBase.sol";

/// @notice The hooks AlphaPools exposes to the other parts of the model: the epoch settlement (closePending,
/// creditStake, creditDividend with its vesting, recycleAlpha, setMinerBurn), root dividends (assign, pay), the
/// registry (open, start, settings) and the metagraph (buy and burn), with their roles and generation checks.
/// @dev Quiet pools (no emission reserve): alpha is still emitted into the pending buckets every block, so an epoch
/// has a pot, but no TAO enters the pools and every amount is exact from the reserves.
contract AlphaPoolsHooksTest is PoolsTestBase {
    address internal registrar = address(0x2E6);
    address internal rootHook = address(0x2007);
    uint16 internal net1;
    uint16 internal tempo;

    function _reserveFundingRao() internal pure override returns (uint256) {
        return 0;
    }

    function setUp() public override {
        super.setUp();
        net1 = _newStartedSubnet(owner1, OWNER1_HOTKEY);
        tempo = pools.subnetConfig(net1).tempo;
        vm.startPrank(admin);
        pools.grantRole(pools.REGISTRY_ROLE(), registrar);
        pools.grantRole(pools.ROOT_DIVIDENDS_ROLE(), rootHook);
        vm.stopPrank();
    }

    /// @dev Lets `blocks` blocks of alpha accrue and closes them into the settlement's debt.
    function _closeAfter(
        uint256 blocks
    ) internal returns (uint32 generation, IAlphaPoolsTypes.PendingEmission memory pot) {
        _advance(blocks);
        vm.prank(settler);
        (generation, pot) = pools.closePending(net1);
    }

    function _owedSettlement(uint16 netuid) internal view returns (uint256 owed) {
        (owed, ) = pools.owedAlpha(netuid, _generation(netuid));
    }

    /* closePending */

    function test_closePending_splitsThePotExactlyAndZeroesTheBuckets() public {
        _stake(carol, OWNER1_HOTKEY, 0, 1000 * TAO); // root stake: a root share, recycled (one subnet, flag off)
        _advance(1);
        pools.poke(net1);
        vm.prank(settler);
        pools.closePending(net1); // start from empty buckets
        uint256 owed0 = _owedSettlement(net1);
        uint256 issuance0 = _books(net1).alphaIssuanceRao;
        _advance(20);
        pools.poke(net1);
        IAlphaPoolsTypes.Books memory b = _books(net1);
        uint256 total = 20 * BLOCK_EMISSION_RAO;
        assertEq(b.pendingAlphaOutRao, total, "20 blocks of alpha");
        // the root share of the validators' half, recycled while Σ moving prices ≤ 1
        uint256 afterCut = total - (total * OWNER_CUT_OF_65535) / FEE_DENOMINATOR;
        uint256 rootSide = 1000 * TAO * TAO_WEIGHT_WAD;
        uint256 recycled = ((afterCut - afterCut / 2) * rootSide) / (rootSide + issuance0 * WAD);
        assertEq(b.pendingRecycledRootAlphaRao, recycled, "recycled root share");
        uint32 generation = _generation(net1);
        IAlphaPoolsTypes.PendingEmission memory expected;
        expected.ownerCutAlphaRao = (total * OWNER_CUT_OF_65535) / FEE_DENOMINATOR;
        expected.serverAlphaRao = (total - expected.ownerCutAlphaRao) / 2;
        expected.rootAlphaRao = 0;
        expected.validatorAlphaRao = total - expected.ownerCutAlphaRao - expected.serverAlphaRao - recycled;

        vmx.expectEmit(true, true, true, true, address(pools));
        emit IAlphaPoolsTypes.ClosePending(net1, generation, expected);
        vm.prank(settler);
        (uint32 gen, IAlphaPoolsTypes.PendingEmission memory pot) = pools.closePending(net1);

        assertEq(gen, generation, "generation");
        assertEq(pot.ownerCutAlphaRao, expected.ownerCutAlphaRao, "owner cut");
        assertEq(pot.serverAlphaRao, expected.serverAlphaRao, "miners");
        assertEq(pot.validatorAlphaRao, expected.validatorAlphaRao, "validators");
        assertEq(pot.rootAlphaRao, 0, "root");
        b = _books(net1);
        assertEq(b.pendingAlphaOutRao, 0, "pending emptied");
        assertEq(b.pendingRootAlphaRao, 0, "root bucket emptied");
        assertEq(b.pendingRecycledRootAlphaRao, 0, "recycled bucket emptied");
        (uint256 owed, uint256 rootOwed) = pools.owedAlpha(net1, generation);
        assertEq(owed - owed0, total - recycled, "the settlement owes the pot, not the recycled share");
        assertEq(rootOwed, 0, "no root debt");
        // closing again in the same block adds nothing
        vm.prank(settler);
        (, pot) = pools.closePending(net1);
        assertEq(pot.ownerCutAlphaRao + pot.serverAlphaRao + pot.validatorAlphaRao, 0, "empty pot");
        assertEq(_owedSettlement(net1), owed, "owed unchanged");
    }

    function test_closePending_accumulatesTheDebtOverEpochs() public {
        (, IAlphaPoolsTypes.PendingEmission memory a) = _closeAfter(10);
        (, IAlphaPoolsTypes.PendingEmission memory b) = _closeAfter(7);
        uint256 sumA = a.ownerCutAlphaRao + a.serverAlphaRao + a.validatorAlphaRao + a.rootAlphaRao;
        uint256 sumB = b.ownerCutAlphaRao + b.serverAlphaRao + b.validatorAlphaRao + b.rootAlphaRao;
        assertEq(sumB, 7 * BLOCK_EMISSION_RAO, "the second epoch's 7 blocks");
        assertEq(_owedSettlement(net1), sumA + sumB, "both pots owed");
    }

    function test_RevertWhen_closePending_rootUnknownOrNotSettler() public {
        vm.startPrank(settler);
        vm.expectRevert(_err(IAlphaPoolsTypes.RootSubnet.selector, 0));
        pools.closePending(0);
        vm.expectRevert(_err(IAlphaPoolsTypes.UnknownSubnet.selector, 88));
        pools.closePending(88);
        vm.stopPrank();
        bytes32 role = pools.SETTLER_ROLE();
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, role));
        pools.closePending(net1);
    }

    /* creditStake */

    function test_creditStake_mintsTheOwedAlphaAsStake() public {
        (uint32 gen, IAlphaPoolsTypes.PendingEmission memory pot) = _closeAfter(20);
        uint256 owed = _owedSettlement(net1);
        IAlphaPoolsTypes.Pool memory p0 = _pool(net1);
        uint256 issuance0 = _books(net1).alphaIssuanceRao;
        vmx.expectEmit(true, true, true, true, address(pools));
        emit IAlphaPoolsTypes.CreditStake(net1, OWNER1_HOTKEY, ck(miner1), pot.serverAlphaRao);
        vm.prank(settler);
        pools.creditStake(net1, gen, OWNER1_HOTKEY, ck(miner1), pot.serverAlphaRao);
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(miner1), net1), pot.serverAlphaRao, "stake");
        assertEq(_owedSettlement(net1), owed - pot.serverAlphaRao, "debt spent");
        assertEq(_pool(net1).alphaRao, p0.alphaRao, "no swap");
        assertEq(_books(net1).alphaIssuanceRao, issuance0, "already issued");
        // a second credit to a pool with holders mints shares at the pool's value
        uint256 totalShares = pools.hotkeyPool(OWNER1_HOTKEY, net1).shares;
        vm.prank(settler);
        pools.creditStake(net1, gen, OWNER1_HOTKEY, ck(owner1), pot.ownerCutAlphaRao);
        assertEq(
            _sharesOf(net1, gen, OWNER1_HOTKEY, ck(owner1)),
            _sharesDown(pot.ownerCutAlphaRao, pot.serverAlphaRao, totalShares),
            "shares at the pool's value"
        );
    }

    function test_RevertWhen_creditStake_payoutExceedsPot() public {
        (uint32 gen, ) = _closeAfter(20);
        uint256 owed = _owedSettlement(net1);
        vm.prank(settler);
        vm.expectRevert(_err(IAlphaPoolsTypes.PayoutExceedsPot.selector, owed + 1, owed));
        pools.creditStake(net1, gen, OWNER1_HOTKEY, ck(miner1), owed + 1);
        // exactly the pot is fine, then nothing is left
        vm.startPrank(settler);
        pools.creditStake(net1, gen, OWNER1_HOTKEY, ck(miner1), owed);
        vm.expectRevert(_err(IAlphaPoolsTypes.PayoutExceedsPot.selector, 1, 0));
        pools.creditStake(net1, gen, OWNER1_HOTKEY, ck(miner1), 1);
        vm.stopPrank();
    }

    function test_RevertWhen_creditStake_hotkeyNotRegistered() public {
        (uint32 gen, ) = _closeAfter(20);
        bytes32 nobody = keccak256("nobody");
        vm.prank(settler);
        vm.expectRevert(abi.encodeWithSelector(IAlphaPoolsTypes.HotkeyNotRegistered.selector, nobody));
        pools.creditStake(net1, gen, nobody, ck(miner1), TAO);
    }

    /* creditDividend and vesting */

    function test_creditDividend_vestsLinearlyOverTheTempo() public {
        uint256 s = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        (uint32 gen, IAlphaPoolsTypes.PendingEmission memory pot) = _closeAfter(20);
        uint256 d = pot.validatorAlphaRao;
        uint256 t0 = _now();
        uint256 owed = _owedSettlement(net1);
        vmx.expectEmit(true, true, true, true, address(pools));
        emit IAlphaPoolsTypes.CreditDividend(net1, OWNER1_HOTKEY, d, tempo);
        vm.prank(settler);
        pools.creditDividend(net1, gen, OWNER1_HOTKEY, ck(owner1), d);
        assertEq(_owedSettlement(net1), owed - d, "debt spent");

        uint256 shares = s * VIRTUAL_SHARES; // the first stake of an empty pool
        uint256[5] memory at = [uint256(0), 1, 5, 13, 20];
        for (uint256 i; i < at.length; ++i) {
            vm.roll(t0 + at[i]);
            // vested = ⌊d·k/tempo⌋ (down: nothing is paid before it vests)
            uint256 vested = (d * at[i]) / tempo;
            IAlphaPoolsTypes.HotkeyPool memory hp = pools.hotkeyPool(OWNER1_HOTKEY, net1);
            assertEq(hp.alphaRao, s + vested, "vested alpha");
            assertEq(hp.unvestedAlphaRao, d - vested, "unvested alpha");
            assertEq(
                pools.getStake(OWNER1_HOTKEY, ck(alice), net1),
                _alphaDown(shares, s + vested, shares),
                "alice's value rises with the vesting"
            );
        }
        vm.roll(t0 + 3 * tempo);
        assertEq(pools.hotkeyPool(OWNER1_HOTKEY, net1).alphaRao, s + d, "all vested, no more");
        assertEq(pools.instanceStake(net1, gen, OWNER1_HOTKEY, ck(alice)), _alphaDown(shares, s + d, shares), "view");
    }

    /// @dev Bob stakes halfway through the vesting: he buys at the vested value and shares only in what vests after.
    function test_creditDividend_aStakeArrivingLaterSharesOnlyInWhatVestsAfter() public {
        uint256 s = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        (uint32 gen, IAlphaPoolsTypes.PendingEmission memory pot) = _closeAfter(20);
        uint256 d = pot.validatorAlphaRao;
        uint256 t0 = _now();
        vm.prank(settler);
        pools.creditDividend(net1, gen, OWNER1_HOTKEY, ck(owner1), d);
        uint256 aliceShares = s * VIRTUAL_SHARES;

        vm.roll(t0 + tempo / 2);
        uint256 v = (d * (tempo / 2)) / tempo;
        uint256 b = _stake(bob, OWNER1_HOTKEY, net1, 10 * TAO);
        uint256 bobShares = _sharesDown(b, s + v, aliceShares);
        assertEq(_sharesOf(net1, gen, OWNER1_HOTKEY, ck(bob)), bobShares, "bob bought at the vested value");
        IAlphaPoolsTypes.HotkeyPool memory stored = _storedHotkeyPool(net1, gen, OWNER1_HOTKEY);
        assertEq(stored.alphaRao, s + v + b, "synced at bob's stake");
        assertEq(stored.unvestedAlphaRao, d - v, "the rest still vesting");
        assertEq(stored.vestingBlocksLeft, tempo - tempo / 2, "over the blocks left");

        vm.roll(t0 + tempo);
        uint256 total = s + b + d;
        uint256 totalShares = aliceShares + bobShares;
        uint256 bobValue = pools.getStake(OWNER1_HOTKEY, ck(bob), net1);
        uint256 aliceValue = pools.getStake(OWNER1_HOTKEY, ck(alice), net1);
        assertEq(bobValue, _alphaDown(bobShares, total, totalShares), "bob at the end");
        assertEq(aliceValue, _alphaDown(aliceShares, total, totalShares), "alice at the end");
        // bob's gain is his pro-rata part of the half that vested after he came: (d − v)·b/(s + v + b)
        uint256 fairGain = ((d - v) * b) / (s + v + b);
        assertApproxAbs(bobValue - b, fairGain, 2, "bob gains his share of the later half");
        assertLt(bobValue - b, (d * b) / (s + b) / 2 + 2, "about half of what an instant dividend would give");
        assertLe(aliceValue + bobValue, s + b + d, "never more than credited");
    }

    function test_creditDividend_toAnEmptyPoolGoesToTheOwnerAsStake() public {
        (uint32 gen, IAlphaPoolsTypes.PendingEmission memory pot) = _closeAfter(20);
        vmx.expectEmit(true, true, true, true, address(pools));
        emit IAlphaPoolsTypes.CreditStake(net1, OWNER1_HOTKEY, ck(owner1), pot.validatorAlphaRao);
        vm.prank(settler);
        pools.creditDividend(net1, gen, OWNER1_HOTKEY, ck(owner1), pot.validatorAlphaRao);
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(owner1), net1), pot.validatorAlphaRao, "the owner's stake, now");
        assertEq(pools.hotkeyPool(OWNER1_HOTKEY, net1).unvestedAlphaRao, 0, "nothing vesting");
        // a newcomer right after gets none of it
        uint256 b = _stake(bob, OWNER1_HOTKEY, net1, TAO);
        assertLe(pools.getStake(OWNER1_HOTKEY, ck(bob), net1), b, "no gift to a newcomer");
    }

    /// @dev Alice, the only holder, leaves a quarter into the vesting: she takes what vested, the hotkey's owner
    /// receives the rest as stake at once.
    function test_creditDividend_lastHolderLeavingGivesTheUnvestedRestToTheOwner() public {
        uint256 s = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        (uint32 gen, IAlphaPoolsTypes.PendingEmission memory pot) = _closeAfter(20);
        uint256 d = pot.validatorAlphaRao;
        uint256 t0 = _now();
        vm.prank(settler);
        pools.creditDividend(net1, gen, OWNER1_HOTKEY, ck(owner1), d);
        vm.roll(t0 + tempo / 4);
        uint256 v = (d * (tempo / 4)) / tempo;
        uint256 shares = s * VIRTUAL_SHARES;
        uint256 available = _alphaDown(shares, s + v, shares);
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), net1), available, "alice's part so far");
        (uint256 x, uint256 y) = _reservesNow(net1);
        vm.prank(alice);
        uint256 taoOut = pools.removeStakeFull(OWNER1_HOTKEY, net1, 0, NO_DEADLINE);
        assertEq(taoOut, _sellDown(available, x, y, FEE), "alice sold what vested");
        // what her shares could not claim (virtual-share dust) stays; the unvested rest becomes the owner's shares
        uint256 dust = s + v - available;
        uint256 unvested = d - v;
        uint256 ownerShares = _sharesDown(unvested, dust, 0);
        assertEq(_sharesOf(net1, gen, OWNER1_HOTKEY, ck(owner1)), ownerShares, "owner's shares");
        IAlphaPoolsTypes.HotkeyPool memory hp = pools.hotkeyPool(OWNER1_HOTKEY, net1);
        assertEq(hp.unvestedAlphaRao, 0, "nothing vesting any more");
        assertEq(hp.alphaRao, dust + unvested, "the pool holds the rest");
        assertEq(
            pools.getStake(OWNER1_HOTKEY, ck(owner1), net1),
            _alphaDown(ownerShares, dust + unvested, ownerShares),
            "the owner's stake"
        );
        _advance(tempo);
        assertEq(pools.hotkeyPool(OWNER1_HOTKEY, net1).alphaRao, dust + unvested, "no later vesting");
    }

    function test_creditDividend_aSecondDividendRestartsTheVestingWithTheRest() public {
        uint256 s = _stake(alice, OWNER1_HOTKEY, net1, 10 * TAO);
        (uint32 gen, IAlphaPoolsTypes.PendingEmission memory pot) = _closeAfter(40);
        uint256 d1 = pot.validatorAlphaRao / 2;
        uint256 d2 = pot.validatorAlphaRao - d1;
        uint256 t0 = _now();
        vm.prank(settler);
        pools.creditDividend(net1, gen, OWNER1_HOTKEY, ck(owner1), d1);
        vm.roll(t0 + 5);
        vm.prank(settler);
        pools.creditDividend(net1, gen, OWNER1_HOTKEY, ck(owner1), d2);
        // the credit itself does not sync the vested part into the stored alpha; the view applies it
        uint256 v1 = (d1 * 5) / tempo;
        IAlphaPoolsTypes.HotkeyPool memory hp = pools.hotkeyPool(OWNER1_HOTKEY, net1);
        assertEq(hp.alphaRao, s + v1, "vested so far");
        assertEq(hp.unvestedAlphaRao, d1 - v1 + d2, "the rest of the first plus the second");
        assertEq(hp.vestingBlocksLeft, tempo, "over a fresh tempo");
        assertEq(hp.vestingEndBlock, t0 + 5 + tempo, "ending a tempo from now");
        vm.roll(t0 + 5 + tempo);
        assertEq(pools.hotkeyPool(OWNER1_HOTKEY, net1).alphaRao, s + d1 + d2, "all vested by the new end");
    }

    function test_RevertWhen_creditDividend_payoutExceedsPot() public {
        _stake(alice, OWNER1_HOTKEY, net1, TAO);
        (uint32 gen, ) = _closeAfter(20);
        uint256 owed = _owedSettlement(net1);
        vm.prank(settler);
        vm.expectRevert(_err(IAlphaPoolsTypes.PayoutExceedsPot.selector, owed + 1, owed));
        pools.creditDividend(net1, gen, OWNER1_HOTKEY, ck(owner1), owed + 1);
    }

    /* recycleAlpha */

    function test_recycleAlpha_lowersTheIssuance() public {
        (uint32 gen, IAlphaPoolsTypes.PendingEmission memory pot) = _closeAfter(20);
        uint256 issuance0 = _books(net1).alphaIssuanceRao;
        uint256 owed = _owedSettlement(net1);
        vmx.expectEmit(true, true, true, true, address(pools));
        emit IAlphaPoolsTypes.RecycleAlpha(net1, pot.serverAlphaRao);
        vm.prank(settler);
        pools.recycleAlpha(net1, gen, pot.serverAlphaRao);
        assertEq(_books(net1).alphaIssuanceRao, issuance0 - pot.serverAlphaRao, "out of issuance");
        assertEq(_owedSettlement(net1), owed - pot.serverAlphaRao, "debt spent");
        vm.prank(settler);
        vm.expectRevert(
            _err(IAlphaPoolsTypes.PayoutExceedsPot.selector, owed - pot.serverAlphaRao + 1, owed - pot.serverAlphaRao)
        );
        pools.recycleAlpha(net1, gen, owed - pot.serverAlphaRao + 1);
    }

    /* setMinerBurn */

    function test_setMinerBurn_scalesTheWeight() public {
        _advance(30);
        pools.poke(net1);
        IAlphaPoolsTypes.Emission memory em = _emission(net1);
        uint256 movingRao = em.movingPriceWad / 1e9;
        assertEq(em.weight, movingRao, "no burn: weight = moving price");
        vmx.expectEmit(true, true, true, true, address(pools));
        emit IAlphaPoolsTypes.SetMinerBurn(net1, 20_000);
        vm.prank(settler);
        pools.setMinerBurn(net1, 20_000);
        assertEq(pools.subnetConfig(net1).minerBurnOf65535, 20_000, "stored");
        uint256 weight = (movingRao * (FEE_DENOMINATOR - 20_000)) / FEE_DENOMINATOR;
        assertEq(_emission(net1).weight, weight, "weight x (1 - burn)");
        assertEq(_global().totalWeight, weight, "total weight");
        assertEq(_global().sumMovingPriceRao, movingRao, "the moving price itself is unchanged");
        // a full burn floors the weight at 1
        vm.prank(settler);
        pools.setMinerBurn(net1, uint16(FEE_DENOMINATOR));
        assertEq(_emission(net1).weight, 1, "at least 1");
    }

    /// The settlement passes every epoch's burn; an unchanged one must not catch the subnet up (about 40k gas of a
    /// finalisation) nor announce a change.
    function test_setMinerBurn_unchangedChangesNothing() public {
        _advance(30);
        pools.poke(net1);
        vm.prank(settler);
        pools.setMinerBurn(net1, 20_000);
        _advance(10);
        IAlphaPoolsTypes.Pool memory before = _pool(net1);
        IAlphaPoolsTypes.Emission memory emBefore = _emission(net1);
        uint256 totalWeight = _global().totalWeight;
        vmx.recordLogs();
        vm.prank(settler);
        pools.setMinerBurn(net1, 20_000);
        assertEq(vmx.getRecordedLogs().length, 0, "no event, no catch-up event");
        assertEq(_pool(net1).lastAccrualBlock, before.lastAccrualBlock, "not caught up");
        assertEq(_emission(net1).weight, emBefore.weight, "weight unchanged");
        assertEq(_global().totalWeight, totalWeight, "total weight unchanged");
        // A different burn still catches up first, then reweighs.
        vm.prank(settler);
        pools.setMinerBurn(net1, 20_001);
        assertEq(_pool(net1).lastAccrualBlock, vmx.getBlockNumber(), "caught up before the change");
        assertEq(pools.subnetConfig(net1).minerBurnOf65535, 20_001, "stored");
    }

    function test_setMinerBurn_beforeTheStartCallOnlyStoresIt() public {
        uint16 quiet = _newSubnet(owner2, OWNER2_HOTKEY);
        uint256 total0 = _global().totalWeight;
        vm.prank(settler);
        pools.setMinerBurn(quiet, 30_000);
        assertEq(pools.subnetConfig(quiet).minerBurnOf65535, 30_000, "stored");
        assertEq(_emission(quiet).weight, 0, "no weight");
        assertEq(_global().totalWeight, total0, "total unchanged");
        vm.prank(settler);
        vm.expectRevert(_err(IAlphaPoolsTypes.RootSubnet.selector, 0));
        pools.setMinerBurn(0, 1);
    }

    /* generations and roles */

    function test_RevertWhen_settlementHooks_staleGeneration() public {
        _newStartedSubnet(owner2, OWNER2_HOTKEY);
        uint16 net3 = _newSubnet(owner3, OWNER3_HOTKEY); // never started: pruned first
        _advance(NETWORK_IMMUNITY + 1);
        bytes32 hotkey4 = _hotkey(address(0x0E4F), stranger);
        assertEq(_newSubnet(stranger, hotkey4), net3, "net3 reused");
        bytes memory stale = abi.encodeWithSelector(IAlphaPoolsTypes.StaleGeneration.selector, net3, 1, 2);
        vm.startPrank(settler);
        vm.expectRevert(stale);
        pools.creditStake(net3, 1, OWNER3_HOTKEY, ck(owner3), 1);
        vm.expectRevert(stale);
        pools.creditDividend(net3, 1, OWNER3_HOTKEY, ck(owner3), 1);
        vm.expectRevert(stale);
        pools.recycleAlpha(net3, 1, 1);
        vm.stopPrank();
        vm.startPrank(rootHook);
        vm.expectRevert(stale);
        pools.assignRootDividend(net3, 1, 1);
        vm.expectRevert(stale);
        pools.payRootDividend(net3, 1, OWNER3_HOTKEY, ck(owner3), 1, true);
        vm.stopPrank();
    }

    function test_RevertWhen_settlementHooks_callerIsNotSettler() public {
        bytes32 role = pools.SETTLER_ROLE();
        bytes memory denied = _unauthorized(stranger, role);
        vm.startPrank(stranger);
        vm.expectRevert(denied);
        pools.creditStake(net1, 1, OWNER1_HOTKEY, ck(stranger), 1);
        vm.expectRevert(denied);
        pools.creditDividend(net1, 1, OWNER1_HOTKEY, ck(stranger), 1);
        vm.expectRevert(denied);
        pools.recycleAlpha(net1, 1, 1);
        vm.expectRevert(denied);
        pools.setMinerBurn(net1, 1);
        vm.stopPrank();
        // root dividend hooks belong to RootDividends, even for the settler
        bytes32 rootRole = pools.ROOT_DIVIDENDS_ROLE();
        vm.startPrank(settler);
        vm.expectRevert(_unauthorized(settler, rootRole));
        pools.assignRootDividend(net1, 1, 1);
        vm.expectRevert(_unauthorized(settler, rootRole));
        pools.payRootDividend(net1, 1, OWNER1_HOTKEY, ck(settler), 1, false);
        vm.stopPrank();
    }

    /* root dividends (the pools' side) */

    function test_assignRootDividend_movesSettlementDebtToRootDebt() public {
        (uint32 gen, ) = _closeAfter(20);
        uint256 owed = _owedSettlement(net1);
        vmx.expectEmit(true, true, true, true, address(pools));
        emit IAlphaPoolsTypes.AssignRootDividend(net1, 3 * TAO);
        vm.prank(rootHook);
        pools.assignRootDividend(net1, gen, 3 * TAO);
        (uint256 settlementOwed, uint256 rootOwed) = pools.owedAlpha(net1, gen);
        assertEq(settlementOwed, owed - 3 * TAO, "settlement debt");
        assertEq(rootOwed, 3 * TAO, "root debt");
        vm.prank(rootHook);
        vm.expectRevert(_err(IAlphaPoolsTypes.PayoutExceedsPot.selector, owed, owed - 3 * TAO));
        pools.assignRootDividend(net1, gen, owed);
    }

    function test_payRootDividend_swapSellsFeelessAndStakesOnRoot() public {
        (uint32 gen, ) = _closeAfter(20);
        vm.prank(rootHook);
        pools.assignRootDividend(net1, gen, 3 * TAO);
        (uint256 x, uint256 y) = _reservesNow(net1);
        uint256 expectedTao = _outDown(2 * TAO, y, x); // no fee
        vmx.expectEmit(true, true, true, true, address(pools));
        emit IAlphaPoolsTypes.PayRootDividend(net1, OWNER1_HOTKEY, ck(alice), 2 * TAO, expectedTao);
        vm.prank(rootHook);
        uint256 taoRao = pools.payRootDividend(net1, gen, OWNER1_HOTKEY, ck(alice), 2 * TAO, true);
        assertEq(taoRao, expectedTao, "TAO");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), 0), expectedTao, "restaked on root");
        assertEq(_rootStake().taoRao, expectedTao, "root TAO");
        IAlphaPoolsTypes.Pool memory p = _pool(net1);
        assertEq(p.alphaRao, y + 2 * TAO, "the alpha entered the pool");
        assertEq(p.taoRao, x - expectedTao, "the TAO left it");
        (, uint256 rootOwed) = pools.owedAlpha(net1, gen);
        assertEq(rootOwed, TAO, "root debt spent");
        vm.prank(rootHook);
        vm.expectRevert(_err(IAlphaPoolsTypes.PayoutExceedsPot.selector, TAO + 1, TAO));
        pools.payRootDividend(net1, gen, OWNER1_HOTKEY, ck(alice), TAO + 1, true);
    }

    function test_payRootDividend_keepStakesTheAlphaOnTheSubnet() public {
        (uint32 gen, ) = _closeAfter(20);
        vm.prank(rootHook);
        pools.assignRootDividend(net1, gen, 3 * TAO);
        IAlphaPoolsTypes.Pool memory p0 = _pool(net1);
        vm.prank(rootHook);
        uint256 taoRao = pools.payRootDividend(net1, gen, OWNER1_HOTKEY, ck(alice), 3 * TAO, false);
        assertEq(taoRao, 0, "no TAO");
        assertEq(pools.getStake(OWNER1_HOTKEY, ck(alice), net1), 3 * TAO, "alpha stake on the subnet");
        assertEq(_pool(net1).alphaRao, p0.alphaRao, "no swap");
    }

    /* registry hooks */

    function test_openSubnet_setsEverySettingAfresh() public {
        vm.deal(registrar, _wei(50 * TAO));
        vmx.expectEmit(true, true, true, true, address(pools));
        emit IAlphaPoolsTypes.OpenSubnet(200, 1, 50 * TAO, 70 * TAO);
        vm.prank(registrar);
        pools.openSubnet{value: _wei(50 * TAO)}(200, 70 * TAO, 123, 44, 30, false);
        IAlphaPoolsTypes.SubnetConfig memory c = pools.subnetConfig(200);
        assertEq(c.minStakeRao, 123, "min stake");
        assertEq(c.feeRateOf65535, 44, "fee");
        assertEq(c.tempo, 30, "tempo");
        assertTrue(!c.transfersEnabled, "transfers");
        assertEq(c.generation, 1, "generation");
        assertEq(c.firstEmissionBlock, 0, "not started");
        assertEq(c.minerBurnOf65535, 0, "no burn");
        assertTrue(c.active, "active");
        IAlphaPoolsTypes.Pool memory p = _pool(200);
        assertEq(p.taoRao, 50 * TAO, "TAO");
        assertEq(p.alphaRao, 70 * TAO, "alpha");
        assertEq(_books(200).alphaIssuanceRao, 70 * TAO, "issuance");
    }

    function test_RevertWhen_openSubnet_badInput() public {
        vm.deal(registrar, 10 ether);
        vm.startPrank(registrar);
        vm.expectRevert(_err(IAlphaPoolsTypes.RootSubnet.selector, 0));
        pools.openSubnet{value: _wei(TAO)}(0, TAO, 0, 33, 20, true);
        vm.expectRevert(_err(IAlphaPoolsTypes.SubnetAlreadyOpen.selector, net1));
        pools.openSubnet{value: _wei(TAO)}(net1, TAO, 0, 33, 20, true);
        vm.expectRevert(_err(IAlphaPoolsTypes.FeeRateTooHigh.selector, 10_001, 10_000));
        pools.openSubnet{value: _wei(TAO)}(200, TAO, 0, 10_001, 20, true);
        vm.expectRevert(_err(IAlphaPoolsTypes.ReservesTooLow.selector, MIN_RESERVE - 1, MIN_RESERVE));
        pools.openSubnet{value: _wei(MIN_RESERVE - 1)}(200, TAO, 0, 33, 20, true);
        vm.expectRevert(_err(IAlphaPoolsTypes.ReservesTooLow.selector, 5, MIN_RESERVE));
        pools.openSubnet{value: _wei(TAO)}(200, 5, 0, 33, 20, true);
        vm.expectRevert(_err(UnitsLib.NotWholeRao.selector, _wei(TAO) + 1));
        pools.openSubnet{value: _wei(TAO) + 1}(200, TAO, 0, 33, 20, true);
        vm.stopPrank();
        _pause();
        vm.prank(registrar);
        vm.expectRevert(Pausable.EnforcedPause.selector);
        pools.openSubnet{value: _wei(TAO)}(200, TAO, 0, 33, 20, true);
    }

    function test_RevertWhen_registryHooks_callerIsNotRegistry() public {
        bytes32 role = pools.REGISTRY_ROLE();
        bytes memory denied = _unauthorized(stranger, role);
        vm.deal(stranger, 1 ether);
        vm.startPrank(stranger);
        vm.expectRevert(denied);
        pools.openSubnet{value: _wei(TAO)}(200, TAO, 0, 33, 20, true);
        vm.expectRevert(denied);
        pools.startEmission(net1, 0);
        vm.expectRevert(denied);
        pools.importStake(net1, new ISubnetRegistry.GenesisNeuron[](0));
        vm.expectRevert(denied);
        pools.setSubnetSettings(net1, 1, 1, 20, true);
        vm.expectRevert(denied);
        pools.dissolveSubnet(net1);
        vm.expectRevert(denied);
        pools.closePosition(net1, 1, OWNER1_HOTKEY, ck(stranger));
        vm.stopPrank();
        bytes32 metagraphRole = pools.METAGRAPH_ROLE();
        vm.prank(stranger);
        vm.expectRevert(_unauthorized(stranger, metagraphRole));
        pools.buyAndBurnAlpha{value: _wei(TAO)}(net1);
    }

    function test_RevertWhen_startEmission_rootOrUnknown() public {
        vm.startPrank(registrar);
        vm.expectRevert(_err(IAlphaPoolsTypes.RootSubnet.selector, 0));
        pools.startEmission(0, 0);
        vm.expectRevert(_err(IAlphaPoolsTypes.UnknownSubnet.selector, 77));
        pools.startEmission(77, 0);
        vm.stopPrank();
    }

    function test_setSubnetSettings_accruesFirstThenStores() public {
        _advance(5);
        vmx.expectEmit(true, true, true, true, address(pools));
        emit IAlphaPoolsTypes.SetSubnetSettings(net1, uint64(7 * TAO), 500, 40, false);
        vm.prank(registrar);
        pools.setSubnetSettings(net1, uint64(7 * TAO), 500, 40, false);
        assertEq(_pool(net1).lastAccrualBlock, _now(), "caught up at the old settings");
        IAlphaPoolsTypes.SubnetConfig memory c = pools.subnetConfig(net1);
        assertEq(c.minStakeRao, 7 * TAO, "min stake");
        assertEq(c.feeRateOf65535, 500, "fee");
        assertEq(c.tempo, 40, "tempo");
        assertTrue(!c.transfersEnabled, "transfers");
        vm.startPrank(registrar);
        vm.expectRevert(_err(IAlphaPoolsTypes.FeeRateTooHigh.selector, 10_001, 10_000));
        pools.setSubnetSettings(net1, 1, 10_001, 20, true);
        vm.expectRevert(_err(IAlphaPoolsTypes.RootSubnet.selector, 0));
        pools.setSubnetSettings(0, 1, 1, 20, true);
        vm.stopPrank();
        // the new minimum applies to the next stake
        uint256 minGross = _grossForNetUp(7 * TAO, 500);
        vm.deal(alice, _wei(minGross));
        vm.prank(alice);
        vm.expectRevert(_err(IAlphaPoolsTypes.AmountTooLow.selector, minGross - 1, minGross));
        pools.addStake{value: _wei(minGross - 1)}(OWNER1_HOTKEY, net1, 0, NO_DEADLINE);
    }

    /* metagraph hook */

    /// @dev A neuron registration's burn buys alpha with the pool's fee (kept in the pool) and destroys it: the
    /// pool's TAO grows by the burn, the alpha leaves the issuance.
    function test_buyAndBurnAlpha_destroysTheAlphaBought() public {
        bytes32 v1 = _hotkey(validator1, owner1);
        (uint256 x, uint256 y) = _reservesNow(net1);
        uint256 issuance0 = _books(net1).alphaIssuanceRao;
        uint256 burn = metagraph.burnCost(net1);
        uint256 bought = _buyDown(burn, x, y, FEE);
        vmx.expectEmit(true, true, true, true, address(pools));
        emit IAlphaPoolsTypes.BuyAndBurnAlpha(net1, burn, bought);
        _registerNeuron(net1, owner1, v1);
        IAlphaPoolsTypes.Pool memory p = _pool(net1);
        assertEq(p.taoRao, x + burn, "the burn is in the pool");
        assertEq(p.alphaRao, y - bought, "alpha bought out");
        assertEq(_books(net1).alphaIssuanceRao, issuance0 - bought, "and destroyed");
        assertEq(_emission(net1).unownedAlphaRao, 0, "not held by anyone");
    }

    /* ledger storage */

    /// @dev The tests read shares from storage; this pins the slots they assume.
    function test_storageLayout_ledgerSlots() public {
        uint256 a = _stake(alice, OWNER1_HOTKEY, net1, TAO);
        uint256 b = _stake(bob, OWNER1_HOTKEY, net1, 3 * TAO);
        IAlphaPoolsTypes.HotkeyPool memory view_ = pools.hotkeyPool(OWNER1_HOTKEY, net1);
        IAlphaPoolsTypes.HotkeyPool memory stored = _storedHotkeyPool(net1, 1, OWNER1_HOTKEY);
        assertEq(stored.alphaRao, view_.alphaRao, "hotkey pool alpha at slot 10");
        assertEq(stored.shares, view_.shares, "hotkey pool shares at slot 10");
        assertEq(_sharesOf(net1, 1, OWNER1_HOTKEY, ck(alice)), a * VIRTUAL_SHARES, "shares at slot 11");
        assertEq(
            _sharesOf(net1, 1, OWNER1_HOTKEY, ck(alice)) + _sharesOf(net1, 1, OWNER1_HOTKEY, ck(bob)),
            view_.shares,
            "holders' shares sum to the total"
        );
        assertEq(view_.alphaRao, a + b, "alpha");
    }
}
