#!/usr/bin/env bash
# `make demo`: a real 4-node PoA network (ports 8700-8703) and the explorer (http://127.0.0.1:8501)
# connected to it. Ctrl-C stops the explorer and every node. A node left running on one of these
# ports (restarted by hand in another terminal, say) is found first and named, with its pid.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
# The explorer's port first: `net up` checks its own ports and names what holds them.
"$VENV/bin/python" -c "
import sys
from minichain.net.launcher import port_holder
why = port_holder('127.0.0.1', 8501)
sys.exit(f'error [launch]: {why} (the explorer of an earlier make demo?)' if why else 0)"
"$VENV/bin/minichain" net up --nodes 4 --consensus poa --data-dir demo-data/net &
NET=$!
stop() { kill -TERM "$NET" 2>/dev/null || true; wait "$NET" 2>/dev/null || true; }
trap stop EXIT INT TERM
for _ in $(seq 1 60); do
  "$VENV/bin/python" -c "import httpx; httpx.get('http://127.0.0.1:8703/status', timeout=1).raise_for_status()" \
    >/dev/null 2>&1 && break
  kill -0 "$NET" 2>/dev/null || {
    echo "the network did not start: see the error above (node logs: demo-data/net/node*/node.log)"
    exit 1
  }
  sleep 0.5
done
echo "explorer: http://127.0.0.1:8501  (page 7 shows the live nodes)"
"$VENV/bin/python" -m streamlit run streamlit_app.py --server.address 127.0.0.1 --server.port 8501
