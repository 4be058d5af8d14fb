// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ISubnetRegistry} from "../../../contracts/interfaces/ISubnetRegistry.sol";
import {Draft} from "./ReportLib.sol";
import {SettlementBase} from "./SettlementBase.sol";

/// @notice The work of closing, submitting and finalising an epoch does not grow with the subnet's uids: the same
/// report (two validators paid, two miners' leaves) costs the same at 5 uids and at 256.
/// @dev Epoch 1 warms every account and pool up; epoch 2 is measured at 5 uids; 251 neurons then register; epoch 3
/// is measured at 256 uids. Both measured epochs find the same storage in the same state (a new epoch record, pools
/// already vesting), so any difference is work that depends on the uid count.
contract EpochSettlementGasTest is SettlementBase {
    /// @dev What may differ between the two measurements: a few cold reads or a non-zero to non-zero write, never
    /// work per uid (one uid's worth of storage is already above 2,100 gas).
    uint256 internal constant TOLERANCE_GAS = 1_000;

    /// @dev The last measured epoch's gas (kept in storage: a memory struct alive across the draft's building is
    /// too deep for the stack under via-IR).
    uint256 internal closeGas;
    uint256 internal submitGas;
    uint256 internal finaliseGas;

    function setUp() public virtual override {
        super.setUp();
        _openEconomy();
        ISubnetRegistry.Hyperparameters memory hp = registry.hyperparameters(netuid);
        hp.maxUids = 256;
        vm.prank(owner1);
        registry.setHyperparameters(netuid, hp);
        _stake(alice, V1, netuid, 20 * TAO);
    }

    /// @dev Closes, submits and finalises the next epoch with the standard split, measuring each call.
    function _settleMeasured() internal returns (uint256 close, uint256 submit, uint256 finalise) {
        _closeMeasured();
        (, uint32 epoch, , ) = settlement.progress(netuid);
        Draft memory d = _standardDraft(epoch);
        _submitMeasured(d);
        _finaliseMeasured(d);
        return (closeGas, submitGas, finaliseGas);
    }

    function _closeMeasured() internal {
        _rollToDue(netuid);
        uint256 left = gasleft();
        settlement.closeEpoch(netuid);
        closeGas = left - gasleft();
    }

    function _submitMeasured(Draft memory d) internal {
        bytes[] memory signatures = _quorumSignatures(d.report);
        uint256 left = gasleft();
        settlement.submitReport(d.report, signatures);
        submitGas = left - gasleft();
    }

    function _finaliseMeasured(Draft memory d) internal {
        uint256 left = gasleft();
        settlement.finaliseEpoch(d.report, d.validators, d.permitWords);
        finaliseGas = left - gasleft();
    }

    function test_gas_closeSubmitFinaliseDoNotGrowWithUids() public {
        _settleMeasured(); // warm-up
        assertEq(metagraph.neuronCount(netuid), 5, "the owner, two validators, two miners");
        (uint256 closeFew, uint256 submitFew, uint256 finaliseFew) = _settleMeasured();
        for (uint256 i = metagraph.neuronCount(netuid); i < 256; ++i) {
            address filler = address(uint160(0xF1_0000 + i));
            _registerNeuron(netuid, filler, pools.coldkeyOf(filler));
        }
        assertEq(metagraph.neuronCount(netuid), 256, "256 uids");
        (uint256 closeMany, uint256 submitMany, uint256 finaliseMany) = _settleMeasured();
        assertApproxAbs(closeMany, closeFew, TOLERANCE_GAS, "close");
        assertApproxAbs(submitMany, submitFew, TOLERANCE_GAS, "submit");
        assertApproxAbs(finaliseMany, finaliseFew, TOLERANCE_GAS, "finalise");
    }
}
