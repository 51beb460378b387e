#!/usr/bin/env bash
# A minichain class on one machine with The Littlest JupyterHub (TLJH).
#
# On a fresh Ubuntu 22.04 or 24.04 server (4 GB of RAM + 1.5 GB per learner, 2 cores + 1 per 4
# learners), from a clone of the repository, as root:
#   sudo bash course/deploy/tljh/setup.sh roster.txt       # roster: one learner name per line
# Safe to run again (after a `git pull`, or to add names to the roster).
#
# It installs TLJH if missing (admin: instructor), copies the repository to /opt/minichain (the
# course root /opt/minichain/labs, with the solutions, readable by root only), installs it with its
# `lab` extra into a Python 3.11 environment of its own (/opt/minichain-env: TLJH's user environment
# may have an older Python), makes that the kernel of every notebook, enables nbgrader's extensions,
# creates the nbgrader exchange and the classroom folder, installs bubblewrap (the grader's sandbox
# for learners' code), and applies config.yaml.
# course/deployment.md explains each step.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
ROSTER=${1:-}
ADMIN=instructor
PREFIX=/opt/minichain
ENV_DIR=/opt/minichain-env
TLJH=/opt/tljh
USER_ENV=$TLJH/user
EXCHANGE=/srv/nbgrader/exchange
CLASSROOM=/srv/classroom

if [ "$(id -u)" -ne 0 ]; then
  echo "run as root: sudo bash $0 [roster.txt]" >&2
  exit 1
fi
if [ -n "$ROSTER" ] && [ ! -f "$ROSTER" ]; then
  echo "roster file $ROSTER not found" >&2
  exit 1
fi

echo "== 1. The Littlest JupyterHub"
if [ ! -x "$TLJH/hub/bin/tljh-config" ]; then
  apt-get update -qq
  apt-get install -y -qq python3 python3-dev git curl
  curl -fsSL https://tljh.jupyter.org/bootstrap.py | python3 - --admin "$ADMIN"
fi
# The grader runs every learner's notebook in bubblewrap and refuses to grade without it; the
# Solidity compiler (solc-js) runs on Node.js.
if ! command -v bwrap > /dev/null || ! command -v node > /dev/null || ! command -v npm > /dev/null; then
  apt-get update -qq
  apt-get install -y -qq bubblewrap nodejs npm
fi

echo "== 2. The repository in $PREFIX, installed into $ENV_DIR"
mkdir -p "$PREFIX"
tar -C "$REPO" --exclude=./.git --exclude=./.venv --exclude=./demo-data --exclude=./labs \
    --exclude=./contracts/node_modules --exclude=./contracts/.npm-cache \
    --exclude='./.*_cache' --exclude=./.hypothesis --exclude='*/__pycache__' --exclude='*.egg-info' \
    -cf - . | tar -C "$PREFIX" -xf -
# The course root holds the solutions and hidden tests: root only (instructors copy it with sudo).
install -d -m 0700 "$PREFIX/labs"
tar -C "$REPO/labs" --exclude=./submitted --exclude=./autograded --exclude=./feedback \
    --exclude=./gradebook.db --exclude='*/__pycache__' -cf - . | tar -C "$PREFIX/labs" -xf -
chmod 0700 "$PREFIX/labs"
if [ ! -x "$ENV_DIR/bin/python" ]; then
  "$USER_ENV/bin/conda" create --yes --quiet --prefix "$ENV_DIR" -c conda-forge "python=3.11" pip
fi
"$ENV_DIR/bin/pip" install --quiet --upgrade "$PREFIX[lab]" ipykernel
(cd "$PREFIX/contracts" && npm ci --cache .npm-cache --no-audit --no-fund --ignore-scripts --loglevel=error)
"$ENV_DIR/bin/minichain" --help > /dev/null
"$ENV_DIR/bin/python" -m grader --help > /dev/null
MINICHAIN_SOLC_DIR="$PREFIX/contracts" "$ENV_DIR/bin/python" -c \
    "from minichain.contracts import compile_samples; assert len(compile_samples()) == 3"

echo "== 3. The notebooks' kernel (python3) runs that environment"
"$ENV_DIR/bin/python" -m ipykernel install --prefix "$USER_ENV" --name python3 \
    --display-name "Python 3 (minichain)"

echo "== 4. nbgrader's extensions in the user environment (where JupyterLab's server runs)"
"$USER_ENV/bin/pip" install --quiet "nbgrader==0.9.6" "ipywidgets>=8.1"
J="$USER_ENV/bin/jupyter"
"$J" server extension enable --sys-prefix nbgrader.server_extensions.assignment_list
"$J" server extension enable --sys-prefix nbgrader.server_extensions.validate_assignment
"$J" server extension enable --sys-prefix nbgrader.server_extensions.formgrader
"$J" server extension enable --sys-prefix nbgrader.server_extensions.course_list
"$J" labextension enable --level=sys_prefix @jupyter/nbgrader:assignment-list
"$J" labextension enable --level=sys_prefix @jupyter/nbgrader:validate-assignment
# One environment serves everyone here: hide the instructor's tools from the learners' sidebar
# (the instructor uses the grader's command line, see course/instructor-guide.md).
"$J" labextension disable --level=sys_prefix @jupyter/nbgrader:formgrader
"$J" labextension disable --level=sys_prefix @jupyter/nbgrader:course-list
"$J" labextension disable --level=sys_prefix @jupyter/nbgrader:create-assignment

echo "== 5. The nbgrader exchange, the classroom folder, the class-wide nbgrader settings"
install -d -m 0777 "$EXCHANGE"
install -d -m 1777 "$CLASSROOM"
install -d -m 0755 /etc/jupyter
install -m 0644 "$HERE/../nbgrader_config.py" /etc/jupyter/nbgrader_config.py

echo "== 6. Terminals find minichain, python -m grader and nbgrader; the instructor gets more room"
mkdir -p "$TLJH/config/jupyterhub_config.d"
cat > "$TLJH/config/jupyterhub_config.d/minichain.py" <<'PY'
# Written by course/deploy/tljh/setup.sh.
# The minichain environment first on every user's PATH (TLJH's own user environment after it).
c.SystemdSpawner.extra_paths = ["/opt/minichain-env/bin", "/opt/tljh/user/bin"]
# minichain is installed as a package there: its Solidity compiler is in the copy of the repository.
c.Spawner.environment = {"MINICHAIN_SOLC_DIR": "/opt/minichain/contracts"}


def minichain_limits(spawner):
    """Admins (instructors) grade whole classes: more memory and CPU than limits.* give learners."""
    if spawner.user.admin:
        spawner.mem_limit = "8G"
        spawner.cpu_limit = 4.0


c.Spawner.pre_spawn_hook = minichain_limits
PY

echo "== 7. TLJH configuration and the roster"
CONFIG=$TLJH/config/config.yaml
if [ -f "$CONFIG" ] && ! cmp -s "$HERE/config.yaml" "$CONFIG"; then
  cp "$CONFIG" "$CONFIG.bak.$(date +%Y%m%d%H%M%S)"
fi
install -m 0600 "$HERE/config.yaml" "$CONFIG"
if [ -n "$ROSTER" ]; then
  while read -r name; do
    name=${name%%#*}
    name=$(echo "$name" | tr -d '[:space:]')
    if [ -n "$name" ]; then
      "$TLJH/hub/bin/tljh-config" add-item users.allowed "$name"
    fi
  done < "$ROSTER"
fi
"$TLJH/hub/bin/tljh-config" reload hub

echo "done: log in as $ADMIN at http://$(hostname -I | awk '{print $1}')/ and follow course/deployment.md"
