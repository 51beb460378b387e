"""The node: protocol logic that turns messages and the time into effects (core.py), the messages
nodes exchange (messages.py) and the effects a host carries out (effects.py)."""

from minichain.node.core import NodeConfig, NodeCore
from minichain.node.effects import Ban, Disconnect, Effect, Event, Persist, Send, WakeAt
from minichain.node.messages import Message, decode_message, encode_message

__all__ = ["Ban", "Disconnect", "Effect", "Event", "Message", "NodeConfig", "NodeCore", "Persist",
           "Send", "WakeAt", "decode_message", "encode_message"]
