// SPDX-License-Identifier: MIT
pragma solidity ^0.8.11;

/// A contract for the engine's tests: it reports what the EVM saw of its block and transaction.
contract Probe {
    uint256 public lastGasPrice;
    address public lastOrigin;
    uint256 public counter;

    event Tagged(string indexed tag, uint256[] values, bytes32 indexed label);

    function blockInfo() external view returns (
        uint256 number, uint256 timestamp, uint256 chainId, bytes32 parentHash, address coinbase,
        uint256 gasLimit, uint256 baseFee
    ) {
        return (block.number, block.timestamp, block.chainid, blockhash(block.number - 1),
                block.coinbase, block.gaslimit, block.basefee);
    }

    function record() external {
        lastGasPrice = tx.gasprice;
        lastOrigin = tx.origin;
        counter += 1;
    }

    function whoAmI() external view returns (address) {
        return msg.sender;
    }

    function signedBySender(bytes32 digest, uint8 v, bytes32 r, bytes32 s) external view returns (bool) {
        return ecrecover(digest, v, r, s) == msg.sender;
    }

    function tag(string calldata name, uint256[] calldata values) external {
        emit Tagged(name, values, keccak256(bytes(name)));
    }

    function spin() external view returns (uint256 i) {
        while (true) {
            i += 1;
        }
    }

    function burnAndRevert() external {
        counter += 1;
        revert();
    }

    function dive(uint256 depth) external {
        counter = depth;
        this.dive(depth + 1); // until the EVM's 1,024-call depth limit makes the deepest call fail
    }

    function destroy() external {
        selfdestruct(payable(msg.sender));
    }
}
