// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAlphaPools} from "../../../contracts/interfaces/IAlphaPools.sol";
import {AlphaPools} from "../../../contracts/model/AlphaPools.sol";
import {EmissionMath} from "../../../contracts/libraries/EmissionMath.sol";
import {Assertions} from "../utils/Assertions.sol";
import {VM, Vm} from "../utils/Vm.sol";

/// @notice Drives the pools with bounded stakes, unstakes, block moves, settlements and dissolutions, and keeps
/// ghost accounts of everything that went in and out.
contract PoolsHandler is Assertions {
    Vm internal constant vm = VM;
    uint256 internal constant D = 65_535;
    uint256 internal constant MIN_STAKE = 2_000_000;

    AlphaPools public immutable pools;
    uint16 public constant EMITTING = 1; // emission on
    uint16 public constant QUIET = 2; // no emission: a closed system of stakers
    uint16 public constant PRUNABLE = 3; // dissolved and reopened
    uint256 public constant QUIET_INITIAL_TAO = 500e9;
    bytes32 public constant H1 = keccak256("H1"); // owner hotkey of every subnet
    bytes32 public constant H2 = keccak256("H2"); // a validator/miner hotkey owned by actor 0

    address[3] internal actors = [address(0xA1), address(0xA2), address(0xA3)];
    bytes32[3] internal coldkeys;
    bool internal initialized;
    bytes32 public ownerColdkey;

    // ghosts
    uint256 public quietTaoIn;
    uint256 public quietTaoOut;
    bool public kDecreased;
    bool public alphaOverSchedule;
    bool public refundMismatch;
    uint256 public unclaimedPots;
    uint256 public calls;

    constructor(AlphaPools pools_) {
        pools = pools_;
        for (uint256 i; i < 3; ++i) coldkeys[i] = pools_.coldkeyOf(actors[i]);
        ownerColdkey = pools_.coldkeyOf(address(this));
    }

    function init() external {
        if (initialized) return; // the fuzzer may call it again
        initialized = true;
        _open(EMITTING, 1000e9, 1000e9);
        _open(QUIET, QUIET_INITIAL_TAO, 500e9);
        _open(PRUNABLE, 200e9, 200e9);
        pools.registerHotkey(H2, coldkeys[0]);
        pools.startEmission(EMITTING);
        pools.startEmission(PRUNABLE);
    }

    function _open(uint16 id, uint256 tao, uint256 alpha) internal {
        vm.deal(address(this), address(this).balance + tao * 1e9);
        pools.openSubnet{value: tao * 1e9}(id, H1, ownerColdkey, alpha, 20, 33, uint64(MIN_STAKE));
    }

    /// @dev Any index is valid (the fuzzer calls every public function).
    function coldkeyAt(uint256 i) external view returns (bytes32) {
        return coldkeys[i % 3];
    }

    function _net(uint256 seed) internal pure returns (uint16) {
        return uint16(seed % 3) + 1;
    }

    function _hk(uint256 seed) internal pure returns (bytes32) {
        return seed % 2 == 0 ? H1 : H2;
    }

    function _k(uint16 id) internal view returns (uint256) {
        AlphaPools.Pool memory p = pools.poolState(id);
        return uint256(p.taoReserve) * p.alphaReserve;
    }

    /// @dev Accrues `id` and checks that the alpha emitted follows the schedule exactly and the alpha injected
    /// stays within it.
    function _pokeChecked(uint16 id) internal {
        AlphaPools.Pool memory p = pools.poolState(id);
        AlphaPools.SubnetConfig memory c = pools.subnetConfig(id);
        AlphaPools.Bookkeeping memory b = pools.bookkeeping(id);
        pools.poke(id);
        if (c.firstEmissionBlock == 0 || block.number < c.firstEmissionBlock) return;
        uint256 from = p.lastAccrualBlock > c.firstEmissionBlock - 1 ? p.lastAccrualBlock : c.firstEmissionBlock - 1;
        if (from >= block.number) return;
        uint256 scheduled = EmissionMath.emissionOver(b.alphaIssuance, block.number - from);
        AlphaPools.Bookkeeping memory a = pools.bookkeeping(id);
        uint256 pendingGrowth =
            (uint256(a.ownerCut) + a.server + a.validator) - (uint256(b.ownerCut) + b.server + b.validator);
        if (pendingGrowth != scheduled) alphaOverSchedule = true;
        // issuance grows by the emission plus the injected alpha, which is capped at the emission
        if (a.alphaIssuance - b.alphaIssuance > 2 * scheduled) alphaOverSchedule = true;
    }

    function stake(uint256 actorSeed, uint256 netSeed, uint256 hkSeed, uint256 amount) external {
        ++calls;
        uint16 id = _net(netSeed);
        address actor = actors[actorSeed % 3];
        _pokeChecked(id);
        AlphaPools.Pool memory p = pools.poolState(id);
        amount = _bound(amount, 2_001_008, uint256(p.taoReserve) * 5);
        uint256 kBefore = _k(id);
        uint256 quote = pools.simSwapTaoForAlpha(id, amount);
        if (quote == 0 || p.alphaReserve - quote < 1_000_000) return;
        bytes32 hk = _hk(hkSeed);
        // a stake too small for one share of this hotkey pool is rejected: skip it
        uint256 total = pools.getTotalHotkeyAlpha(hk, id);
        uint256 sharesNow = _totalShares(id, hk);
        if (sharesNow != 0 && (quote * sharesNow) / total == 0) return;
        vm.deal(actor, amount * 1e9);
        vm.prank(actor);
        pools.addStake{value: amount * 1e9}(hk, id, 0, type(uint256).max);
        if (_k(id) < kBefore) kDecreased = true;
        if (id == QUIET) quietTaoIn += amount;
    }

    function unstake(uint256 actorSeed, uint256 netSeed, uint256 hkSeed, uint256 fraction) external {
        ++calls;
        uint16 id = _net(netSeed);
        uint256 i = actorSeed % 3;
        bytes32 hk = _hk(hkSeed);
        _pokeChecked(id);
        uint256 available = pools.getStake(hk, coldkeys[i], id);
        if (available == 0) return;
        uint256 sell = (available * _bound(fraction, 1, 10_000)) / 10_000;
        if (sell == 0) sell = available;
        uint256 quote = pools.simSwapAlphaForTao(id, sell);
        if (sell < available && quote < MIN_STAKE) {
            sell = available;
            quote = pools.simSwapAlphaForTao(id, sell);
        }
        AlphaPools.Pool memory p = pools.poolState(id);
        uint256 net = sell - (sell * 33 + D - 1) / D;
        if (quote == 0 || p.taoReserve - quote < 1_000_000 || net > uint256(p.alphaReserve) * 1000) return;
        uint256 kBefore = _k(id);
        vm.prank(actors[i]);
        uint256 out = pools.removeStake(hk, id, sell, 0, type(uint256).max);
        if (_k(id) < kBefore) kDecreased = true;
        if (id == QUIET) quietTaoOut += out;
    }

    function roll(uint256 blocks) external {
        ++calls;
        vm.roll(block.number + _bound(blocks, 1, 40));
    }

    function settle(uint256 netSeed, uint256 split) external {
        ++calls;
        uint16 id = netSeed % 2 == 0 ? EMITTING : PRUNABLE;
        AlphaPools.SubnetConfig memory c = pools.subnetConfig(id);
        if (block.number - c.lastEpochBlock < c.tempo) return;
        _pokeChecked(id);
        IAlphaPools.PendingEmission memory p = pools.pendingEmission(id);
        bytes32[] memory hks = new bytes32[](2);
        (hks[0], hks[1]) = (H2, H1);
        uint64[] memory inc = new uint64[](2);
        uint64[] memory div = new uint64[](2);
        inc[0] = uint64((uint256(p.server) * _bound(split, 0, 100)) / 100);
        div[1] = uint64((uint256(p.validator) * _bound(split >> 8, 0, 100)) / 100);
        pools.settleEpoch(id, IAlphaPools.EpochPayout({hotkeys: hks, incentive: inc, dividends: div, minerBurn: 0}));
    }

    /// @dev Prunes PRUNABLE: every holder claims, and each claim must be floor(alpha·tao/issuance).
    function dissolveAndClaim() external {
        ++calls;
        AlphaPools.SubnetConfig memory c = pools.subnetConfig(PRUNABLE);
        uint256 tao = pools.poolState(PRUNABLE).taoReserve;
        uint256 issuance = pools.bookkeeping(PRUNABLE).alphaIssuance;
        uint32 gen = pools.dissolveSubnet(PRUNABLE);
        if (gen != c.generation) refundMismatch = true;
        AlphaPools.Refund memory r = pools.refundState(PRUNABLE, gen);
        if (r.taoRao != tao || r.alphaIssuance != issuance) refundMismatch = true;
        uint256 claimed;
        uint256 holders;
        // Alpha of the virtual shares (SharesMath's offset): part of each hotkey's total that no holder owns.
        uint256 virtualAlpha;
        for (uint256 h; h < 2; ++h) {
            bytes32 hk = _hk(h);
            uint256 totalAlpha = _totalAlpha(PRUNABLE, hk);
            uint256 totalShares = _totalShares(PRUNABLE, hk);
            uint256 owned;
            for (uint256 i; i < 4; ++i) {
                bytes32 ckey = i < 3 ? coldkeys[i] : ownerColdkey;
                (uint256 alpha, ) = pools.getRefund(hk, ckey, PRUNABLE, gen);
                if (_shares(PRUNABLE, gen, hk, ckey) == 0) continue;
                ++holders;
                owned += alpha;
                uint256 got;
                if (i < 3) {
                    vm.prank(actors[i]);
                    got = pools.claimRefund(hk, PRUNABLE, gen);
                } else {
                    got = pools.claimRefund(hk, PRUNABLE, gen);
                }
                if (got != (alpha * tao) / issuance) refundMismatch = true;
                claimed += got;
            }
            // The unowned part is the virtual shares' value plus one alpha-rao of rounding per holder.
            uint256 unowned = totalAlpha - owned;
            if (unowned > ((totalAlpha + 1) * 1e9) / (totalShares + 1e9) + 4 + 1) refundMismatch = true;
            virtualAlpha += unowned;
        }
        if (claimed > r.potRao) refundMismatch = true;
        else if (r.potRao - claimed > holders + 1 + (virtualAlpha * tao + issuance - 1) / issuance) {
            refundMismatch = true;
        }
        unclaimedPots += r.potRao - (claimed > r.potRao ? r.potRao : claimed);
        // reopen for the next round
        _open(PRUNABLE, 200e9, 200e9);
        pools.startEmission(PRUNABLE);
    }

    /* storage reads of the ledger (slots pinned by test_storageLayout_ledgerSlots) */

    function _shares(uint16 id, uint32 gen, bytes32 hk, bytes32 ckey) public view returns (uint256) {
        uint48 instance = (uint48(gen) << 16) | id;
        bytes32 inner = keccak256(abi.encode(hk, keccak256(abi.encode(uint256(instance), uint256(10)))));
        return uint256(vm.load(address(pools), keccak256(abi.encode(ckey, inner))));
    }

    function _totalAlpha(uint16 id, bytes32 hk) public view returns (uint256) {
        uint48 instance = (uint48(pools.subnetConfig(id).generation) << 16) | id;
        bytes32 slot = keccak256(abi.encode(hk, keccak256(abi.encode(uint256(instance), uint256(9)))));
        return uint256(vm.load(address(pools), slot)) & type(uint128).max;
    }

    function _totalShares(uint16 id, bytes32 hk) public view returns (uint256) {
        uint48 instance = (uint48(pools.subnetConfig(id).generation) << 16) | id;
        bytes32 slot = keccak256(abi.encode(hk, keccak256(abi.encode(uint256(instance), uint256(9)))));
        return uint256(vm.load(address(pools), slot)) >> 128;
    }

    receive() external payable {}
}

