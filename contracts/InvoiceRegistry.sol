// SPDX-License-Identifier: MIT
pragma solidity ^0.8.11;

/// @title The capstone's e-invoice registry (电子发票登记).
/// @notice The tax authority (the deployer) admits issuers; an issuer issues an invoice to a
/// holder; the holder may transfer it, and redeems it once (for reimbursement or a tax credit).
/// The rule the registry exists for: an invoice is redeemed at most once, on every node, so the
/// same invoice can never be claimed twice. What it cannot know: whether the goods were real.
contract InvoiceRegistry {
    enum Status { None, Issued, Redeemed }

    struct Invoice {
        address issuer;
        address holder;
        uint256 amount;       // in fen (0.01 yuan)
        bytes32 contentHash;  // hash of the invoice document, kept off-chain
        Status status;
    }

    address public authority;
    mapping(address => bool) public isIssuer;
    mapping(bytes32 => Invoice) private invoices;
    uint256 public issuedCount;
    uint256 public redeemedCount;

    event IssuerAdded(address indexed issuer);
    event Issued(bytes32 indexed id, string number, address indexed issuer, address indexed holder, uint256 amount);
    event Transferred(bytes32 indexed id, address indexed from, address indexed to);
    event Redeemed(bytes32 indexed id, address indexed holder, uint256 amount);

    constructor() {
        authority = msg.sender;
    }

    function addIssuer(address issuer) external {
        require(msg.sender == authority, "only the tax authority admits issuers");
        isIssuer[issuer] = true;
        emit IssuerAdded(issuer);
    }

    function issue(string calldata number, address holder, uint256 amount, bytes32 contentHash) external {
        require(isIssuer[msg.sender], "not an admitted issuer");
        require(bytes(number).length > 0 && bytes(number).length <= 64, "invoice number must be 1 to 64 bytes");
        require(amount > 0, "amount must be positive");
        bytes32 id = keccak256(bytes(number));
        require(invoices[id].status == Status.None, "invoice already issued");
        invoices[id] = Invoice(msg.sender, holder, amount, contentHash, Status.Issued);
        issuedCount += 1;
        emit Issued(id, number, msg.sender, holder, amount);
    }

    function transfer(string calldata number, address to) external {
        Invoice storage invoice = _held(number);
        require(to != address(0), "transfer to the zero address");
        invoice.holder = to;
        emit Transferred(keccak256(bytes(number)), msg.sender, to);
    }

    function redeem(string calldata number) external {
        Invoice storage invoice = _held(number);
        invoice.status = Status.Redeemed;
        redeemedCount += 1;
        emit Redeemed(keccak256(bytes(number)), msg.sender, invoice.amount);
    }

    function get(string calldata number)
        external
        view
        returns (address issuer, address holder, uint256 amount, bytes32 contentHash, Status status)
    {
        Invoice storage invoice = invoices[keccak256(bytes(number))];
        return (invoice.issuer, invoice.holder, invoice.amount, invoice.contentHash, invoice.status);
    }

    function _held(string calldata number) private view returns (Invoice storage invoice) {
        invoice = invoices[keccak256(bytes(number))];
        require(invoice.status != Status.None, "no such invoice");
        require(invoice.status != Status.Redeemed, "invoice already redeemed");
        require(invoice.holder == msg.sender, "only the holder may do this");
    }
}
