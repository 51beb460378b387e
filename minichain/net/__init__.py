"""Transports for the node core: memory.py (virtual time, for labs and tests) and http.py
(FastAPI + httpx, for real nodes)."""
