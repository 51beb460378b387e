"""Compiling Solidity offline: source text in, bytecode and ABI out, nothing fetched.

solc-js 0.8.11 (the npm package `solc`; the compiler is `soljson.js`, bundled in the package) runs
under Debian's nodejs through `contracts/solc-json.js`, which speaks solc's standard-JSON interface
(docs.soliditylang.org, "Using the Compiler": Compiler Input and Output JSON Description). We pin
0.8.11 and `evmVersion: "london"` for parity with FISCO BCOS (Solidity 0.4.25-0.8.11) and because
the engine runs py-evm's London rules: newer targets emit opcodes (PUSH0, ...) London does not have.
An artifact keeps the source's SHA-256, so anyone can check which source a bytecode came from.
"""

from __future__ import annotations

import hashlib
import json
import os
import select
import shutil
import subprocess
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from minichain.contracts.errors import CompileError, CompileMessage, CompilerUnavailable

SOLC_VERSION = "0.8.11"
EVM_VERSION = "london"
# The optimizer stays off, solc's own default: compiles take a third of the time (a learner
# compiles often), and the bytecode follows the source line by line. It costs gas, not correctness.
OPTIMIZER = False
MAX_SOURCE_BYTES = 1 << 20  # a source file above 1 MiB is refused before the compiler sees it
COMPILE_TIMEOUT = 120.0  # seconds for one compilation, cold start included, on a loaded machine
ARTIFACT_FORMAT = "minichain-artifact/1"

# The folder holding package.json, package-lock.json, node_modules (solc-js) and solc-json.js: the
# repository's contracts/ folder, or MINICHAIN_SOLC_DIR where minichain is installed as a package
# (a JupyterHub image, a TLJH server: course/deploy installs the compiler there and sets it).
SOLC_DIR = Path(os.environ.get("MINICHAIN_SOLC_DIR") or Path(__file__).resolve().parents[2] / "contracts")

SAMPLES = ("Token.sol", "Voting.sol", "InvoiceRegistry.sol")  # under contracts/, with tests

_OUTPUTS = ["abi", "evm.bytecode.object", "evm.deployedBytecode.object", "storageLayout"]


@dataclass(frozen=True)
class Artifact:
    """What the chain needs of one compiled contract."""

    name: str  # the contract's name in its source
    abi: tuple[dict[str, Any], ...]  # the ABI's entries: functions, events, errors, constructor
    bytecode: bytes  # init code: runs once at deploy, returns the code to keep
    deployed_bytecode: bytes  # the code kept at the contract's address
    source_hash: str  # SHA-256 of the source file's bytes, lowercase hex
    source_name: str  # the source file's name, as compiled
    compiler: str  # the solc version string, e.g. "0.8.11+commit.d7f03943.Emscripten.clang"
    evm_version: str = EVM_VERSION
    storage_layout: tuple[dict[str, Any], ...] = field(default=())  # solc's storageLayout.storage

    def to_json(self) -> dict[str, Any]:
        return {
            "format": ARTIFACT_FORMAT,
            "name": self.name,
            "abi": list(self.abi),
            "bytecode": "0x" + self.bytecode.hex(),
            "deployed_bytecode": "0x" + self.deployed_bytecode.hex(),
            "source_hash": self.source_hash,
            "source_name": self.source_name,
            "compiler": self.compiler,
            "evm_version": self.evm_version,
            "storage_layout": list(self.storage_layout),
        }

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> Artifact:
        """An artifact from its JSON form; CompileError names the field that is wrong."""
        try:
            if value.get("format") != ARTIFACT_FORMAT:
                raise ValueError(f"format is {value.get('format')!r}, expected {ARTIFACT_FORMAT!r}")
            abi = value["abi"]
            layout = value.get("storage_layout", [])
            if not isinstance(abi, list) or not all(isinstance(item, dict) for item in abi):
                raise ValueError("abi must be a list of objects")
            if not isinstance(layout, list) or not all(isinstance(item, dict) for item in layout):
                raise ValueError("storage_layout must be a list of objects")
            texts = {key: value[key] for key in ("name", "source_hash", "source_name", "compiler")}
            if not all(isinstance(text, str) for text in texts.values()):
                raise ValueError("name, source_hash, source_name and compiler must be strings")
            return cls(
                name=texts["name"], abi=tuple(abi), bytecode=_hex_field(value, "bytecode"),
                deployed_bytecode=_hex_field(value, "deployed_bytecode"),
                source_hash=texts["source_hash"], source_name=texts["source_name"],
                compiler=texts["compiler"], evm_version=str(value.get("evm_version", EVM_VERSION)),
                storage_layout=tuple(layout),
            )
        except (KeyError, ValueError, AttributeError) as error:
            raise CompileError(f"not a minichain contract artifact: {error}") from None


