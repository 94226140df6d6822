// SPDX-License-Identifier: Apache-2.0
// avm-debug's own test bridge: it stands in for the sequencer inbox and for the delayed bridge, holding
// only what OneStepProof reads from them during an `inbox` step (`inboxAccs(uint256)`).
pragma solidity ^0.6.11;

contract TestInboxAccs {
    bytes32[] public inboxAccs;

    function setAccs(bytes32[] calldata accs) external {
        delete inboxAccs;
        for (uint256 i = 0; i < accs.length; i++) {
            inboxAccs.push(accs[i]);
        }
    }
}
