"""The node: protocol logic that turns messages and the time into effects (core.py), the messages
nodes exchange (messages.py) and the effects a host carries out (effects.py).

A lab that speaks the protocol by hand (a forged Hello, a batch of Blocks) imports its vocabulary
from here; NodeCore and NodeConfig are also part of `minichain`'s own API.
"""

from minichain.node.core import NodeConfig, NodeCore
from minichain.node.effects import Ban, Disconnect, Effect, Event, Persist, Send, WakeAt
from minichain.node.messages import (
    Blocks,
    GetBlocks,
    GetData,
    Hello,
    Inventory,
    Message,
    Reject,
    Status,
    Transactions,
    decode_message,
    encode_message,
)

__all__ = ["Ban", "Blocks", "Disconnect", "Effect", "Event", "GetBlocks", "GetData", "Hello", "Inventory",
           "Message", "NodeConfig", "NodeCore", "Persist", "Reject", "Send", "Status", "Transactions",
           "WakeAt", "decode_message", "encode_message"]