/// @notice System invariants of the pools under random sequences of actions.
contract AlphaPoolsInvariantTest is Assertions {
    Vm internal constant vm = VM;
    AlphaPools internal pools;
    PoolsHandler internal handler;
    address internal admin = address(0xAD);

    function setUp() public {
        vm.roll(100);
        pools = new AlphaPools(admin, 1e17, 100, 0.18e18);
        handler = new PoolsHandler(pools);
        vm.startPrank(admin);
        pools.grantRole(pools.REGISTRY_ROLE(), address(handler));
        pools.grantRole(pools.METAGRAPH_ROLE(), address(handler));
        pools.grantRole(pools.SETTLER_ROLE(), address(handler));
        vm.stopPrank();
        vm.deal(address(this), 1_000_000 ether);
        pools.fundEmissionReserve{value: 50_000 ether}();
        handler.init();
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @dev The contract holds at least every liability: pool TAO, the emission reserve, unclaimed refund pots.
    function invariant_solvency() public view {
        uint256 liabilities = pools.treasury().emissionReserveRao + handler.unclaimedPots();
        for (uint16 id; id <= 3; ++id) liabilities += pools.poolState(id).taoReserve;
        assertGe(address(pools).balance, liabilities * 1e9, "balance >= liabilities");
    }

    function invariant_kNeverDecreasesOnSwap() public view {
        assertTrue(!handler.kDecreased(), "x*y decreased on a swap");
    }

    /// @dev Without emission the stakers together can take out at most what they put in, and the pool holds the
    /// difference exactly.
    function invariant_noTaoFromNothing() public view {
        uint256 inflow = handler.quietTaoIn();
        uint256 outflow = handler.quietTaoOut();
        assertLe(outflow, inflow, "stakers took out more than they put in");
        assertEq(
            pools.poolState(2).taoReserve,
            handler.QUIET_INITIAL_TAO() + inflow - outflow,
            "pool = initial + net in"
        );
    }

    /// @dev Each hotkey pool's shares are exactly the holders' shares, and the hotkeys hold exactly the staked alpha.
    function invariant_ledgerSharesSum() public view {
        for (uint16 id = 1; id <= 3; ++id) {
            uint32 gen = pools.subnetConfig(id).generation;
            uint256 totalAlpha;
            for (uint256 h; h < 2; ++h) {
                bytes32 hk = h == 0 ? handler.H1() : handler.H2();
                uint256 sum = handler._shares(id, gen, hk, handler.ownerColdkey());
                for (uint256 i; i < 3; ++i) sum += handler._shares(id, gen, hk, handler.coldkeyAt(i));
                assertEq(sum, handler._totalShares(id, hk), "sum of shares == totalShares");
                totalAlpha += pools.getTotalHotkeyAlpha(hk, id);
            }
            AlphaPools.Bookkeeping memory b = pools.bookkeeping(id);
            uint256 staked =
                uint256(b.alphaIssuance) -
                    pools.poolState(id).alphaReserve -
                    pools.protocolAlpha(id) -
                    b.ownerCut -
                    b.server -
                    b.validator;
            assertEq(totalAlpha, staked, "hotkeys hold exactly the staked alpha");
        }
    }

    function invariant_emissionWithinSchedule() public view {
        AlphaPools.Treasury memory t = pools.treasury();
        uint256 scheduled = pools.globalEmission().scheduledIssuance;
        assertLe(t.taoIssuedRao, scheduled, "TAO issued <= schedule");
        assertLe(uint256(t.taoIssuedRao) + t.unbackedEmissionRao, scheduled, "issued + unbacked <= schedule");
        assertTrue(!handler.alphaOverSchedule(), "alpha emission off schedule");
    }

    function invariant_refundsExact() public view {
        assertTrue(!handler.refundMismatch(), "a refund differed from floor(alpha*tao/issuance) or the pot");
    }

    receive() external payable {}
}
