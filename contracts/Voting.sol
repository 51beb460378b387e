// SPDX-License-Identifier: MIT
pragma solidity ^0.8.11;

/// @title One member, one vote, counted in public.
/// @notice The chairperson (the deployer) lists the proposals and gives members the right to
/// vote; every vote is an event anyone can recount. What the contract cannot know: whether a
/// member is who they claim to be off-chain, or whether they were pressed to vote a certain way.
contract Voting {
    struct Proposal {
        string name;
        uint256 votes;
    }

    address public chairperson;
    Proposal[] public proposals;
    mapping(address => bool) public canVote;
    mapping(address => bool) public hasVoted;

    event RightGiven(address indexed voter);
    event Voted(address indexed voter, uint256 indexed proposal);

    constructor(string[] memory names) {
        require(names.length > 0, "no proposals");
        chairperson = msg.sender;
        for (uint256 i = 0; i < names.length; i++) {
            proposals.push(Proposal({name: names[i], votes: 0}));
        }
    }

    function giveRightToVote(address voter) external {
        require(msg.sender == chairperson, "only the chairperson gives the right to vote");
        require(!canVote[voter], "already has the right to vote");
        canVote[voter] = true;
        emit RightGiven(voter);
    }

    function vote(uint256 proposal) external {
        require(canVote[msg.sender], "no right to vote");
        require(!hasVoted[msg.sender], "already voted");
        hasVoted[msg.sender] = true;
        proposals[proposal].votes += 1; // an unknown proposal index fails with Panic(0x32)
        emit Voted(msg.sender, proposal);
    }

    function proposalCount() external view returns (uint256) {
        return proposals.length;
    }

    function winningProposal() external view returns (uint256 winner, string memory name, uint256 votes) {
        for (uint256 i = 0; i < proposals.length; i++) {
            if (proposals[i].votes > votes) {
                winner = i;
                votes = proposals[i].votes;
            }
        }
        name = proposals[winner].name;
    }
}