def _hex_field(value: Mapping[str, Any], key: str) -> bytes:
    text = value[key]
    if not isinstance(text, str) or not text.startswith("0x"):
        raise ValueError(f"{key} must be a 0x-prefixed hex string")
    return bytes.fromhex(text[2:])


def standard_json_input(source_name: str, source: str) -> dict[str, Any]:
    """The compiler's input: one source, London target, the outputs we keep."""
    return {
        "language": "Solidity",
        "sources": {source_name: {"content": source}},
        "settings": {
            "evmVersion": EVM_VERSION,
            "optimizer": {"enabled": OPTIMIZER},
            "outputSelection": {"*": {"*": _OUTPUTS}},
        },
    }


class Compiler:
    """One solc-js process, kept warm: loading soljson.js costs about a second, a small compile
    a tenth of that (bench/contracts_bench.py measures both). Use as a context manager, or close().
    """

    def __init__(self, solc_dir: Path = SOLC_DIR, node: str | None = None,
                 timeout: float = COMPILE_TIMEOUT) -> None:
        self.solc_dir = Path(solc_dir)
        self.node = node or shutil.which("node") or shutil.which("nodejs") or ""
        self.timeout = timeout
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Compiler:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            if process.stdin is not None:
                process.stdin.close()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()

    def compile_file(self, path: str | Path) -> dict[str, Artifact]:
        """{contract name: Artifact} for every contract in the file (imports are read from the
        file's own directory tree). Raises CompileError (with file, line, message) or
        CompilerUnavailable."""
        source_path = Path(path)
        try:
            size = source_path.stat().st_size
            if size > MAX_SOURCE_BYTES:
                raise CompileError(f"{source_path}: {size} bytes, more than {MAX_SOURCE_BYTES}")
            raw = source_path.read_bytes()
        except OSError as error:
            raise CompileError(f"{source_path}: cannot read it ({error.strerror})") from None
        try:
            source = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise CompileError(f"{source_path}: not UTF-8 text ({error.reason})") from None
        return self.compile_source(source, source_path.name, base=source_path.resolve().parent)

    def compile_source(self, source: str, source_name: str = "Contract.sol",
                       base: Path | None = None) -> dict[str, Artifact]:
        """As compile_file, for source text already in memory."""
        answer = self._ask({"input": standard_json_input(source_name, source),
                            "base": str(base or Path.cwd())})
        output = answer.get("output", {})
        messages = tuple(_messages(output.get("errors", []), source_name, source, base))
        errors = tuple(message for message in messages if message.severity == "error")
        if errors:
            shown = "\n".join(str(error) for error in errors[:10])
            raise CompileError(f"solc {SOLC_VERSION} refused {source_name}:\n{shown}", errors)
        source_hash = hashlib.sha256(source.encode("utf-8")).hexdigest()
        contracts = output.get("contracts", {}).get(source_name, {})
        return {name: _artifact(name, compiled, source_hash, source_name, str(answer["version"]))
                for name, compiled in sorted(contracts.items())}

    # --- the process ----------------------------------------------------------------------------

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        process = self._running()
        if process.stdin is None or process.stdout is None:
            raise CompilerUnavailable("the compiler process has no pipes")
        try:
            process.stdin.write(json.dumps(request).encode("utf-8") + b"\n")
            process.stdin.flush()
            line = _read_line(process.stdout.fileno(), self.timeout)
        except (BrokenPipeError, TimeoutError) as error:
            self._kill()
            if isinstance(error, TimeoutError):
                raise CompileError(f"solc took longer than {self.timeout:.0f} s; stopped") from None
            raise CompilerUnavailable("the compiler process ended unexpectedly") from None
        if not line:
            self._kill()
            raise CompilerUnavailable("the compiler process ended without an answer")
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            raise CompileError(str(answer["error"]))
        if not str(answer.get("version", "")).startswith(SOLC_VERSION + "+"):
            raise CompilerUnavailable(f"expected solc {SOLC_VERSION}, found {answer.get('version')}")
        return answer

    def _running(self) -> subprocess.Popen[bytes]:
        if self._process is not None and self._process.poll() is None:
            return self._process
        script = self.solc_dir / "solc-json.js"
        if not self.node:
            raise CompilerUnavailable("Node.js is not installed: run `make setup` (Debian nodejs)")
        if not (self.solc_dir / "node_modules" / "solc" / "soljson.js").exists():
            raise CompilerUnavailable(
                f"solc-js is not installed in {self.solc_dir}/node_modules: run `make setup`")
        try:
            self._process = subprocess.Popen(
                [self.node, str(script)], cwd=self.solc_dir, stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            )
        except OSError as error:
            raise CompilerUnavailable(f"cannot start {self.node}: {error.strerror}") from None
        return self._process

    def _kill(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self.close()


def compile_file(path: str | Path, compiler: Compiler | None = None) -> dict[str, Artifact]:
    """Compile one Solidity file: {contract name: Artifact}. Without a warm `compiler`, a fresh
    solc-js process is started and stopped. Raises CompileError or CompilerUnavailable."""
    if compiler is not None:
        return compiler.compile_file(path)
    with Compiler() as fresh:
        return fresh.compile_file(path)


def compile_samples(compiler: Compiler | None = None) -> dict[str, Artifact]:
    """The sample contracts shipped in contracts/: Token, Voting, InvoiceRegistry."""
    with Compiler() as fresh:
        solc = compiler or fresh
        return {name: artifact for sample in SAMPLES
                for name, artifact in solc.compile_file(SOLC_DIR / sample).items()}


def write_artifacts(artifacts: Mapping[str, Artifact], out_dir: str | Path) -> list[Path]:
    """DIR/<Contract>.json for each artifact (indented, keys in a fixed order)."""
    directory = Path(out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, artifact in artifacts.items():
        path = directory / f"{name}.json"
        path.write_text(json.dumps(artifact.to_json(), indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


def load_artifact(path: str | Path) -> Artifact:
    try:
        value = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CompileError(f"{path}: not a readable artifact ({error})") from None
    if not isinstance(value, dict):
        raise CompileError(f"{path}: an artifact is a JSON object")
    return Artifact.from_json(value)


# --- reading solc's answer ----------------------------------------------------------------------


def _artifact(name: str, compiled: Mapping[str, Any], source_hash: str, source_name: str,
              version: str) -> Artifact:
    evm = compiled.get("evm", {})
    layout = compiled.get("storageLayout") or {}
    return Artifact(
        name=name, abi=tuple(compiled.get("abi", [])),
        bytecode=bytes.fromhex(evm.get("bytecode", {}).get("object", "")),
        deployed_bytecode=bytes.fromhex(evm.get("deployedBytecode", {}).get("object", "")),
        source_hash=source_hash, source_name=source_name, compiler=version,
        storage_layout=tuple(layout.get("storage", [])),
    )


def _messages(errors: list[dict[str, Any]], source_name: str, source: str,
              base: Path | None) -> Iterator[CompileMessage]:
    """solc gives byte offsets into the file; people read lines and columns."""
    for error in errors:
        location = error.get("sourceLocation") or {}
        file = str(location.get("file", ""))
        line = column = 0
        if file and isinstance(location.get("start"), int) and location["start"] >= 0:
            text = source if file == source_name else _read_import(base, file)
            if text is not None:
                line, column = _line_column(text.encode("utf-8"), location["start"])
        yield CompileMessage(
            severity=str(error.get("severity", "error")), kind=str(error.get("type", "Error")),
            file=file or source_name, line=line, column=column,
            message=str(error.get("message", "")).splitlines()[0] if error.get("message") else "",
        )


def _line_column(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line = before.count(b"\n") + 1
    column = len(before) - (before.rfind(b"\n") + 1) + 1
    return line, column


def _read_import(base: Path | None, name: str) -> str | None:
    if base is None:
        return None
    try:
        return (base / name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _read_line(fd: int, timeout: float) -> bytes:
    """One answer line from the compiler, or TimeoutError (a stuck compiler never hangs us)."""
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        if chunk.endswith(b"\n"):
            return b"".join(chunks)
