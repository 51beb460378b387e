#!/usr/bin/env bash
# `make demo`: a real 4-node PoA network (ports 8700-8703) and the explorer (http://127.0.0.1:8501)
# connected to it. Ctrl-C stops the explorer and every node.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
"$VENV/bin/minichain" net up --nodes 4 --consensus poa --data-dir demo-data/net &
NET=$!
stop() { kill -TERM "$NET" 2>/dev/null || true; wait "$NET" 2>/dev/null || true; }
trap stop EXIT INT TERM
for _ in $(seq 1 60); do
  "$VENV/bin/python" -c "import httpx; httpx.get('http://127.0.0.1:8703/status', timeout=1).raise_for_status()" \
    >/dev/null 2>&1 && break
  kill -0 "$NET" 2>/dev/null || { echo "the network did not start (see demo-data/net/node*/node.log)"; exit 1; }
  sleep 0.5
done
echo "explorer: http://127.0.0.1:8501  (page 7 shows the live nodes)"
"$VENV/bin/python" -m streamlit run streamlit_app.py --server.address 127.0.0.1 --server.port 8501
